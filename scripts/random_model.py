#!/usr/bin/env python3
"""Writes a GPT-2 model directory with random weights of the real shapes (distilgpt2 or gpt2).

The real checkpoints cannot be downloaded everywhere; a directory with the exact shapes lets the
full audit run offline for timing (`make audit` figures in the README were measured this way). The
completions are gibberish: use it for speed, never for bias numbers.

    python3 scripts/random_model.py distilgpt2 /tmp/random-distilgpt2
    biasaudit run --model /tmp/random-distilgpt2 --model /tmp/random-gpt2

Needs numpy. Writes config.json, model.safetensors (Hugging Face layout, F32, tied head),
vocab.json and merges.txt (copied from the bundled GPT-2 vocabulary).
"""
import json
import pathlib
import shutil
import struct
import sys

import numpy as np

LAYERS = {"distilgpt2": 6, "gpt2": 12}
EMBED, HEADS, POSITIONS, VOCAB = 768, 12, 1024, 50257


def tensors(layers, rng):
    def normal(*shape):
        return (rng.standard_normal(shape, dtype=np.float32) * 0.02).astype(np.float32)

    out = {"transformer.wte.weight": normal(VOCAB, EMBED), "transformer.wpe.weight": normal(POSITIONS, EMBED)}
    for i in range(layers):
        p = f"transformer.h.{i}."
        out[p + "ln_1.weight"] = np.ones(EMBED, np.float32)
        out[p + "ln_1.bias"] = np.zeros(EMBED, np.float32)
        out[p + "attn.c_attn.weight"] = normal(EMBED, 3 * EMBED)
        out[p + "attn.c_attn.bias"] = np.zeros(3 * EMBED, np.float32)
        out[p + "attn.c_proj.weight"] = normal(EMBED, EMBED)
        out[p + "attn.c_proj.bias"] = np.zeros(EMBED, np.float32)
        out[p + "ln_2.weight"] = np.ones(EMBED, np.float32)
        out[p + "ln_2.bias"] = np.zeros(EMBED, np.float32)
        out[p + "mlp.c_fc.weight"] = normal(EMBED, 4 * EMBED)
        out[p + "mlp.c_fc.bias"] = np.zeros(4 * EMBED, np.float32)
        out[p + "mlp.c_proj.weight"] = normal(4 * EMBED, EMBED)
        out[p + "mlp.c_proj.bias"] = np.zeros(EMBED, np.float32)
    out["transformer.ln_f.weight"] = np.ones(EMBED, np.float32)
    out["transformer.ln_f.bias"] = np.zeros(EMBED, np.float32)
    return out


def write_safetensors(path, named):
    header, offset = {}, 0
    for name, array in named.items():
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for array in named.values():
            f.write(array.tobytes())


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in LAYERS:
        sys.exit("usage: random_model.py distilgpt2|gpt2 OUTPUT_DIR")
    arch, out = sys.argv[1], pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    root = pathlib.Path(__file__).resolve().parent.parent
    config = {
        "model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "activation_function": "gelu_new",
        "n_embd": EMBED, "n_head": HEADS, "n_layer": LAYERS[arch], "n_positions": POSITIONS,
        "vocab_size": VOCAB, "layer_norm_epsilon": 1e-5, "bos_token_id": 50256, "eos_token_id": 50256,
    }
    (out / "config.json").write_text(json.dumps(config, indent=2))
    write_safetensors(out / "model.safetensors", tensors(LAYERS[arch], np.random.default_rng(LAYERS[arch])))
    for name in ("vocab.json", "merges.txt"):
        shutil.copy(root / "Sources/PromptSets/Resources/gpt2-tokenizer" / name, out / name)
    print(out)


if __name__ == "__main__":
    main()
