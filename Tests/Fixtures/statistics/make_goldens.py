"""Writes goldens.json, the reference values of StatisticsTests.

Run from this directory:  python3 make_goldens.py
Made with Python 3, NumPy 2.4.6 and SciPy 1.17.1 (versions are recorded in the JSON).
The tests never run Python: they read the committed goldens.json.
"""
import json
import sys

import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(20240611)


def floats(array):
    return [float(v) for v in array]


def bh_cases():
    inputs = [
        [0.01],
        [0.0, 1.0],
        [0.04, 0.01, 0.03, 0.02, 0.05],
        [0.2, 0.2, 0.2, 0.01, 0.01, 0.9, 1.0, 0.0],
        [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216],
        floats(rng.uniform(size=40)),
        floats(np.concatenate([rng.uniform(0, 0.01, size=15), rng.uniform(size=85)])),
        floats(rng.choice([0.001, 0.01, 0.05, 0.5], size=30)),
    ]
    return [{"p": p, "q": floats(stats.false_discovery_control(np.array(p), method="bh"))} for p in inputs]


def cohens_d(a, b):
    a, b = np.asarray(a), np.asarray(b)
    pooled = ((len(a) - 1) * np.var(a, ddof=1) + (len(b) - 1) * np.var(b, ddof=1)) / (len(a) + len(b) - 2)
    return float((np.mean(a) - np.mean(b)) / np.sqrt(pooled))


def cohens_d_cases():
    pairs = [
        ([1.0, 2.0, 3.0], [2.0, 3.0, 4.0, 5.0]),
        (floats(rng.normal(0.3, 1.0, size=12)), floats(rng.normal(0.0, 1.0, size=9))),
        (floats(rng.normal(-0.2, 0.5, size=8)), floats(rng.normal(0.1, 0.7, size=8))),
    ]
    return [{"a": a, "b": b, "d": cohens_d(a, b)} for a, b in pairs]


def cohens_h_cases():
    pairs = [(0.5, 0.25), (0.1, 0.3), (0.0, 1.0), (0.42, 0.42), (0.97, 0.9)]
    return [
        {"p1": p1, "p2": p2, "h": float(2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2)))}
        for p1, p2 in pairs
    ]


goldens = {
    "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__},
    "benjamini_hochberg": bh_cases(),
    "cohens_d": cohens_d_cases(),
    "cohens_h": cohens_h_cases(),
}
with open("goldens.json", "w") as handle:
    json.dump(goldens, handle, indent=1)
    handle.write("\n")
