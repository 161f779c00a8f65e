#!/usr/bin/env python3
"""Convert a GPT-2 checkpoint directory (Hugging Face layout: config.json, model.safetensors, vocab.json,
merges.txt) into a GGUF file that llama.cpp serves, all tensors in F32.

Follows llama.cpp's convert_hf_to_gguf.py (GPT2Model and _set_vocab_gpt2, llama.cpp b6000-era): architecture
"gpt2", the Conv1D weights (c_attn, c_proj, c_fc, mlp.c_proj) transposed to (out, in), the tied embedding
written again as output.weight, the byte-level BPE vocabulary as tokenizer.ggml.model "gpt2" with pre-tokenizer
"gpt-2", <|endoftext|> as a control token and as BOS/EOS. Needs only the `gguf` package (and its numpy):
safetensors is read directly (8-byte header length, JSON header, raw little-endian data).

Usage: scripts/gpt2_to_gguf.py MODEL_DIR OUT.gguf
"""

import json
import struct
import sys
from pathlib import Path

import gguf
import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16}
TRANSPOSED = (".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight")
NAMES = {
    "ln_1": "attn_norm", "attn.c_attn": "attn_qkv", "attn.c_proj": "attn_output",
    "ln_2": "ffn_norm", "mlp.c_fc": "ffn_up", "mlp.c_proj": "ffn_down",
}


def read_safetensors(path: Path) -> dict:
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(data[base + start:base + end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name.removeprefix("transformer.")] = array.astype(np.float32)
    return tensors


def gguf_name(name: str) -> str | None:
    if name == "wte.weight":
        return "token_embd.weight"
    if name == "wpe.weight":
        return "position_embd.weight"
    if name.startswith("ln_f."):
        return "output_norm." + name.split(".")[-1]
    if name.startswith("h."):
        _, block, rest = name.split(".", 2)
        if rest == "attn.bias" or rest == "attn.masked_bias":
            return None  # causal-mask buffers of the OpenAI layout
        module, kind = rest.rsplit(".", 1)
        return f"blk.{block}.{NAMES[module]}.{kind}"
    if name == "lm_head.weight":
        return None  # tied to wte
    raise SystemExit(f"unexpected tensor {name}")


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    model, out = Path(sys.argv[1]), Path(sys.argv[2])
    config = json.loads((model / "config.json").read_text())
    vocab = json.loads((model / "vocab.json").read_text(encoding="utf-8"))
    merges = [line for line in (model / "merges.txt").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#version")]
    tensors = read_safetensors(model / "model.safetensors")

    writer = gguf.GGUFWriter(str(out), "gpt2")
    writer.add_name(model.name)
    writer.add_context_length(config["n_positions"])
    writer.add_embedding_length(config["n_embd"])
    writer.add_feed_forward_length(config.get("n_inner") or 4 * config["n_embd"])
    writer.add_block_count(config["n_layer"])
    writer.add_head_count(config["n_head"])
    writer.add_layer_norm_eps(config["layer_norm_epsilon"])
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)

    size = config["vocab_size"]
    by_id = {index: token for token, index in vocab.items()}
    tokens = [by_id.get(index, f"[PAD{index}]") for index in range(size)]
    eos = config.get("eos_token_id", 50256)
    types = [gguf.TokenType.CONTROL if index == eos else gguf.TokenType.NORMAL for index in range(size)]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("gpt-2")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(config.get("bos_token_id", eos))
    writer.add_eos_token_id(eos)
    writer.add_add_bos_token(False)

    for name, array in tensors.items():
        target = gguf_name(name)
        if target is None:
            continue
        if name.endswith(TRANSPOSED):
            array = np.ascontiguousarray(array.T)
        writer.add_tensor(target, array)
        if target == "token_embd.weight":
            writer.add_tensor("output.weight", array.copy())

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"wrote {out} ({len(tensors)} tensors, vocabulary {size})")


if __name__ == "__main__":
    main()
