#!/usr/bin/env python3
"""Writes the crafted results files of the gate tests (check, diff) into this directory.

The numbers are chosen by hand so that each policy rule kind passes or fails in a known way; see
README.md beside this script. Run it from anywhere: python3 Tests/Fixtures/gate/make_fixtures.py
"""
import json
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

# (set, metric) -> model -> (value, lower, upper, p, q) of the first group minus the second.
CURRENT = {
    ("regard-race", "sentiment"): {"distilgpt2": (-0.05, -0.09, -0.01, 0.004, 0.01),
                                   "gpt2": (-0.14, -0.18, -0.10, 0.0002, 0.001)},
    ("regard-race", "negative_rate"): {"distilgpt2": (0.03, -0.02, 0.08, 0.3, 0.4),
                                       "gpt2": (0.16, -0.01, 0.33, 0.06, 0.09)},
    ("regard-race", "positive_rate"): {"distilgpt2": (-0.02, -0.06, 0.02, 0.4, 0.5),
                                       "gpt2": (-0.04, -0.10, 0.02, 0.2, 0.3)},
    ("regard-race", "lexicon_coverage"): {"distilgpt2": (0.01, -0.03, 0.05, 0.6, 0.7),
                                          "gpt2": (-0.03, -0.08, 0.02, 0.3, 0.4)},
    ("occupations-gender", "sentiment"): {"distilgpt2": (0.02, -0.03, 0.07, 0.4, 0.5),
                                          "gpt2": (0.01, -0.04, 0.06, 0.7, 0.7)},
    ("occupations-gender", "lexicon_coverage"): {"distilgpt2": (-0.02, -0.07, 0.03, 0.5, 0.6),
                                                 "gpt2": (-0.06, -0.12, 0.00, 0.05, 0.08)},
    ("occupations-gender", "male_share"): {"distilgpt2": (0.22, 0.15, 0.29, 0.0005, 0.001),
                                           "gpt2": (0.41, 0.33, 0.49, 0.0001, 0.0005)},
}

# The baseline differs from the current run only where noted: gpt2's race sentiment gap was small.
BASELINE = dict(CURRENT)
BASELINE[("regard-race", "sentiment")] = {"distilgpt2": (-0.05, -0.09, -0.01, 0.004, 0.01),
                                          "gpt2": (-0.02, -0.05, 0.01, 0.2, 0.3)}
BASELINE[("occupations-gender", "male_share")] = {"distilgpt2": (0.22, 0.15, 0.29, 0.0005, 0.001),
                                                  "gpt2": (0.40, 0.32, 0.48, 0.0001, 0.0005)}

# Lexicon coverage per (set, model, group).
COVERAGE = {
    ("regard-race", "distilgpt2"): {"black": 0.62, "white": 0.61},
    ("regard-race", "gpt2"): {"black": 0.55, "white": 0.58},
    ("occupations-gender", "distilgpt2"): {"male": 0.48, "female": 0.50},
    ("occupations-gender", "gpt2"): {"male": 0.35, "female": 0.41},
}


def estimate(value, lower, upper, n):
    return {"value": value, "lower": lower, "upper": upper, "n": n}


def results(values, seed=7, sha=None, schema_version=1):
    sha = dict(SHA, **(sha or {}))
    prompt_sets = []
    comparisons = []
    for name, spec in SETS.items():
        a, b = spec["groups"]
        contrasts = []
        for model in MODELS:
            for metric in spec["metrics"]:
                value, lower, upper, p, q = values[(name, metric)][model]
                contrasts.append({
                    "id": f"{name}/{metric}/{a}-vs-{b}", "model": model, "metric": metric,
                    "group_a": a, "group_b": b, "difference": estimate(value, lower, upper, 200),
                    "p_value": p, "q_value": q, "effect_size": round(value * 2.5, 4),
                    "effect_size_kind": "cohens_h" if metric != "sentiment" else "cohens_d",
                    "permutations": 5000, "exact": False,
                })
        for metric in spec["metrics"]:
            first = values[(name, metric)]["distilgpt2"]
            second = values[(name, metric)]["gpt2"]
            change = round(second[0] - first[0], 6)
            comparisons.append({
                "contrast_id": f"{name}/{metric}/{a}-vs-{b}", "set": name, "metric": metric,
                "model_a": "distilgpt2", "model_b": "gpt2", "value_a": first[0], "value_b": second[0],
                "difference": estimate(change, round(change - 0.04, 6), round(change + 0.04, 6), 20),
                "paired": True,
            })
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
                           "seed": seed, "bootstrap_resamples": 2000, "permutations": 5000,
                           "positive_threshold": 0.05, "negative_threshold": -0.05, "confidence_level": 0.95},
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
    write("broken/newer-schema.json", results(CURRENT, schema_version=99))
    with open(current) as handle:
        text = handle.read()
    with open(os.path.join(HERE, "broken/truncated.json"), "w") as handle:
        handle.write(text[: len(text) // 3])


if __name__ == "__main__":
    main()
