#!/usr/bin/env bash
# Checks that every fixture generator in Tests/Fixtures (make_*.py) reproduces its committed files byte for byte:
# each generator runs in a temporary copy of its directory and the copy is compared with the committed one
# (`diff -r`: a changed, missing or extra file is a difference). Commits nothing and changes nothing in the clone.
#   scripts/check-fixtures.sh        (make check-fixtures)
# Needs python3 with the versions the fixtures were written with (see Tests/Fixtures/README.md):
#   pip install numpy==2.4.6 scipy==1.17.1 statsmodels==0.15.0 tokenizers==0.23.3
# Exit status: 0 all reproduce, 1 a generator's output differs or it failed, 69 python3 or a module is missing,
# 70 a make_*.py that this script does not know (add it to GENERATORS below).
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
fixtures=Tests/Fixtures

# generator (under Tests/Fixtures) and the Python modules it imports beyond the standard library
GENERATORS=(
    "statistics/make_goldens.py:numpy scipy"
    "statistics/make_bh_family_goldens.py:numpy scipy"
    "statistics/make_inference_goldens.py:numpy scipy statsmodels"
    "gate/make_fixtures.py:"
    "reporting/make_fixture.py:"
    "wordpiece/make_goldens.py:tokenizers"
)

known=()
for entry in "${GENERATORS[@]}"; do known+=("${entry%%:*}"); done
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
    for module in ${entry#*:}; do
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

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${GENERATORS[@]}"; do
    generator=${entry%%:*}
    directory=${generator%%/*}
    rm -rf "${work:?}/$directory"
    cp -a "$fixtures/$directory" "$work/$directory"
    if ! (cd "$work/$directory" && "$python" -B "${generator#*/}") >"$work/log" 2>&1; then
        echo "$generator: FAILED to run; its output:" >&2
        tail -n 20 "$work/log" >&2
        status=1
    elif difference=$(diff -r "$fixtures/$directory" "$work/$directory"); then
        echo "$generator: reproduces $fixtures/$directory"
    else
        echo "$generator: does NOT reproduce $fixtures/$directory ($(grep -c '^[<>]' <<<"$difference") lines differ):" >&2
        head -n 12 <<<"$difference" | cut -c1-120 >&2
        echo "  rerun it (see its header), check the tests that read these files, and commit both" >&2
        status=1
    fi
done
exit $status
