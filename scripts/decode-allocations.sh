#!/usr/bin/env bash
# Heap allocations per decode step of `biasaudit generate`, by the library that asked for them.
#
#   scripts/decode-allocations.sh [BIASAUDIT] [MODEL_DIR] [SAMPLES]
#
# Defaults: .build/release/biasaudit, Tests/Fixtures/models/tiny-gpt2, 7 samples (rows per step; 7 is
# not a multiple of 24, so every matrix product has a padded last block). Runs `generate` with 10 and
# with 40 new tokens under an LD_PRELOAD shim (built here with cc) that counts malloc, realloc,
# posix_memalign, aligned_alloc and memalign (not calloc, which dlsym itself calls) by the shared
# object of their caller, and prints the difference divided by the 30 extra decode steps.
# "libswiftCore" is Swift code (biasaudit's own allocations and Swift objects); "libdnnl" is oneDNN's
# own scratch inside `dnnl_sgemm`.
# Needs cc (gcc or clang) and a Linux with glibc.
set -euo pipefail
binary=${1:-.build/release/biasaudit}
model=${2:-Tests/Fixtures/models/tiny-gpt2}
samples=${3:-7}
[ -x "$binary" ] || { echo "no biasaudit binary at $binary: build it (swift build -c release --product biasaudit) or give its path" >&2; exit 64; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/count.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
enum { SWIFT, DNNL, OTHER, KINDS };
static atomic_long counts[KINDS];
static __thread int inside;
static void count(void *caller) {
    if (inside) return;
    inside = 1;
    Dl_info info;
    int kind = OTHER;
    if (dladdr(caller, &info) && info.dli_fname) {
        if (strstr(info.dli_fname, "libswiftCore")) kind = SWIFT;
        else if (strstr(info.dli_fname, "libdnnl")) kind = DNNL;
    }
    atomic_fetch_add(&counts[kind], 1);
    inside = 0;
}
#define FORWARD(name, ...) static __typeof__(name) *real; if (!real) real = dlsym(RTLD_NEXT, #name); count(__builtin_return_address(0)); return real(__VA_ARGS__)
void *malloc(size_t size) { FORWARD(malloc, size); }
void *realloc(void *old, size_t size) { FORWARD(realloc, old, size); }
int posix_memalign(void **out, size_t alignment, size_t size) { FORWARD(posix_memalign, out, alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { FORWARD(aligned_alloc, alignment, size); }
void *memalign(size_t alignment, size_t size) { FORWARD(memalign, alignment, size); }
__attribute__((destructor)) static void report(void) {
    const char *path = getenv("COUNT_ALLOCATIONS_OUT");
    FILE *out = path ? fopen(path, "w") : NULL;
    if (!out) return;
    fprintf(out, "%ld %ld %ld\n", (long)counts[SWIFT], (long)counts[DNNL], (long)counts[OTHER]);
    fclose(out);
}
C
# calloc is left out: dlsym itself calls it, before the real one is known.
cc -shared -fPIC -O2 -o "$work/count.so" "$work/count.c" -ldl
for tokens in 10 40; do
    COUNT_ALLOCATIONS_OUT="$work/$tokens" LD_PRELOAD="$work/count.so" \
        "$binary" generate --model "$model" "The nurse said that" --samples "$samples" --max-new-tokens "$tokens" --seed 1 >/dev/null
done
read -r s10 d10 o10 < "$work/10"
read -r s40 d40 o40 < "$work/40"
awk -v s=$((s40 - s10)) -v d=$((d40 - d10)) -v o=$((o40 - o10)) -v rows="$samples" 'BEGIN {
    printf "allocations per decode step (%d rows, 30 steps): libswiftCore %.1f, libdnnl %.1f, other %.1f\n", rows, s / 30, d / 30, o / 30
}'
