#!/usr/bin/env bash
# Runs the built tests (`swift build --build-tests` first) in two XCTest processes at once, one per core of the CI
# machine: most of the suite's time is end-to-end tests that start the biasaudit binary and wait for it. The test
# classes are split by name into two shards of about half the time each: the first (the CLI tests' classes L–Z, the
# statistics and the audit-run tests) prints as it goes, the second's output follows when both are done, whole, so
# XCTest's lines never interleave and .ci/run counts them as it did; while they run, the second's is in
# .build/test-shard-2.log (named at the start). The shards run the test bundle directly, with the classes to run as its
# argument (as `swift test --filter` does): two `swift test` processes wait for each other's lock on .build.
# Exits non-zero when either shard fails, or when the shards executed fewer tests than `swift test list` lists; a stop
# (Ctrl-C, a hang-up, a CI timeout) ends both shards and what their tests started, and prints what the second wrote.
#
#   TEST_SHARDS=1 scripts/test.sh    one process, `swift test --skip-build`
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
if [ "${TEST_SHARDS:-2}" = 1 ]; then
    exec "$SWIFT" test --skip-build
fi
listed=$("$SWIFT" test list --skip-build | grep -E '^[^ /]+\.[^ /]+/') || {
    echo "scripts/test.sh: \`$SWIFT test list\` failed; run \`$SWIFT build --build-tests\` first" >&2
    exit 1
}
# The test classes (`Module.Class` of `Module.Class/testMethod`); the first shard's by a regular expression, the
# second shard the rest.
classes=$(sed 's|/.*||' <<< "$listed" | sort -u)
first_pattern='^(BiasAuditCLITests\.[LM-Z]|StatisticsTests\.|AuditRunTests\.)'
bundle=$(ls -d "$("$SWIFT" build --show-bin-path)"/*PackageTests.xctest 2>/dev/null | head -1)
if [ -z "$classes" ] || [ ! -x "$bundle" ]; then
    echo "scripts/test.sh: no built tests found; run \`$SWIFT build --build-tests\` first" >&2
    exit 1
fi
first_classes=$(grep -E "$first_pattern" <<< "$classes" | paste -sd, -)
second_classes=$(grep -vE "$first_pattern" <<< "$classes" | paste -sd, -)
first_log=.build/test-shard-1.log
second_log=.build/test-shard-2.log
first= second=
# Every process of the session `$1`: a shard runs in a session of its own (`setsid`, so its id is the shard's), and the
# processes its tests start stay in it (each in a process group of its own: Foundation's Process).
session() {
    local stat line fields
    for stat in /proc/[0-9]*/stat; do
        { line=$(< "$stat"); } 2> /dev/null || continue
        read -r -a fields <<< "${line##*) }"
        [ "${fields[3]:-}" = "$1" ] && echo "${stat//[^0-9]/}"
    done
}
stop() {
    local shard
    for shard in $first $second; do
        # shellcheck disable=SC2046
        kill -TERM $(session "$shard") 2> /dev/null
    done
    wait 2> /dev/null
    echo "scripts/test.sh: stopped; the second shard's output so far ($second_log):"
    cat "$second_log"
    exit "$1"
}
trap 'stop 130' INT
trap 'stop 129' HUP
trap 'stop 131' QUIT
trap 'stop 143' TERM
echo "scripts/test.sh: $(wc -l <<< "$classes") test classes in two shards at once; the first (classes matching" \
    "$first_pattern) prints as it goes, the second's output ($second_log) follows"
# `env --default-signal` gives the shards the default handling of every signal, as `swift test` gives its test
# process: a command started with `&` by a script ignores SIGINT, and the tests' runs inherited that and ran through
# the Ctrl-C the tests send them.
setsid env --default-signal "$bundle" "$second_classes" > "$second_log" 2>&1 &
second=$!
setsid env --default-signal "$bundle" "$first_classes" > "$first_log" 2>&1 &
first=$!
tail -n +1 -f --pid="$first" "$first_log" &
wait "$first"
first_status=$?
wait "$second"
second_status=$?
first= second=
wait
echo "scripts/test.sh: the second shard's output"
cat "$second_log"
# XCTest ends each run with "Executed N tests, with …" for all of it (the last such line).
executed() { grep -E '^[[:space:]]*Executed [0-9]+ tests?,' "$1" | tail -1 | sed -E 's/^[[:space:]]*Executed ([0-9]+).*/\1/'; }
first_ran=$(executed "$first_log")
second_ran=$(executed "$second_log")
ran=$(( ${first_ran:-0} + ${second_ran:-0} ))
expected=$(wc -l <<< "$listed")
echo "scripts/test.sh: first shard exit $first_status, second shard exit $second_status; $ran of $expected listed tests executed"
[ "$first_status" -eq 0 ] && [ "$second_status" -eq 0 ] && [ "$ran" -eq "$expected" ]
