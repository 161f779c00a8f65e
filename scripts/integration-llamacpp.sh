#!/usr/bin/env bash
# make test-integration: biasaudit against a real engine. Serves the tiny fixture GPT-2
# (Tests/Fixtures/models/tiny-gpt2, converted to GGUF by scripts/gpt2_to_gguf.py) with llama.cpp's server
# (llama-cpp-python[server] from PyPI, built from source on first use: ~50 min on 2 busy cores, then cached in
# .build/integration-venv; later runs ~25 s), then checks that
#   1. next-token through the endpoint gives the in-process engine's probabilities (same weights),
#   2. greedy generate through the endpoint gives the in-process engine's text,
#   3. a small audit with a local and the served model completes, and a kill + rerun resumes,
#   4. with the server stopped, run exits 69 naming the URL.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.build/integration-venv
WORK=.build/integration
PORT=${BIASAUDIT_INTEGRATION_PORT:-18765}
BIN=.build/debug/biasaudit
MODEL=Tests/Fixtures/models/tiny-gpt2
SET=Tests/Fixtures/audit/small-set.yaml
URL="http://127.0.0.1:$PORT/v1"
started=$(date +%s)

if ! "$VENV/bin/python" -c 'import llama_cpp.server, gguf' 2>/dev/null; then
    python3 -m venv "$VENV"
    CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} "$VENV/bin/pip" install 'llama-cpp-python[server]' gguf
fi
"$VENV/bin/python" -c 'import llama_cpp; print("llama-cpp-python", llama_cpp.__version__)'
[ -x "$BIN" ] || swift build
mkdir -p "$WORK"
rm -rf "$WORK/audit" "$WORK/resumed"
"$VENV/bin/python" scripts/gpt2_to_gguf.py "$MODEL" "$WORK/tiny-gpt2.gguf"

"$VENV/bin/python" -m llama_cpp.server --model "$WORK/tiny-gpt2.gguf" --model_alias tiny --host 127.0.0.1 \
    --port "$PORT" --n_ctx 128 --logits_all true > "$WORK/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -fsS "$URL/models" > /dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || { cat "$WORK/server.log"; echo "FAIL: the server did not start"; exit 1; }
    sleep 0.5
done
curl -fsS "$URL/models"; echo

check() { "$VENV/bin/python" - "$@"; }

# 1. Next-token probabilities: the server's top-5 log-probabilities against the in-process softmax.
"$BIN" next-token --model "$MODEL" "The nurse said that" --top 5 --json > "$WORK/local-next.json"
"$BIN" next-token --model "$URL#tiny" "The nurse said that" --top 5 --json > "$WORK/served-next.json"
check "$WORK/local-next.json" "$WORK/served-next.json" <<'EOF'
import json, sys
local = {e["token"]: e["prob"] for e in json.load(open(sys.argv[1]))["top"]}
served = {e["token"]: e["prob"] for e in json.load(open(sys.argv[2]))["top"]}
tolerance = 1e-4  # F32 both sides; different kernels and summation orders
common = [t for t in served if t in local]
worst = max(abs(local[t] - served[t]) for t in common) if common else float("inf")
print(f"next-token: {len(common)} of {len(served)} served tokens in the local top 5, largest |diff| {worst:.2e}")
assert len(common) >= 4 and worst <= tolerance, (local, served)
EOF

# 2. Greedy generation: the same continuation.
"$BIN" generate --model "$MODEL" "The plumber walked into the room and" --greedy --max-new-tokens 8 --json > "$WORK/local-gen.json"
"$BIN" generate --model "$URL#tiny" "The plumber walked into the room and" --greedy --max-new-tokens 8 --json > "$WORK/served-gen.json"
check "$WORK/local-gen.json" "$WORK/served-gen.json" <<'EOF'
import json, sys
local = json.load(open(sys.argv[1]))["samples"][0]["text"]
served = json.load(open(sys.argv[2]))["samples"][0]["text"]
print(f"greedy: local {local!r}, served {served!r}")
assert local == served
EOF

# 3. A small audit, a local and the served model; then the same run killed after its first answers and resumed.
"$BIN" run "$SET" --model "local=$MODEL" --model "llamacpp=$URL#tiny" --samples 4 --max-new-tokens 6 --seed 5 \
    --concurrency 4 --out "$WORK/audit" --quiet --format json > /dev/null
check "$WORK/audit/results.json" <<'EOF'
import json, sys
result = json.load(open(sys.argv[1]))
served = next(m for m in result["manifest"]["models"] if m["id"] == "llamacpp")
print("served manifest:", {k: served.get(k) for k in ["source", "served_name", "accepted_parameters", "common_random_numbers", "next_token_log_odds"]})
assert served["common_random_numbers"] is False
speeds = {m["model"]: m["completions"] for m in result["timing"]["models"]}
assert speeds == {"local": 48, "llamacpp": 48}, speeds
EOF
"$BIN" run "$SET" --model "llamacpp=$URL#tiny" --samples 4 --max-new-tokens 6 --seed 5 --concurrency 1 \
    --out "$WORK/resumed" --quiet --format json > /dev/null &
run=$!
# Interrupt once the first answers are stored (Ctrl-C: the requests in flight finish and are stored).
"$VENV/bin/python" - "$WORK/resumed/run.sqlite" <<'EOF'
import sqlite3, sys, time
for _ in range(600):
    try:
        if sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM completion").fetchone()[0] >= 6:
            break
    except sqlite3.Error:
        pass
    time.sleep(0.05)
EOF
kill -INT $run 2>/dev/null || true
wait $run || echo "interrupted run exited $?"
"$BIN" run "$SET" --model "llamacpp=$URL#tiny" --samples 4 --max-new-tokens 6 --seed 5 --concurrency 1 \
    --out "$WORK/resumed" --quiet --format json > /dev/null
check "$WORK/resumed/results.json" <<'EOF'
import json, sys
speed = json.load(open(sys.argv[1]))["timing"]["models"][0]
print(f"resumed: {speed['stored_before']} completions were stored before, {speed['completions']} generated now")
assert speed["stored_before"] > 0 and speed["completions"] > 0, "the run was interrupted and resumed"
assert speed["completions"] + speed["stored_before"] == 48
EOF

# 4. The server down: exit 69 naming the URL.
kill $server; wait $server 2>/dev/null || true
set +e
"$BIN" run "$SET" --model "llamacpp=$URL#tiny" --samples 1 --out "$WORK/down" --quiet 2> "$WORK/down.err"
status=$?
set -e
grep -q "$URL" "$WORK/down.err" && [ $status -eq 69 ] || { cat "$WORK/down.err"; echo "FAIL: exit $status"; exit 1; }
echo "server down: exit 69 naming $URL"
echo "integration test passed in $(( $(date +%s) - started )) s"
