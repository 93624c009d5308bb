#!/usr/bin/env bash
# Calls each configured AWS AI service once, with a minimal cheap request, through IncidentOps's own clients
# (tools/IncidentOps.AwsSmoke), and prints what came back and what it cost at the configured list prices.
# Configure as for the agents: AWS credentials (environment, AWS_PROFILE, container role), AI__Region,
# AI__GuardrailId, AI__KnowledgeBaseId, AI__AgentId + AI__AgentAliasId, AI__QBusinessApplicationId,
# AI__UseComprehend, AI__UseTextract, AI__Models__NovaMicro. Exit 1 when a configured service did not answer.
# Without credentials it says so and exits 0 (nothing to smoke-test on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."

# The same places AwsCredentialSource.AreConfigured looks (the console checks again with that very code).
has_credentials() {
  local v
  for v in AWS_ACCESS_KEY_ID AWS_PROFILE AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_WEB_IDENTITY_TOKEN_FILE; do
    [ -n "${!v:-}" ] && return 0
  done
  [ -f "${AWS_SHARED_CREDENTIALS_FILE:-${HOME:-/nonexistent}/.aws/credentials}" ]
}

if ! has_credentials; then
  echo "aws-smoke: no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_PROFILE, a container or web-identity role, or a shared credentials file): nothing called."
  exit 0
fi

exec dotnet run --project tools/IncidentOps.AwsSmoke -c Release --nologo -- "$@"
