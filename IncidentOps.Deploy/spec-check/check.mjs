// Checks synthesized CloudFormation templates against the CloudFormation resource specification
// (@aws-cdk/cfnspec): every resource type known, every required property present, every property known,
// nested property types included. Prints one JSON report; exits 1 when anything is wrong.
//   node check.mjs <cdk.out folder or template files...>
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const spec = require('@aws-cdk/cfnspec/spec/specification.json');

const files = process.argv.slice(2).flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p).filter((f) => f.endsWith('.template.json')).map((f) => join(p, f))
    : [p]);

const report = {
  specificationVersion: spec.ResourceSpecificationVersion,
  templates: files.length,
  resources: 0,
  unknownTypes: [],
  missingRequired: [],
  unknownProperties: [],
};

// A value CloudFormation computes at deploy time: its shape cannot be checked here.
const isIntrinsic = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
  && Object.keys(v).length === 1 && (Object.keys(v)[0] === 'Ref' || Object.keys(v)[0].startsWith('Fn::'));

function propertyType(resourceType, name) {
  return spec.PropertyTypes[`${resourceType}.${name}`] ?? spec.PropertyTypes[name];
}

function checkProperties(where, resourceType, definition, value) {
  if (value === undefined || isIntrinsic(value)) return;
  if (typeof value !== 'object' || Array.isArray(value)) return;
  const known = definition.Properties ?? {};
  for (const [name, p] of Object.entries(known)) {
    if (p.Required && !(name in value)) report.missingRequired.push(`${where}: ${name}`);
  }
  for (const [name, v] of Object.entries(value)) {
    const p = known[name];
    if (!p) {
      report.unknownProperties.push(`${where}: ${name}`);
      continue;
    }
    checkValue(`${where}.${name}`, resourceType, p, v);
  }
}

function checkValue(where, resourceType, p, v) {
  if (isIntrinsic(v)) return;
  if (p.Type && p.Type !== 'List' && p.Type !== 'Map' && !p.PrimitiveType) {
    const nested = propertyType(resourceType, p.Type);
    if (nested && !nested.PrimitiveType) checkProperties(where, resourceType, nested, v);
    return;
  }
  if ((p.Type === 'List' || p.Type === 'Map') && p.ItemType) {
    const nested = propertyType(resourceType, p.ItemType);
    if (!nested) return;
    const items = Array.isArray(v) ? v : Object.values(v ?? {});
    items.forEach((item, i) => checkProperties(`${where}[${i}]`, resourceType, nested, item));
  }
}

for (const file of files) {
  const template = JSON.parse(readFileSync(file, 'utf8'));
  const name = file.split('/').pop().replace('.template.json', '');
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    report.resources++;
    const type = resource.Type;
    if (type === 'AWS::CDK::Metadata' || type.startsWith('Custom::')) continue;
    const definition = spec.ResourceTypes[type];
    if (!definition) {
      report.unknownTypes.push(`${name}/${id}: ${type}`);
      continue;
    }
    const where = `${name}/${id} (${type})`;
    const properties = resource.Properties ?? {};
    checkProperties(where, type, definition, properties);
  }
}

console.log(JSON.stringify(report, null, 2));
const failed = report.unknownTypes.length + report.missingRequired.length + report.unknownProperties.length;
process.exit(failed > 0 ? 1 : 0);
