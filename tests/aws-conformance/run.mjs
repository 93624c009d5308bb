// Sends one operation through the official AWS SDK for JavaScript v3 to a local endpoint and prints, as one
// JSON line on stdout, what the SDK made of the answer: its parsed output (event streams collected into a list),
// or the error it raised with the name, fault, status and the SDK's own retry decision.
//
//   node run.mjs <operation> <endpoint> < input.json
//
// The input is the SDK command's input as JSON; the credentials are AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
// and the region AWS_REGION, read explicitly (no profile, no instance metadata: the endpoint is loopback only).
import * as bedrockRuntime from '@aws-sdk/client-bedrock-runtime';
import * as agentRuntime from '@aws-sdk/client-bedrock-agent-runtime';
import * as qbusiness from '@aws-sdk/client-qbusiness';
import * as comprehend from '@aws-sdk/client-comprehend';
import * as textract from '@aws-sdk/client-textract';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const bytes = (b64) => Buffer.from(b64, 'base64');

// Each operation: the SDK module, its client and command, the output member that is an event stream (if any),
// and how JSON input becomes the SDK's input (blobs arrive base64-encoded).
const operations = {
  converse: { sdk: bedrockRuntime, client: 'BedrockRuntimeClient', command: 'ConverseCommand' },
  converseStream: { sdk: bedrockRuntime, client: 'BedrockRuntimeClient', command: 'ConverseStreamCommand', stream: 'stream' },
  applyGuardrail: { sdk: bedrockRuntime, client: 'BedrockRuntimeClient', command: 'ApplyGuardrailCommand' },
  retrieve: { sdk: agentRuntime, client: 'BedrockAgentRuntimeClient', command: 'RetrieveCommand' },
  invokeAgent: { sdk: agentRuntime, client: 'BedrockAgentRuntimeClient', command: 'InvokeAgentCommand', stream: 'completion' },
  chatSync: { sdk: qbusiness, client: 'QBusinessClient', command: 'ChatSyncCommand' },
  detectSentiment: { sdk: comprehend, client: 'ComprehendClient', command: 'DetectSentimentCommand' },
  detectPiiEntities: { sdk: comprehend, client: 'ComprehendClient', command: 'DetectPiiEntitiesCommand' },
  detectDocumentText: {
    sdk: textract, client: 'TextractClient', command: 'DetectDocumentTextCommand',
    prepare: (input) => ({ ...input, Document: { ...input.Document, Bytes: bytes(input.Document.Bytes) } }),
  },
};

const [operation, endpoint] = process.argv.slice(2);
const op = operations[operation];
if (!op || !endpoint) {
  console.error(`usage: node run.mjs <${Object.keys(operations).join('|')}> <endpoint> < input.json`);
  process.exit(2);
}

const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_REGION: region } = process.env;
if (!accessKeyId || !secretAccessKey || !region) {
  console.error('AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION must be set (the test endpoint verifies the signature with them).');
  process.exit(2);
}

const input = JSON.parse(await readStdin());
const client = new op.sdk[op.client]({
  endpoint,
  region,
  credentials: { accessKeyId, secretAccessKey },
  // One request per run: the .NET test compares the SDK's retry decision, it does not need the SDK to act on it.
  maxAttempts: 1,
  // HTTP/1.1 everywhere: Bedrock Runtime defaults to HTTP/2, which a plain-http loopback endpoint does not speak
  // (the transport changes nothing in the request's method, path, headers or body).
  requestHandler: new NodeHttpHandler(),
});

const result = {};
try {
  const output = await client.send(new op.sdk[op.command](op.prepare ? op.prepare(input) : input));
  const { $metadata, ...rest } = output;
  result.status = $metadata.httpStatusCode;
  if (op.stream) {
    const events = [];
    result.events = events;
    const stream = rest[op.stream];
    delete rest[op.stream];
    result.output = rest;
    for await (const event of stream) {
      events.push(event);
    }
  } else {
    result.output = rest;
  }
} catch (error) {
  result.error = describe(error, op.sdk);
} finally {
  client.destroy();
}

process.stdout.write(JSON.stringify(result, (_, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value)) + '\n');

function describe(error, sdk) {
  const modeled = typeof sdk[error.name] === 'function' && error instanceof sdk[error.name];
  // The error's schema ([kind, namespace, name, traits, ...]) carries the model's fault and HTTP status.
  const traits = modeled ? (sdk[`${error.name}$`]?.[3] ?? {}) : {};
  return {
    name: error.name,
    // An exception class the service's model declares (not the SDK's generic fallback for unknown codes).
    modeled,
    fault: error.$fault ?? null,
    modeledStatus: traits.httpError ?? (traits.error === 'server' ? 500 : traits.error === 'client' ? 400 : null),
    status: error.$metadata?.httpStatusCode ?? null,
    message: error.message ?? null,
    // The standard retry strategy retries THROTTLING and TRANSIENT errors only (@smithy/core/retry).
    retryable: isThrottlingError(error) || isTransientError(error),
  };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
