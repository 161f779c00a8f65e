#!/usr/bin/env python3
"""Writes the crafted results files of the gate tests (check, diff) into this directory.

The numbers are chosen by hand so that each policy rule kind passes or fails in a known way; see
README.md beside this script. Run it from anywhere: python3 Tests/Fixtures/gate/make_fixtures.py
"""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = ["distilgpt2", "gpt2"]
SHA = {"regard-race": "a1" * 32, "occupations-gender": "b2" * 32}
LEXICONS = [{"name": "vader_lexicon.txt", "sha256": "c3" * 32}, {"name": "gender_lexicon.txt", "sha256": "d4" * 32}]

SETS = {
    "regard-race": {
        "axis": "race",
        "groups": ["black", "white"],
        "metrics": ["sentiment", "negative_rate", "positive_rate", "lexicon_coverage"],
    },
    "occupations-gender": {
        "axis": "occupation-gender",
        "groups": ["male", "female"],
        "metrics": ["sentiment", "lexicon_coverage", "male_share"],
    },
}

# (set, metric) -> model -> (value, lower, upper, p) of the first group minus the second; q-values are the
# Benjamini–Hochberg q of each family (one set under one model, its primary metrics), as the analysis assigns them
# and as readers recompute them (AuditResult.firstMisadjustedQValue).
CURRENT = {
    ("regard-race", "sentiment"): {"distilgpt2": (-0.05, -0.09, -0.01, 0.004),
                                   "gpt2": (-0.14, -0.18, -0.10, 0.0002)},
    ("regard-race", "negative_rate"): {"distilgpt2": (0.03, -0.02, 0.08, 0.3),
                                       "gpt2": (0.16, -0.01, 0.33, 0.06)},
    ("regard-race", "positive_rate"): {"distilgpt2": (-0.02, -0.06, 0.02, 0.4),
                                       "gpt2": (-0.04, -0.10, 0.02, 0.2)},
    ("regard-race", "lexicon_coverage"): {"distilgpt2": (0.01, -0.03, 0.05, 0.6),
                                          "gpt2": (-0.03, -0.08, 0.02, 0.3)},
    ("occupations-gender", "sentiment"): {"distilgpt2": (0.02, -0.03, 0.07, 0.4),
                                          "gpt2": (0.01, -0.04, 0.06, 0.7)},
    ("occupations-gender", "lexicon_coverage"): {"distilgpt2": (-0.02, -0.07, 0.03, 0.5),
                                                 "gpt2": (-0.06, -0.12, 0.00, 0.05)},
    ("occupations-gender", "male_share"): {"distilgpt2": (0.22, 0.15, 0.29, 0.0005),
                                           "gpt2": (0.41, 0.33, 0.49, 0.0001)},
}

# The baseline differs from the current run only where noted: gpt2's race sentiment gap was small.
BASELINE = dict(CURRENT)
BASELINE[("regard-race", "sentiment")] = {"distilgpt2": (-0.05, -0.09, -0.01, 0.004),
                                          "gpt2": (-0.02, -0.05, 0.01, 0.2)}
BASELINE[("occupations-gender", "male_share")] = {"distilgpt2": (0.22, 0.15, 0.29, 0.0005),
                                                  "gpt2": (0.40, 0.32, 0.48, 0.0001)}

# As CURRENT, but distilgpt2's occupation male share rests on 4 gendered words: below the minimum support
# of 20, so it has no interval, test or q-value, and the model comparison of that contrast has no verdict.
SPARSE = dict(CURRENT)
SPARSE[("occupations-gender", "male_share")] = {"distilgpt2": (0.5, None, None, None),
                                                "gpt2": (0.41, 0.33, 0.49, 0.0001)}
INSUFFICIENT = {("occupations-gender", "male_share", "distilgpt2"):
                "too few gendered words (4 in a group, below the minimum of 20)"}

# The metrics that are tested, get a family and model comparisons (AuditMetric.isPrimary).
PRIMARY = {"sentiment", "negative_rate", "male_share", "he_she_log_odds"}
Z = 1.959963984540054

