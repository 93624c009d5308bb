#!/usr/bin/env bash
# Runs every test (unit, API on a real redis-server, whole-system on the real AppHost, the browser test)
# and ends with one line "N passed, N failed, N skipped" counted from the TRX results.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh || exit 1

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

scenario_report="${TMPDIR:-/tmp}/incidentops-scenarios.txt"
rm -f "$scenario_report"

dotnet build IncidentOps.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
# Every test project but the whole-system one first, then that one alone: starting the AppHost (DCP, five
# resources, the Next.js dev server) while the other suites load both cores can exceed Aspire's start timeout.
status=0
for project in $(ls tests/*/*.Tests.csproj | grep -v EndToEnd) tests/IncidentOps.EndToEnd.Tests/IncidentOps.EndToEnd.Tests.csproj; do
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$(basename "$project" .csproj).trx" --logger "console;verbosity=normal" --results-directory "$results" 2>&1 | tee -a "$results/console.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

# The web app's unit tests (formatting of intervals, p-values, AI service states, filters): node's own runner through
# tsx, reporting JUnit XML, counted below beside the TRX files.
(cd IncidentOps.Web && node --import tsx --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination="$results/web-unit.junit.xml" tests/unit/*.test.ts) || status=1

passed=0; failed=0; skipped=0
for junit in "$results"/*.junit.xml; do
  [ -f "$junit" ] || continue
  cases=$(grep -o '<testcase ' "$junit" | wc -l)
  failures=$(grep -o '<failure' "$junit" | wc -l)
  skips=$(grep -o '<skipped' "$junit" | wc -l)
  passed=$((passed + cases - failures - skips)); failed=$((failed + failures)); skipped=$((skipped + skips))
done
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(value total); executed=$(value executed)
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + total - executed))
done

# The diagnosis accuracy the scenario runner measured (tests/scenarios), for the log.
[ -f "$scenario_report" ] && cat "$scenario_report"

# Which tests failed, last, where the tail of a log shows them: each failure with the first lines of its message, a
# crashed or aborted test host, and the web unit tests that failed.
grep -a -A3 -E "^\s+Failed [A-Za-z]" "$results/console.log" | head -n 80
grep -a -h -E "Test host process crashed|The active test run was aborted" "$results/console.log" | head -n 5
for junit in "$results"/*.junit.xml; do
  [ -f "$junit" ] || continue
  grep -B1 "<failure" "$junit" | sed -n "s/.*<testcase name=\"\([^\"]*\)\".*/FAILED web: \1/p"
done

# A test host that crashed writes no result for its tests: never report that as green.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
