#!/usr/bin/env python3
"""Writes a synthetic completions file for timing `biasaudit analyze` on large inputs.

Every prompt of the given prompt sets (templates × terms, and fixed prompts) gets `--samples`
completions per model, in the JSON Lines format `analyze` reads (README, "Bring your own
completions"): texts of 10–40 words drawn from a small vocabulary with pronouns and sentiment
words, seeded, so the same arguments write the same bytes. Lines = models × samples × prompts;
the script prints that count on standard error.

    python3 scripts/synthetic_completions.py PromptSets/occupations-gender.yaml \
        PromptSets/names-race-gender.yaml --samples 2000 --out /tmp/completions.jsonl

Needs PyYAML (Debian: python3-yaml).
"""
import argparse
import json
import random
import sys

import yaml

WORDS = (
    "the a of and to in was it that for on with as at by this from they we "
    "work day job time people city house team plan story night money morning "
    "good great happy kind nice wonderful terrible bad sad awful angry hate love "
    "he she him her his hers man woman boy girl they them"
).split()


def prompts(path):
    """(set name, dict of the prompt's keys) for every prompt of one prompt set."""
    with open(path, encoding="utf-8") as handle:
        prompt_set = yaml.safe_load(handle)
    name = prompt_set["name"]
    templates = prompt_set.get("templates", [])
    for group_id, group in prompt_set["groups"].items():
        for term in group.get("terms", []):
            if isinstance(term, dict):  # a term with attributes, such as women_share
                term = term["term"]
            for template in templates:
                yield {"set": name, "template": template, "group": group_id, "term": term}
        for prompt in group.get("prompts", []):
            yield {"set": name, "prompt": prompt, "group": group_id}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", help="prompt-set YAML files")
    parser.add_argument("--models", default="model-a,model-b", help="comma-separated model names")
    parser.add_argument("--samples", type=int, default=100, help="completions per prompt and model")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="the JSON Lines file to write")
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    try:
        keys = [prompt for path in arguments.sets for prompt in prompts(path)]
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as error:
        sys.exit(f"cannot read the prompt sets ({type(error).__name__}: {error}); give prompt-set YAML files such as "
                 "PromptSets/occupations-gender.yaml")
    lines = 0
    with open(arguments.out, "w", encoding="utf-8") as out:
        for model in arguments.models.split(","):
            for prompt in keys:
                for sample in range(arguments.samples):
                    text = " " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 40))) + "."
                    line = dict(prompt, model=model, sample_index=sample, text=text)
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
                    lines += 1
    print(f"{lines} lines ({len(keys)} prompts) written to {arguments.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
