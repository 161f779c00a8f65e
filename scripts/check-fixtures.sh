#!/usr/bin/env bash
# Checks that every fixture generator in Tests/Fixtures (make_*.py) reproduces the files it writes byte for byte:
# each generator's directory is copied to a temporary directory, the files the generator writes (its outputs,
# listed in GENERATORS below) are deleted from the copy, the generator runs from another directory (so one that
# writes into the current directory instead of beside itself fails), and the copy is compared with the committed
# directory (`diff -r`): an output that is missing, changed or extra, or a generator that fails, is a difference.
# Files a generator only reads (e.g. wordpiece/*/vocab.txt, gate/policies/*.yaml, written by hand) are not checked.
# A line `"python": "…",` (the Python version some goldens record for information) is not compared: the numbers
# depend on the module versions below, not on Python's. Commits nothing and changes nothing in the clone.
#   scripts/check-fixtures.sh        (make check-fixtures)
# Needs python3 with the versions the fixtures were written with (see Tests/Fixtures/README.md):
#   pip install numpy==2.4.6 scipy==1.17.1 statsmodels==0.15.0 tokenizers==0.23.3
# Exit status: 0 all reproduce, 1 a generator's output differs or is missing or it failed, 69 python3 or a module
# is missing, 70 a make_*.py that this script does not know (add it to GENERATORS below), 74 the temporary copy
# cannot be made (TMPDIR not writable or full).
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
fixtures=Tests/Fixtures

# generator (under Tests/Fixtures) | the Python modules it imports beyond the standard library | the files it
# writes, relative to its directory (deleted from the copy before it runs, so each must be written again)
GENERATORS=(
    "statistics/make_goldens.py|numpy scipy|goldens.json"
    "statistics/make_bh_family_goldens.py|numpy scipy|bh-family-goldens.json"
    "statistics/make_inference_goldens.py|numpy scipy statsmodels|inference-goldens.json"
    "gate/make_fixtures.py||current/results.json baseline/results.json incomparable/results.json sparse/results.json broken/newer-schema.json broken/truncated.json"
    "reporting/make_fixture.py||audit-result.json"
    "wordpiece/make_goldens.py|tokenizers|uncased/goldens.jsonl uncased/tokenizer_config.json cased/goldens.jsonl cased/tokenizer_config.json uncased-keep-accents-no-cjk/goldens.jsonl uncased-keep-accents-no-cjk/tokenizer_config.json"
)

known=()
for entry in "${GENERATORS[@]}"; do known+=("${entry%%|*}"); done
status=0
while IFS= read -r found; do
    found=${found#"$fixtures"/}
    if [[ ! " ${known[*]} " == *" $found "* ]]; then
        echo "check-fixtures: $fixtures/$found is not checked; add it to GENERATORS in scripts/check-fixtures.sh" >&2
        status=70
    fi
done < <(find "$fixtures" -name 'make_*.py' | sort)
[[ $status -eq 0 ]] || exit $status

if ! command -v "$python" >/dev/null; then
    echo "check-fixtures: $python not found; install Python 3 (or set PYTHON) and the modules in this script's header" >&2
    exit 69
fi
missing=()
for entry in "${GENERATORS[@]}"; do
    modules=${entry#*|}
    for module in ${modules%%|*}; do
        if [[ ! " ${missing[*]} " == *" $module "* ]] && ! "$python" -c "import $module" 2>/dev/null; then
            missing+=("$module")
        fi
    done
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "check-fixtures: $python lacks ${missing[*]}; install the versions the fixtures were written with:" >&2
    echo "  pip install numpy==2.4.6 scipy==1.17.1 statsmodels==0.15.0 tokenizers==0.23.3" >&2
    exit 69
fi

if ! work=$(mktemp -d 2>/dev/null) || [[ -z $work ]]; then
    echo "check-fixtures: cannot create a temporary directory in ${TMPDIR:-/tmp}; set TMPDIR to a writable directory" >&2
    exit 74
fi
# the copies are made writable (a read-only checkout would otherwise give read-only copies), so this removes them
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
for entry in "${GENERATORS[@]}"; do
    generator=${entry%%|*}
    outputs=${entry##*|}
    directory=${generator%%/*}
    rm -rf "$work/$directory" "$work/elsewhere"
    # cp -R without -p, then u+w: the copy's modes do not come from the checkout
    if ! mkdir "$work/elsewhere" || ! cp -R "$fixtures/$directory" "$work/$directory" \
        || ! chmod -R u+w "$work/$directory"; then
        echo "check-fixtures: cannot copy $fixtures/$directory to $work; check that ${TMPDIR:-/tmp} is writable and not full" >&2
        exit 74
    fi
    for output in $outputs; do rm -f "$work/$directory/$output"; done
    if ! (cd "$work/elsewhere" && "$python" -B "$work/$generator") >"$work/log" 2>&1; then
        echo "$generator: FAILED to run; its output:" >&2
        tail -n 20 "$work/log" >&2
        status=1
        continue
    fi
    missing=()
    for output in $outputs; do [[ -f "$work/$directory/$output" ]] || missing+=("$output"); done
    stray=$(cd "$work/elsewhere" && find . -type f | sed 's|^\./||' | head -n 3)
    if [[ ${#missing[@]} -gt 0 ]]; then
        echo "$generator: did NOT write ${missing[*]} (in $fixtures/$directory)${stray:+; it wrote into the current directory instead: $stray}" >&2
        status=1
    elif [[ -n $stray ]]; then
        echo "$generator: wrote into the current directory instead of beside itself: $stray" >&2
        status=1
    elif difference=$(diff -r -I '^ *"python": "[^"]*",\?$' "$fixtures/$directory" "$work/$directory"); then
        echo "$generator: reproduces $outputs"
    else
        echo "$generator: does NOT reproduce $fixtures/$directory ($(grep -c '^[<>]' <<<"$difference") lines differ):" >&2
        head -n 12 <<<"$difference" | cut -c1-120 >&2
        echo "  rerun it (see its header), check the tests that read these files, and commit both" >&2
        status=1
    fi
done
exit $status
