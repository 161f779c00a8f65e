#!/usr/bin/env python3
"""How many group levels of a bf16 audit fall inside the F32 audit's confidence intervals.

    python3 scripts/precision_compare.py F32/results.json BF16/results.json

Both runs must audit the same prompt sets and models with the same seed (`biasaudit run --precision f32`
and `--precision bf16`, same --seed): the completions then share their random streams, so a difference is
the arithmetic's. For every (prompt set, model, group, metric) with an interval in the F32 run, the bf16
point estimate is inside [lower, upper] or not; prints, per metric, how many are inside, and the largest
|bf16 − F32| of the point estimates. Group levels without an interval (below a metric's minimum support)
are counted apart. Needs only the standard library.
"""
import collections
import json
import sys


def levels(path):
    result = json.load(open(path))
    precision = result["manifest"].get("precision", "f32")
    out = {}
    for prompt_set in result["prompt_sets"]:
        for group in prompt_set["group_estimates"]:
            for entry in group["estimates"]:
                key = (prompt_set["name"], group["model"], group["group"], entry["metric"])
                out[key] = entry["estimate"]
    return precision, out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: precision_compare.py F32_RESULTS.json BF16_RESULTS.json")
    (precision_a, a), (precision_b, b) = levels(sys.argv[1]), levels(sys.argv[2])
    inside = collections.Counter()
    total = collections.Counter()
    unsupported = collections.Counter()
    largest = collections.defaultdict(float)
    for key, reference in a.items():
        metric = key[3]
        other = b.get(key)
        if other is None or other.get("value") is None or reference.get("value") is None:
            unsupported[metric] += 1
            continue
        largest[metric] = max(largest[metric], abs(other["value"] - reference["value"]))
        if reference.get("lower") is None or reference.get("upper") is None:
            unsupported[metric] += 1
            continue
        total[metric] += 1
        if reference["lower"] <= other["value"] <= reference["upper"]:
            inside[metric] += 1
    print(f"{sys.argv[2]} ({precision_b}) against the intervals of {sys.argv[1]} ({precision_a})")
    print(f"{'metric':<22}{'inside':>8}{'of':>6}{'share':>8}{'max |Δ|':>10}{'no interval':>13}")
    for metric in sorted(set(total) | set(unsupported)):
        share = inside[metric] / total[metric] if total[metric] else float("nan")
        print(f"{metric:<22}{inside[metric]:>8}{total[metric]:>6}{share:>8.1%}{largest[metric]:>10.4f}{unsupported[metric]:>13}")


if __name__ == "__main__":
    main()
