#!/usr/bin/env python3
"""Chance that a contrast whose true gap equals its MDE becomes a finding after Benjamini-Hochberg.

The MDE is stated for the contrast's own two-sided test at alpha = 0.05 with 80% power. A finding also needs
its q-value below 0.05 within its family (one prompt set under one model). With the other contrasts of the
family null and independent, normal approximation, 200,000 seeded draws per family size:

    python3 scripts/mde-family-power.py [--alpha 0.05]

prints the family size and the percentage of draws in which the contrast at its MDE is a finding
(80.0 for a family of 1). `--alpha` is 1 - the run's --confidence: the test's level and the false
discovery rate of findings (0.10 for --confidence 0.9, 0.01 for 0.99). Needs numpy and scipy
(pip install numpy scipy).
"""
import argparse

import numpy as np
from scipy.stats import norm

ALPHA, POWER, DRAWS = 0.05, 0.8, 200_000


def finding_rate(m, rng):
    shift = norm.ppf(1 - ALPHA / 2) + norm.ppf(POWER)
    t = rng.standard_normal((DRAWS, m))
    t[:, 0] += shift
    p = 2 * norm.sf(np.abs(t))
    order = np.argsort(p, axis=1)
    ranked = np.take_along_axis(p, order, axis=1) * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[:, ::-1], axis=1)[:, ::-1]
    q = np.empty_like(ranked)
    np.put_along_axis(q, order, ranked, axis=1)
    return float(np.mean(q[:, 0] < ALPHA))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alpha", type=float, default=ALPHA, help="1 - the confidence level (default 0.05)")
    ALPHA = parser.parse_args().alpha
    rng = np.random.default_rng(1)
    for m in (1, 2, 4, 6, 12, 24):
        print(f"family of {m:2d}: {100 * finding_rate(m, rng):.1f}% findings at the MDE")
