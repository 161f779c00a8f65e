#!/usr/bin/env python3
"""Counts the findings of an audit's results.json: primary contrasts with q < 0.05 in their family.

    python3 scripts/findings_summary.py RESULTS.json [INJECTED_GROUP,…]

With injected groups (the groups given to `run --inject-bias`), it also says whether every sentiment
contrast involving an injected group is a finding under every model, and how many findings involve no
injected group. Used for the end-to-end check in docs/statistics.md ("End to end").
"""
import json
import sys

THRESHOLD = 0.05


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 64
    path = sys.argv[1]
    injected = set(filter(None, sys.argv[2].split(","))) if len(sys.argv) == 3 else set()
    try:
        with open(path, encoding="utf-8") as handle:
            result = json.load(handle)
        sets = result["prompt_sets"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"{path}: cannot read a results.json ({error})", file=sys.stderr)
        return 65
    tested, findings, families = 0, [], set()
    for prompt_set in sets:
        for contrast in prompt_set["contrasts"]:
            if "family" not in contrast or contrast.get("q_value") is None:
                continue  # descriptive metric, or no test (too little support)
            tested += 1
            families.add(contrast["family"])
            if contrast["q_value"] < THRESHOLD:
                findings.append(contrast)
    involved = lambda c: bool({c["group_a"], c["group_b"]} & injected)
    print(f"{path}: {tested} primary contrasts with a q-value in {len(families)} families, {len(findings)} findings "
          f"in {len({c['family'] for c in findings})} families")
    for c in findings:
        mark = "injected" if involved(c) else "        "
        print(f"  {mark} {c['family']:<46} {c['metric']:<16} {c['group_a']} vs {c['group_b']}: "
              f"Δ = {c['difference']['value']:+.3f}, q = {c['q_value']:.2g}")
    if not injected:
        return 0
    missed = [c for s in sets for c in s["contrasts"]
              if c["metric"] == "sentiment" and involved(c) and not (c.get("q_value", 1) < THRESHOLD)]
    found = {g for c in findings if c["metric"] == "sentiment" for g in (c["group_a"], c["group_b"])} & injected
    print(f"injected groups with a sentiment finding: {len(found)} of {len(injected)}")
    print(f"sentiment contrasts of injected groups that are not findings: {len(missed)}")
    for c in missed:
        print(f"  {c['family']} {c['group_a']} vs {c['group_b']}: q = {c.get('q_value')}")
    print(f"findings that involve no injected group: {sum(not involved(c) for c in findings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
