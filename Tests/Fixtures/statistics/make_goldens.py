"""Writes goldens.json, the reference values of ReferenceTests (Tests/StatisticsTests/ReferenceTests.swift).

Run from anywhere (it reads and writes goldens.json beside itself):
  python3 make_goldens.py            rewrite goldens.json
  python3 make_goldens.py --check    rewrite nothing; exit 1 if goldens.json differs from what this script writes,
                                     69 without NumPy or SciPy (`make check-fixtures` reruns all generators)
Made with NumPy 2.4.6 and SciPy 1.17.1 (on Python 3.11.7; all three recorded in the JSON). The numbers depend on
NumPy and SciPy only: --check reports a NumPy or SciPy version difference first, and compares the file as if
written with its recorded Python version (a different Python is named but is not a difference).
The tests never run Python: they read the committed goldens.json.

Each section that draws random numbers has its own generator, np.random.Generator(np.random.PCG64(seed)) with the
seed in SEEDS, so adding or removing a section leaves the other sections' draws unchanged. (Before, every section
drew from one shared default_rng(20240611): when the quantile and moment sections were removed in 04c0334 and their
entries deleted from the JSON by hand, the Cohen's d draws of the script moved and no longer matched the file.)
"""
import json
import os
import sys

try:
    import numpy as np
    import scipy
    from scipy import stats
except ImportError as error:
    print(f"make_goldens.py: {error.name} is not installed; install the versions goldens.json was written with:\n"
          "  pip install numpy==2.4.6 scipy==1.17.1", file=sys.stderr)
    sys.exit(69)

GOLDENS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens.json")
# The versions that determine the numbers; the Python version is recorded for information only.
DETERMINING = ("numpy", "scipy")
# One seed per section that draws. Benjamini–Hochberg keeps the seed of the original shared generator, so its
# draws are those of the first goldens; Cohen's d has its own since 2026-12-03.
SEEDS = {"benjamini_hochberg": 20240611, "cohens_d": 20261203}


def generator(section):
    return np.random.Generator(np.random.PCG64(SEEDS[section]))


def floats(array):
    return [float(v) for v in array]


def bh_cases():
    rng = generator("benjamini_hochberg")
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
    rng = generator("cohens_d")
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


def render(python=None):
    """The JSON text; `python` replaces the running Python's version in "versions" (--check uses the recorded one)."""
    goldens = {
        "versions": {"python": python or sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__},
        "benjamini_hochberg": bh_cases(),
        "cohens_d": cohens_d_cases(),
        "cohens_h": cohens_h_cases(),
    }
    return json.dumps(goldens, indent=1) + "\n"


def check():
    """Compares what this script writes with the committed file; prints where they differ and returns the exit
    status. The recorded Python version is kept in the comparison: only NumPy's and SciPy's count."""
    try:
        with open(GOLDENS, encoding="utf-8") as handle:
            committed = handle.read()
    except OSError as error:
        print(f"make_goldens.py --check: cannot read {GOLDENS} ({error.strerror}); restore it with "
              "git checkout -- Tests/Fixtures/statistics/goldens.json", file=sys.stderr)
        return 66
    try:
        recorded = json.loads(committed).get("versions", {})
    except (ValueError, AttributeError):
        recorded = {}
    python = sys.version.split()[0]
    text = render(python=recorded.get("python") if isinstance(recorded.get("python"), str) else None)
    if committed == text:
        note = "" if recorded.get("python") == python else \
            f" (recorded Python {recorded.get('python')}, this is {python}: not compared, the numbers depend on NumPy and SciPy)"
        print(f"goldens.json: reproduced byte for byte{note}")
        return 0
    here = json.loads(text)["versions"]
    other_versions = any(recorded.get(name) != here[name] for name in DETERMINING)
    if other_versions:
        print(f"goldens.json: written with NumPy {recorded.get('numpy')} and SciPy {recorded.get('scipy')}, this is "
              f"NumPy {here['numpy']} and SciPy {here['scipy']}; install those versions to compare "
              f"(pip install numpy=={recorded.get('numpy')} scipy=={recorded.get('scipy')})", file=sys.stderr)
    old, new = committed.splitlines(), text.splitlines()
    differing = [i for i in range(max(len(old), len(new))) if i >= len(old) or i >= len(new) or old[i] != new[i]]
    first = differing[0]
    print(f"goldens.json: differs from what make_goldens.py writes in {len(differing)} lines, first at line {first + 1}:\n"
          f"  committed: {old[first][:80] if first < len(old) else '(end of file)'}\n"
          f"  script:    {new[first][:80] if first < len(new) else '(end of file)'}", file=sys.stderr)
    if other_versions:
        print("Do not commit a rewrite made with other versions: check again with the recorded ones.", file=sys.stderr)
    else:
        print("Rerun python3 make_goldens.py, check that ReferenceTests still pass, and commit both files.",
              file=sys.stderr)
    return 1


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments not in ([], ["--check"]):
        print("usage: python3 make_goldens.py [--check]", file=sys.stderr)
        sys.exit(64)
    if arguments == ["--check"]:
        sys.exit(check())
    with open(GOLDENS, "w", encoding="utf-8") as handle:
        handle.write(render())
