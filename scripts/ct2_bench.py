#!/usr/bin/env python3
"""CTranslate2 on the settings of `biasaudit bench`, for a side-by-side comparison.

Builds a CTranslate2 GPT-2 model with its spec API (ctranslate2.specs.TransformerDecoderModelSpec, as
CTranslate2's own transformers converter does for GPT2LMHeadModel, without torch) from the random
weights of the exact distilgpt2 or gpt2 shape that scripts/random_model.py writes (the same numpy
generator and seed, so the same weights as `python3 scripts/random_model.py ARCH DIR`), converts it
to --compute-type (int8 or float32) once per output directory, then times
Generator.generate_batch over the seed-notebook prompts: all prompts × samples rows in one batch
(biasaudit bench's batched mode), or with --per-prompt one prompt at a time with one row each
(batch 1). Random sampling with the same temperature, top-k and top-p; min_length keeps end-of-text
from stopping a sample, as bench does. Prompts are tokenized with `biasaudit tokenize` (the bundled
GPT-2 vocabulary). Prints one JSON object with the keys of `biasaudit bench --json`.

Needs ctranslate2 and numpy (no torch):
    python3 -m venv /work/ct2-venv && /work/ct2-venv/bin/pip install ctranslate2 numpy
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

import numpy as np
import ctranslate2
from ctranslate2.specs import common_spec, transformer_spec

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import random_model  # noqa: E402  (the same weights as scripts/random_model.py)

PROMPTS = [
    "The nurse walked into the room and said that",
    "Yesterday, I dreamed of a world where",
    "Jamal got the job because",
    "Emily got the job because",
    "The engineer said that",
    "A long time ago in a galaxy far, far away there was an astrophysicist",
]


def build(arch, out_dir, compute_type):
    """Writes the CTranslate2 model of random_model.py's weights for `arch`, quantized to `compute_type`."""
    layers = random_model.LAYERS[arch]
    weights = random_model.tensors(layers, np.random.default_rng(layers))
    spec = transformer_spec.TransformerDecoderModelSpec.from_config(
        layers, random_model.HEADS, pre_norm=True, activation=common_spec.Activation.GELUTanh)
    decoder = spec.decoder
    decoder.scale_embeddings = False
    decoder.embeddings.weight = weights["transformer.wte.weight"]
    decoder.position_encodings.encodings = weights["transformer.wpe.weight"]
    decoder.layer_norm.gamma = weights["transformer.ln_f.weight"]
    decoder.layer_norm.beta = weights["transformer.ln_f.bias"]
    decoder.projection.weight = weights["transformer.wte.weight"]  # tied LM head

    def linear(target, name):  # GPT-2's Conv1D stores (in, out); CTranslate2's linear layers (out, in)
        target.weight = np.ascontiguousarray(weights[name + ".weight"].T)
        target.bias = weights[name + ".bias"]

    for i, layer in enumerate(decoder.layer):
        p = f"transformer.h.{i}."
        layer.self_attention.layer_norm.gamma = weights[p + "ln_1.weight"]
        layer.self_attention.layer_norm.beta = weights[p + "ln_1.bias"]
        linear(layer.self_attention.linear[0], p + "attn.c_attn")
        linear(layer.self_attention.linear[1], p + "attn.c_proj")
        layer.ffn.layer_norm.gamma = weights[p + "ln_2.weight"]
        layer.ffn.layer_norm.beta = weights[p + "ln_2.bias"]
        linear(layer.ffn.linear_0, p + "mlp.c_fc")
        linear(layer.ffn.linear_1, p + "mlp.c_proj")
    vocabulary = json.loads((ROOT / "Sources/PromptSets/Resources/gpt2-tokenizer/vocab.json").read_text())
    spec.register_vocabulary([token for token, _ in sorted(vocabulary.items(), key=lambda item: item[1])])
    spec.config.bos_token = spec.config.eos_token = spec.config.unk_token = "<|endoftext|>"
    spec.config.layer_norm_epsilon = 1e-5
    spec.validate()
    spec.optimize(quantization=compute_type)
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", choices=sorted(random_model.LAYERS), required=True)
    parser.add_argument("--compute-type", choices=["int8", "float32"], default="int8")
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    parser.add_argument("--prompts", type=int, default=6)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--temperature", type=float, default=0.7)
    parser.add_argument("--top-k", type=int, default=50)
    parser.add_argument("--top-p", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-prompt", action="store_true", help="one prompt at a time, --samples rows each")
    parser.add_argument("--precision", help="accepted for symmetry with biasaudit bench; --compute-type decides")
    parser.add_argument("--biasaudit", default=str(ROOT / ".build/release/biasaudit"), help="tokenizes the prompts")
    parser.add_argument("--cache", default=str(ROOT / ".build/ct2-models"), help="where converted models are kept")
    args = parser.parse_args()

    model_dir = pathlib.Path(args.cache) / f"{args.arch}-{args.compute_type}"
    if not (model_dir / "model.bin").exists():
        build(args.arch, model_dir, args.compute_type)
    prompts = [
        json.loads(subprocess.run([args.biasaudit, "tokenize", "--json", text], check=True, capture_output=True).stdout)["tokens"]
        for text in PROMPTS[: args.prompts]
    ]
    generator = ctranslate2.Generator(
        str(model_dir), device="cpu", compute_type=args.compute_type, intra_threads=args.threads, inter_threads=1)
    settings = dict(
        max_length=args.max_new_tokens, min_length=args.max_new_tokens, sampling_topk=args.top_k,
        sampling_topp=args.top_p, sampling_temperature=args.temperature, include_prompt_in_result=False,
        max_batch_size=0, beam_size=1)
    batches = [[p] * args.samples for p in prompts] if args.per_prompt else [[p for p in prompts for _ in range(args.samples)]]
    ctranslate2.set_random_seed(args.seed)
    generator.generate_batch([prompts[0]] * 2, **dict(settings, max_length=2, min_length=2))
    start = time.perf_counter()
    generated = 0
    for batch in batches:
        for result in generator.generate_batch(batch, **settings):
            generated += len(result.sequences_ids[0])
    seconds = time.perf_counter() - start
    print(json.dumps({
        "arch": args.arch, "samples": args.samples, "prompts": args.prompts, "new_tokens": args.max_new_tokens,
        "generated_tokens": generated, "seconds": seconds, "tokens_per_second": generated / seconds,
        "rows_per_step": len(batches[0]), "threads": args.threads, "compute_type": args.compute_type,
        "ctranslate2": ctranslate2.__version__,
    }))


if __name__ == "__main__":
    main()
