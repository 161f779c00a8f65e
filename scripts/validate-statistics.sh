#!/usr/bin/env bash
# Simulates the shipped prompt-set designs and writes docs/statistics-validation.md: coverage, size,
# power and verdict error rates of the audit's statistics, and lists the cells outside the target bands.
# About 15 minutes on 2 idle cores; --quick: ~20 s. --reps N sets the replications per cell.
#   scripts/validate-statistics.sh [--quick] [--reps N]
# To study a few rows without writing the table (rows keep their seeds, so they reproduce the table's):
#   swift build -c release --product statistics-validation
#   .build/release/statistics-validation --reps 500 --only "0.05 | 0.8"
# --seed N starts the rows' seeds at N instead of 1 (is a row's number one seed's luck?).
# --lone-group adds, under each row, group B's level coverage beside an alike A and with B's data alone.
# --diagnose-rate-contrasts adds, under each row of two multi-term groups' rates, where the contrast's width comes from.
# `.build/release/statistics-validation --help` lists every option; --only prints only the rows it selects, each
# under its section's heading and table header.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product statistics-validation >&2
.build/release/statistics-validation --out docs/statistics-validation.md "$@"
