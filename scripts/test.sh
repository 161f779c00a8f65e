#!/usr/bin/env bash
# Runs the built tests (`swift build --build-tests` first) in two `swift test --skip-build` processes at once, one per
# core of the CI machine. Most of the suite's time is end-to-end tests that start the biasaudit binary and wait for it:
# one process after another took about 39 minutes on 2 cores. The shards split the test classes by name, about half
# the time each: the first (the CLI tests' classes M–Z, the statistics and the audit-run tests) prints as it goes, the
# second's output follows when both are done, whole, so XCTest's lines never interleave and .ci/run counts them as it
# did. Exits non-zero when either shard fails.
#
#   TEST_SHARDS=1 scripts/test.sh    one process, as `swift test --skip-build` (e.g. to time a test alone)
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
if [ "${TEST_SHARDS:-2}" = 1 ]; then
    exec "$SWIFT" test --skip-build
fi
# Regular expressions on `Module.Class/test`, as `swift test list` prints them; the second shard is the complement.
first='^(BiasAuditCLITests\.[M-Z]|StatisticsTests\.|AuditRunTests\.)'
second_log=$(mktemp)
second=
cleanup() {
    [ -n "$second" ] && kill "$second" 2>/dev/null
    rm -f "$second_log"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$SWIFT" test --skip-build --skip "$first" > "$second_log" 2>&1 &
second=$!
echo "scripts/test.sh: two shards at once; the second's output (the classes not matching $first) follows the first's"
"$SWIFT" test --skip-build --filter "$first"
first_status=$?
wait "$second"
second_status=$?
second=
echo "scripts/test.sh: the second shard's output"
cat "$second_log"
echo "scripts/test.sh: first shard exit $first_status, second shard exit $second_status"
[ "$first_status" -eq 0 ] && [ "$second_status" -eq 0 ]
