#!/usr/bin/env bash
# make bench: generation throughput of biasaudit (--precision f32 and bf16) on random weights of the
# exact distilgpt2 and gpt2 shapes, side by side in the same run with
#   - CTranslate2 (float32 beside f32, int8 beside bf16) when a Python with ctranslate2 and numpy is
#     available ($BIASAUDIT_CT2_PYTHON: a python executable or a venv directory; otherwise python3 if it
#     imports both), models built by scripts/ct2_bench.py from scripts/random_model.py's weights;
#   - Hugging Face transformers (f32 rows only) when a Python with torch and transformers is available
#     ($BIASAUDIT_HF_PYTHON, likewise).
# The runs alternate: each of PAIRS rounds runs every configuration once, biasaudit then its peers, so
# a drift in the machine's speed hits both sides of a ratio alike; the table shows medians over the
# rounds and the median of the per-round ratios. bf16 rows are skipped on a CPU without bf16.
# Settings: SAMPLES (50), MAX_NEW_TOKENS (32), PROMPTS (6), PAIRS (3), ARCHS ("distilgpt2 gpt2").
# Raw JSON lines go to $BENCH_JSON (default .build/bench.jsonl).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIASAUDIT_BIN:-.build/release/biasaudit}
SAMPLES=${SAMPLES:-50}
MAX_NEW_TOKENS=${MAX_NEW_TOKENS:-32}
PROMPTS=${PROMPTS:-6}
PAIRS=${PAIRS:-3}
ARCHS=${ARCHS:-distilgpt2 gpt2}
JSON_OUT=${BENCH_JSON:-.build/bench.jsonl}

if [ ! -x "$BIN" ]; then
    echo "bench: $BIN not found; run 'make release' (or 'swift build -c release') first" >&2
    exit 69
fi

# find_python VARIABLE_VALUE MODULES: a python that imports MODULES, or nothing.
find_python() {
    local candidate=${1:-python3}
    if [ -d "$candidate" ]; then candidate="$candidate/bin/python"; fi
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import $2" >/dev/null 2>&1; then
        echo "$candidate"
    elif [ -n "$1" ]; then
        echo "bench: $candidate cannot import $2; skipping that comparison" >&2
    fi
}
hf_python=$(find_python "${BIASAUDIT_HF_PYTHON:-}" "torch, transformers")
ct2_python=$(find_python "${BIASAUDIT_CT2_PYTHON:-}" "ctranslate2, numpy")
precisions="f32"
if "$BIN" bench --arch distilgpt2 --samples 1 --max-new-tokens 1 --prompts 1 --precision bf16 --json >/dev/null 2>&1; then
    precisions="f32 bf16"
else
    echo "bench: this CPU cannot run --precision bf16 (no AVX-512 BF16 or AMX); f32 only" >&2
fi

mkdir -p "$(dirname "$JSON_OUT")"
: >"$JSON_OUT"
echo "machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p'), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "settings: $PROMPTS prompts × $SAMPLES samples × $MAX_NEW_TOKENS new tokens, temperature 0.7, top-k 50, top-p 0.9, EOS does not stop a sample; $PAIRS alternating rounds"
[ -n "$ct2_python" ] || echo "CTranslate2: not measured (no Python with ctranslate2 and numpy; see docs/performance.md)"
[ -n "$hf_python" ] || echo "transformers: not measured (no Python with torch and transformers; see README, Performance)"

record() {  # round, label, engine, JSON
    echo "{\"round\": $1, \"label\": \"$2\", \"engine\": \"$3\", \"result\": $4}" >>"$JSON_OUT"
}

for round in $(seq 1 "$PAIRS"); do
    for arch in $ARCHS; do
        for shape in batched batch-1; do
            if [ "$shape" = batched ]; then
                args=(--arch "$arch" --samples "$SAMPLES" --max-new-tokens "$MAX_NEW_TOKENS" --prompts "$PROMPTS")
            else
                args=(--arch "$arch" --samples 1 --max-new-tokens "$MAX_NEW_TOKENS" --prompts "$PROMPTS" --per-prompt)
            fi
            for precision in $precisions; do
                label="$arch $shape $precision"
                record "$round" "$label" biasaudit "$("$BIN" bench "${args[@]}" --precision "$precision" --json)"
                if [ -n "$ct2_python" ]; then
                    compute=$([ "$precision" = bf16 ] && echo int8 || echo float32)
                    record "$round" "$label" "ctranslate2 $compute" \
                        "$("$ct2_python" scripts/ct2_bench.py "${args[@]}" --compute-type "$compute" --biasaudit "$BIN")"
                fi
                if [ -n "$hf_python" ] && [ "$precision" = f32 ]; then
                    record "$round" "$label" transformers "$("$hf_python" scripts/hf_bench.py "${args[@]}")"
                fi
            done
        done
    done
    echo "round $round of $PAIRS done; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done

python3 - "$JSON_OUT" <<'PY'
import collections, json, statistics, sys
runs = collections.defaultdict(dict)  # (label, engine) -> round -> tokens/s
order = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    key = (r["label"], r["engine"])
    if key not in runs:
        order.append(key)
    runs[key][r["round"]] = r["result"]["tokens_per_second"]

def median_ratio(a, b):
    common = sorted(set(a) & set(b))
    return statistics.median(a[i] / b[i] for i in common) if common else None

widths = [26, 24, 12, 8, 8, 12]
def row(values):
    return "".join(str(v).ljust(w) if i < 2 else str(v).rjust(w) for i, (v, w) in enumerate(zip(values, widths)))
print(row(["run", "engine", "tok/s (med)", "min", "max", "biasaudit ×"]))
for label, engine in order:
    values = runs[(label, engine)]
    ratio = None if engine == "biasaudit" else median_ratio(runs[(label, "biasaudit")], values)
    print(row([label, engine, "%.1f" % statistics.median(values.values()), "%.0f" % min(values.values()),
               "%.0f" % max(values.values()), "-" if ratio is None else "%.2f" % ratio]))
for label, engine in order:
    if engine == "biasaudit" and label.endswith(" bf16"):
        f32 = runs.get((label[:-5] + " f32", "biasaudit"))
        if f32:
            print("%s: bf16 / f32 = %.2f (median of per-round ratios)" % (label[:-5], median_ratio(runs[(label, engine)], f32)))
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); JSON: $JSON_OUT"
