#!/usr/bin/env bash
# Brings up the whole system: redis, api (:5080), hub (:5083), agents, metrics, web (:3000), Aspire dashboard (:15080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh
exec dotnet run --project IncidentOps.AppHost --launch-profile http "$@"
