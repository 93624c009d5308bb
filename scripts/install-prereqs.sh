#!/usr/bin/env bash
# Installs what IncidentOps needs beyond the .NET SDK and Node.js, only where it is missing:
# Debian's redis-server (the local Redis), chromium (the browser tests), prometheus-alertmanager
# (the real-client test), the web app's npm packages and the deploy tests' CloudFormation specification.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The real Alertmanager, for the end-to-end test of its webhook.
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
if [ "${INCIDENTOPS_SKIP_BROWSER:-0}" != "1" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} with apt-get…"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

(cd IncidentOps.Web && node scripts/ensure-deps.mjs)

# The CloudFormation resource specification the deploy tests check templates against (from the committed lockfile).
if [ ! -d IncidentOps.Deploy/spec-check/node_modules/@aws-cdk/cfnspec ] \
  || [ IncidentOps.Deploy/spec-check/package-lock.json -nt IncidentOps.Deploy/spec-check/node_modules/.package-lock.json ]; then
  (cd IncidentOps.Deploy/spec-check && npm ci --no-audit --no-fund --loglevel=error)
fi
# The official AWS SDK for JavaScript, the reference the AWS conformance tests hold our wire clients to.
(cd tests/aws-conformance && node ../../IncidentOps.Web/scripts/ensure-deps.mjs)
