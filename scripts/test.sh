#!/usr/bin/env bash
# Runs the built tests (`swift build --build-tests` first) in two XCTest processes at once, one per core of the CI
# machine: most of the suite's time is end-to-end tests that start the biasaudit binary and wait for it, about 39
# minutes one after another on 2 cores. The test classes are split by name into two shards of about half the time
# each: the first (the CLI tests' classes L–Z, the statistics and the audit-run tests) prints as it goes, the second's
# output follows when both are done, whole, so XCTest's lines never interleave and .ci/run counts them as it did.
# The shards run the test bundle directly, with the classes to run as its argument (as `swift test --filter` does):
# two `swift test` processes wait for each other's lock on .build. Exits non-zero when either shard fails; a stop
# (Ctrl-C, a CI timeout) ends both shards and prints what the second had written.
#
#   TEST_SHARDS=1 scripts/test.sh    one process, `swift test --skip-build`
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
if [ "${TEST_SHARDS:-2}" = 1 ]; then
    exec "$SWIFT" test --skip-build
fi
# Test classes as `swift test list` names them (`Module.Class/testMethod`); the first shard's, by a regular
# expression on `Module.Class`; the second shard is the rest.
first_pattern='^(BiasAuditCLITests\.[LM-Z]|StatisticsTests\.|AuditRunTests\.)'
classes=$("$SWIFT" test list --skip-build | sed -n 's|^\([A-Za-z0-9_]*\.[A-Za-z0-9_]*\)/.*|\1|p' | sort -u) || exit 1
bundle=$(ls -d "$("$SWIFT" build --show-bin-path)"/*PackageTests.xctest 2>/dev/null | head -1)
if [ -z "$classes" ] || [ ! -x "$bundle" ]; then
    echo "scripts/test.sh: no built tests found; run \`$SWIFT build --build-tests\` first" >&2
    exit 1
fi
first_classes=$(grep -E "$first_pattern" <<< "$classes" | paste -sd, -)
second_classes=$(grep -vE "$first_pattern" <<< "$classes" | paste -sd, -)
second_log=$(mktemp)
first= second=
# Each shard in a session of its own, so that a stop ends it with the biasaudit processes its tests started; the
# script waits in `wait`, which a signal interrupts at once. `env --default-signal` gives the shards the default
# handling of every signal, as `swift test` gives its test process: a command started with `&` by a script ignores
# SIGINT, and the tests' runs inherited that and ran through the Ctrl-C the tests send them.
stop() {
    for shard in $first $second; do kill -TERM -- "-$shard" 2>/dev/null; done
    wait 2>/dev/null
    echo "scripts/test.sh: stopped; the second shard's output so far:"
    cat "$second_log"
    rm -f "$second_log"
    exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM
trap 'rm -f "$second_log"' EXIT
echo "scripts/test.sh: $(wc -l <<< "$classes") test classes in two shards at once; the second's output follows the first's"
setsid env --default-signal "$bundle" "$second_classes" > "$second_log" 2>&1 &
second=$!
setsid env --default-signal "$bundle" "$first_classes" &
first=$!
wait "$first"
first_status=$?
wait "$second"
second_status=$?
first= second=
echo "scripts/test.sh: the second shard's output"
cat "$second_log"
echo "scripts/test.sh: first shard exit $first_status, second shard exit $second_status"
[ "$first_status" -eq 0 ] && [ "$second_status" -eq 0 ]
