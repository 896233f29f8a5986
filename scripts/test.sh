#!/usr/bin/env bash
# npm test: the linter, then the typechecks beside the test suites. The suites leave part of the two cores idle
# (they wait on engines, browsers and streams); the typechecks run niced into that gap instead of before it.
# Their output is printed after the suites', and either failing fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."

npm run --silent lint || exit 1

log=$(mktemp)
nice -n 10 npm run --silent typecheck >"$log" 2>&1 &
typecheck=$!
trap 'kill -- "$typecheck" 2>/dev/null; rm -f "$log"' EXIT

npx vitest run "$@"
tests=$?

wait "$typecheck"
types=$?
echo
if [ "$types" -eq 0 ]; then echo "typecheck: passed (TypeScript 7, tsc --noEmit: the functions' and the web app's projects)"; else cat "$log"; echo "typecheck: FAILED"; fi
[ "$tests" -eq 0 ] && [ "$types" -eq 0 ]
