"""Writes bh-family-goldens.json, the reference values of the Benjamini–Hochberg-within-families test
(StatisticsTests/ReferenceTests.testBenjaminiHochbergWithinFamiliesMatchesScipy).

Run from anywhere:  python3 make_bh_family_goldens.py  (writes bh-family-goldens.json beside itself)
Each case is a list of positions, each with a family (a string) or none (untested), and their p-values. The positions
are grouped into families here, independently of the Swift code (a dict of each family's positions, in position
order), and each family's q-values are SciPy's `false_discovery_control(p, method='bh')` of its p-values; an untested
position has q null. Versions are recorded in the JSON. The tests never run Python.
"""
import json
import os
import sys

try:
    import numpy as np
    import scipy
    from scipy import stats
except ImportError as error:
    print(f"make_bh_family_goldens.py: {error.name} is not installed; install the versions the JSON was written "
          "with:\n  pip install numpy==2.4.6 scipy==1.17.1", file=sys.stderr)
    sys.exit(69)

rng = np.random.default_rng(20261203)


def case(families, p):
    members = {}
    for index, family in enumerate(families):
        if family is not None:
            members.setdefault(family, []).append(index)
    q = [None] * len(p)
    for indices in members.values():
        adjusted = stats.false_discovery_control(np.array([p[i] for i in indices]), method="bh")
        for index, value in zip(indices, adjusted):
            q[index] = float(value)
    return {"families": families, "p": p, "q": q}


size = 40
drawn_families = [f"f{int(i)}" if i < 3 else None for i in rng.integers(0, 4, size=size)]
drawn_p = [float(v) for v in rng.uniform(size=size)]
goldens = {
    "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__},
    "cases": [
        case(["a", "b", None, "a", "b", "a", None, "c"], [0.04, 0.2, 0.5, 0.01, 0.03, 0.02, 0.001, 0.7]),
        case([None, None], [0.1, 0.2]),
        case([], []),
        case(["x", "x", "x"], [0.0, 1.0, 0.5]),
        case(drawn_families, drawn_p),
    ],
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "bh-family-goldens.json"), "w") as handle:
    json.dump(goldens, handle, indent=1)
    handle.write("\n")
