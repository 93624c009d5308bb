#!/usr/bin/env bash
# Scores a new scenario batch ONCE, as its held-out figure, before anyone who changes the engine reads it.
#   scripts/score-heldout.sh batch-03
# The batch's folder must already be in tests/scenarios/ (copied in without reading it). The figure (top-1, top-3,
# first remediation, unknown rate, n, the engine's commit, the time) is written into tests/scenarios/batches.json
# (the batch is added if it is not listed; fill in its author note); a batch that already has one is refused.
# Only the figures are printed, so scoring does not read the batch. Commit the manifest afterwards.
set -euo pipefail
batch="${1:?usage: scripts/score-heldout.sh batch-NN}"
root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ ! -d "$root/tests/scenarios/$batch" ]]; then
  echo "no folder tests/scenarios/$batch" >&2
  exit 2
fi
INCIDENTOPS_SCORE_HELDOUT="$batch" dotnet test "$root/tests/IncidentOps.Scenarios.Tests" \
  --filter "FullyQualifiedName~Each_new_batch_is_scored_once_as_its_held_out_figure_before_it_is_read" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "held-out score of|Passed!|Failed!|Error Message|already has|has been read|has no held-out" || true
grep -A9 "\"folder\": \"$batch\"" "$root/tests/scenarios/batches.json"
