#!/usr/bin/env bash
# make bench: generation throughput of biasaudit on random weights of the exact distilgpt2 and gpt2
# shapes, and of Hugging Face transformers on the same settings in the same run when a Python with
# torch and transformers is available ($BIASAUDIT_HF_PYTHON: a python executable or a venv
# directory; otherwise python3 if it imports both). Settings: SAMPLES (50), MAX_NEW_TOKENS (32),
# PROMPTS (6), REPEAT (2, biasaudit's fastest run counts). Raw JSON lines go to $BENCH_JSON
# (default .build/bench.jsonl).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIASAUDIT_BIN:-.build/release/biasaudit}
SAMPLES=${SAMPLES:-50}
MAX_NEW_TOKENS=${MAX_NEW_TOKENS:-32}
PROMPTS=${PROMPTS:-6}
REPEAT=${REPEAT:-2}
JSON_OUT=${BENCH_JSON:-.build/bench.jsonl}

if [ ! -x "$BIN" ]; then
    echo "bench: $BIN not found; run 'make release' (or 'swift build -c release') first" >&2
    exit 69
fi

hf_python=""
candidate=${BIASAUDIT_HF_PYTHON:-python3}
if [ -d "$candidate" ]; then candidate="$candidate/bin/python"; fi
if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import torch, transformers' >/dev/null 2>&1; then
    hf_python=$candidate
elif [ -n "${BIASAUDIT_HF_PYTHON:-}" ]; then
    echo "bench: BIASAUDIT_HF_PYTHON=$BIASAUDIT_HF_PYTHON cannot import torch and transformers; skipping the comparison" >&2
fi

mkdir -p "$(dirname "$JSON_OUT")"
: >"$JSON_OUT"
echo "machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p'), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "settings: $PROMPTS prompts × $SAMPLES samples × $MAX_NEW_TOKENS new tokens, temperature 0.7, top-k 50, top-p 0.9, EOS does not stop a sample"
[ -n "$hf_python" ] || echo "transformers: not measured (no Python with torch and transformers; see README, Performance)"

# Formats the lines "label|biasaudit JSON|transformers JSON or empty" as a table.
TABLE=$(cat <<'PY'
import json, sys
columns = ["run", "rows/step", "biasaudit tok/s", "matmul ceiling", "of ceiling", "transformers", "ratio", "peak MiB"]
widths = [20, 10, 17, 16, 12, 14, 8, 10]
def row(values):
    return "".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(values, widths)))
print(row(columns))
for line in sys.stdin:
    label, ours, hf = line.rstrip("\n").split("|", 2)
    o = json.loads(ours)
    h = json.loads(hf) if hf else None
    print(row([
        label, "%.0f" % o["rows_per_step"], "%.1f" % o["tokens_per_second"],
        "%.1f" % o["matmul_ceiling_tokens_per_second"], "%.1f%%" % (100 * o["fraction_of_ceiling"]),
        "%.1f" % h["tokens_per_second"] if h else "-",
        "%.2fx" % (o["tokens_per_second"] / h["tokens_per_second"]) if h else "-",
        "%.0f" % (o["peak_memory_bytes"] / 1048576),
    ]))
PY
)

run() {  # label, then the bench arguments
    local label=$1
    shift
    local ours hf=""
    ours=$("$BIN" bench "$@" --repeat "$REPEAT" --json)
    echo "{\"label\": \"$label\", \"biasaudit\": $ours}" >>"$JSON_OUT"
    if [ -n "$hf_python" ]; then
        hf=$("$hf_python" scripts/hf_bench.py "$@")
        echo "{\"label\": \"$label\", \"transformers\": $hf}" >>"$JSON_OUT"
    fi
    echo "$label|$ours|$hf"
}

{
    for arch in distilgpt2 gpt2; do
        run "$arch batched" --arch "$arch" --samples "$SAMPLES" --max-new-tokens "$MAX_NEW_TOKENS" --prompts "$PROMPTS"
        run "$arch batch-1" --arch "$arch" --samples 1 --max-new-tokens "$MAX_NEW_TOKENS" --prompts "$PROMPTS" --per-prompt
    done
} | python3 -c "$TABLE"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); JSON: $JSON_OUT"