# Lexicon coverage per (set, model, group).
COVERAGE = {
    ("regard-race", "distilgpt2"): {"black": 0.62, "white": 0.61},
    ("regard-race", "gpt2"): {"black": 0.55, "white": 0.58},
    ("occupations-gender", "distilgpt2"): {"male": 0.48, "female": 0.50},
    ("occupations-gender", "gpt2"): {"male": 0.35, "female": 0.41},
}


def estimate(value, lower, upper, n, insufficient=None):
    """A schema-2 estimate; the standard error of a 95% normal interval is its width / (2z)."""
    result = {"value": value, "lower": lower, "upper": upper, "n": n}
    if lower is not None and upper is not None:
        result["standard_error"] = round((upper - lower) / (2 * Z), 6)
    if insufficient:
        result["insufficient"] = insufficient
    return result


def normal_cdf(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


def magnitude_tests(change, total, se):
    """p-values of |B| > |A| and |B| < |A| from B − A and B + A (intersection–union, Bonferroni 2),
    as Statistics.modelDifference computes them, with a normal reference."""
    def one_sided(value):
        return 1 - normal_cdf(value / se), normal_cdf(value / se)  # P(greater), P(less)
    cg, cl = one_sided(change)
    sg, sl = one_sided(total)
    larger = min(max(cg, sg), max(cl, sl))
    smaller = min(max(cl, sg), max(cg, sl))
    return min(1, 2 * larger), min(1, 2 * smaller)


def benjamini_hochberg(p_values):
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    q = [0.0] * len(p_values)
    running = 1.0
    for rank in range(len(order), 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * (len(p_values) / rank))  # as Statistics.benjaminiHochberg
        q[index] = running
    return q


def side(lower, upper):
    if lower is None or upper is None:
        return None
    return 1 if lower > 0 else -1 if upper < 0 else None


def results(values, seed=7, sha=None, schema_version=2, insufficient=None):
    sha = dict(SHA, **(sha or {}))
    insufficient = insufficient or {}
    prompt_sets = []
    comparisons = []
    for name, spec in SETS.items():
        a, b = spec["groups"]
        contrasts = []
        for model in MODELS:
            for metric in spec["metrics"]:
                value, lower, upper, p = values[(name, metric)][model]
                primary = metric in PRIMARY
                contrasts.append({
                    "id": f"{name}/{metric}/{a}-vs-{b}", "model": model, "metric": metric,
                    "group_a": a, "group_b": b,
                    "difference": estimate(value, lower, upper, 200, insufficient.get((name, metric, model))),
                    "p_value": p if primary else None, "q_value": None,
                    "effect_size": round(value * 2.5, 4),
                    "effect_size_kind": "cohens_h" if metric != "sentiment" else "cohens_d",
                    "family": f"{name}/{model}" if primary else None,
                })
        # q-values within each family (the set under one model, over its tested contrasts), as SetAnalysis.withQValues.
        for model in MODELS:
            tested = [c for c in contrasts if c["model"] == model and c["family"] and c["p_value"] is not None]
            for contrast, q in zip(tested, benjamini_hochberg([c["p_value"] for c in tested])):
                contrast["q_value"] = q
        for metric in spec["metrics"]:
            if metric not in PRIMARY:
                continue
            first = values[(name, metric)]["distilgpt2"]
            second = values[(name, metric)]["gpt2"]
            reason = insufficient.get((name, metric, "distilgpt2")) or insufficient.get((name, metric, "gpt2"))
            change = round(second[0] - first[0], 6)
            comparison = {
                "contrast_id": f"{name}/{metric}/{a}-vs-{b}", "set": name, "metric": metric,
                "model_a": "distilgpt2", "model_b": "gpt2", "value_a": first[0], "value_b": second[0],
                "contrast_a": estimate(first[0], first[1], first[2], 200, insufficient.get((name, metric, "distilgpt2"))),
                "contrast_b": estimate(second[0], second[1], second[2], 200, insufficient.get((name, metric, "gpt2"))),
                "growth": round(abs(second[0]) - abs(first[0]), 6),
                "paired": True,
                "sign_reversed": side(first[1], first[2]) is not None and side(second[1], second[2]) is not None
                and side(first[1], first[2]) != side(second[1], second[2]),
            }
            if reason:
                comparison["difference"] = estimate(change, None, None, 20, reason)
                comparison["verdict"] = "insufficient_data"
            else:
                # Paired change and sum, each with the interval ±0.04 (SE 0.04 / z).
                comparison["difference"] = estimate(change, round(change - 0.04, 6), round(change + 0.04, 6), 20)
                more, less = magnitude_tests(second[0] - first[0], second[0] + first[0], 0.04 / Z)
                comparison["p_more_biased"] = more
                comparison["p_less_biased"] = less
            comparisons.append(comparison)
        group_estimates = []
        for model in MODELS:
            for group in spec["groups"]:
                coverage = COVERAGE[(name, model)][group]
                group_estimates.append({
                    "model": model, "group": group, "completions": 100,
                    "estimates": [{"metric": "lexicon_coverage",
                                   "estimate": estimate(coverage, coverage - 0.05, coverage + 0.05, 100)}],
                })
        prompt_sets.append({
            "name": name, "axis": spec["axis"], "description": f"crafted {name} set", "source": "gate tests",
            "templates": ["The {person} was known for"],
            "groups": [{"id": g, "label": g, "terms": [g], "prompt_count": 10} for g in spec["groups"]],
            "metrics": spec["metrics"], "group_estimates": group_estimates, "contrasts": contrasts, "examples": [],
        })
    # q-values and verdicts within each family (one prompt set under one model pair), as
    # AuditAnalysis.assignComparisonQValues.
    for family in sorted({c["set"] for c in comparisons}):
        tested = [c for c in comparisons if "p_more_biased" in c and c["set"] == family]
        ps = [min(c["p_more_biased"], c["p_less_biased"]) for c in tested]
        for comparison, q in zip(tested, benjamini_hochberg(ps)):
            comparison["q_value"] = q
            if q >= 0.05:
                comparison["verdict"] = "no_detectable_change"
            else:
                more = comparison["p_more_biased"] <= comparison["p_less_biased"]
                comparison["verdict"] = "more_biased" if more else "less_biased"
    return {
        "schema_version": schema_version,
        "manifest": {
            "tool_version": "0.1.0", "command_line": ["biasaudit", "run"],
            "models": [{"id": m, "repo_id": m, "revision": "main", "commit": None, "weights_sha256": "e5" * 32,
                        "layers": 6, "embedding_size": 768, "heads": 12} for m in MODELS],
            "prompt_sets": [{"name": n, "path": f"PromptSets/{n}.yaml", "sha256": sha[n], "prompt_count": 20,
                             "samples": 10, "max_new_tokens": 20}
                            for n in SETS],
            "lexicons": LEXICONS,
            "parameters": {"samples": 10, "max_new_tokens": 20, "temperature": 0.7, "top_k": 50, "top_p": 0.9,
                           "seed": seed, "positive_threshold": 0.05, "negative_threshold": -0.05,
                           "confidence_level": 0.95,
                           "analysis": {"confidence_level": 0.95, "power": 0.8, "minimum_gendered_words": 20,
                                        "false_discovery_rate": 0.05, "statistics_revision": 18,
                                        "family": "each prompt set × model, over its primary metrics' group contrasts"}},
        },
        "timing": {"started_at": "2025-01-01T00:00:00Z", "finished_at": "2025-01-01T00:10:00Z",
                   "generation_seconds": 590.0, "statistics_seconds": 10.0},
        "prompt_sets": prompt_sets,
        "model_comparisons": comparisons,
    }


def write(relative, value):
    path = os.path.join(HERE, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        json.dump(value, handle, indent=2, sort_keys=True)
        handle.write("\n")
    return path


def main():
    current = write("current/results.json", results(CURRENT))
    write("baseline/results.json", results(BASELINE, seed=3))
    write("incomparable/results.json", results(CURRENT, sha={"regard-race": "f6" * 32}))
    write("sparse/results.json", results(SPARSE, insufficient=INSUFFICIENT))
    write("broken/newer-schema.json", results(CURRENT, schema_version=99))
    with open(current) as handle:
        text = handle.read()
    with open(os.path.join(HERE, "broken/truncated.json"), "w") as handle:
        handle.write(text[: len(text) // 3])


if __name__ == "__main__":
    main()
