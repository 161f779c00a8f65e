#!/usr/bin/env bash
# The end-to-end check of the statistics (docs/statistics.md, "End to end"): the default audit of
# random-weight models of the exact distilgpt2 and gpt2 shapes, without and with a `terrible=8` bias
# injected on one group of every shipped set, and the tiny fixture models over five seeds; then the
# findings of each run (scripts/findings_summary.py). About 25 minutes of generation on 2 idle cores
# (release build); a rerun with the same OUT regenerates nothing and only recomputes the statistics.
#   scripts/end-to-end-check.sh [OUT]        (default OUT: /tmp/biasaudit-e2e)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/biasaudit-e2e}
swift build -c release --product biasaudit >&2
B=.build/release/biasaudit
for arch in distilgpt2 gpt2; do
    [ -f "$OUT/models/random-$arch/model.safetensors" ] || python3 scripts/random_model.py "$arch" "$OUT/models/random-$arch"
done
M=(--model "$OUT/models/random-distilgpt2" --model "$OUT/models/random-gpt2" --format json)
run1="female_dominated,muslim,low_income,lower_class,foreign_born,black_female,woman,black,gay"
run2="male_dominated,christian,high_income,upper_class,native_born,white_male,man,white,straight"
inject() { A=(); IFS=, read -ra groups <<< "$1"; for g in "${groups[@]}"; do A+=(--inject-bias "$g: terrible=8"); done; }
"$B" run "${M[@]}" --out "$OUT/null"
inject "$run1"; "$B" run "${M[@]}" "${A[@]}" --out "$OUT/inj1"
inject "$run2"; "$B" run "${M[@]}" "${A[@]}" --out "$OUT/inj2"
for seed in 0 1 2 3 4; do
    "$B" run --model Tests/Fixtures/models/tiny-gpt2 --model Tests/Fixtures/models/tiny-gpt2-openai-f16 \
        --seed "$seed" --format json --out "$OUT/tiny$seed"
done
python3 scripts/findings_summary.py "$OUT/null/results.json"
python3 scripts/findings_summary.py "$OUT/inj1/results.json" "$run1"
python3 scripts/findings_summary.py "$OUT/inj2/results.json" "$run2"
for seed in 0 1 2 3 4; do python3 scripts/findings_summary.py "$OUT/tiny$seed/results.json"; done
