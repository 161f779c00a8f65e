#!/usr/bin/env bash
# Simulates the shipped prompt-set designs and writes docs/statistics-validation.md: coverage, size,
# power and verdict error rates of the audit's statistics. About 10 minutes on 2 cores; --quick: ~20 s.
#   scripts/validate-statistics.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product statistics-validation >&2
.build/release/statistics-validation --out docs/statistics-validation.md "$@"
