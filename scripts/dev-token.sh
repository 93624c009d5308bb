#!/usr/bin/env bash
# Prints an access token of the development provider's seeded user with ROLE (viewer, responder, approver, admin),
# for curl against the API in Development:
#   curl -H "Authorization: Bearer $(scripts/dev-token.sh responder)" localhost:5080/api/v1/incidents
# Uses the provider's password grant (the development CLI client); the system must be running (scripts/run.sh).
set -euo pipefail
role="${1:-}"
case "$role" in
  viewer|responder|approver|admin) ;;
  *) echo "usage: $0 viewer|responder|approver|admin" >&2; exit 2 ;;
esac
issuer="${INCIDENTOPS_ISSUER:-http://localhost:5090}"
response=$(curl -sS --fail-with-body -X POST "$issuer/connect/token" \
  -d grant_type=password -d client_id=incidentops-cli \
  --data-urlencode "username=$role" --data-urlencode "password=${INCIDENTOPS_PASSWORD:-$role-password}" \
  --data-urlencode "scope=openid profile roles incidentops-api") || {
  echo "dev-token: the sign-in provider at $issuer did not issue a token (is scripts/run.sh running?): $response" >&2
  exit 1
}
node -e 'const b = JSON.parse(process.argv[1]); if (!b.access_token) process.exit(1); process.stdout.write(b.access_token + "\n");' "$response"
