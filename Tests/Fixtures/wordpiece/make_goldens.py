#!/usr/bin/env python3
"""Writes the WordPiece fixtures of Tests/Fixtures/wordpiece (see README.md there).

Trains three small WordPiece vocabularies with Hugging Face `tokenizers` (BertWordPieceTokenizer), one per
BERT normaliser configuration, saves each as a model-style directory (vocab.txt + tokenizer_config.json,
as transformers' BertTokenizerFast reads them), reloads each vocabulary the way BertTokenizerFast builds its
tokenizer from those two files, and writes goldens.jsonl in each directory:

  {"kind": "encode", "text", "ids", "tokens", "decoded", "decoded_keep_special"}
  {"kind": "decode", "ids", "decoded", "decoded_keep_special"}

`ids`/`tokens` are `tokenizer.encode(text)` (with [CLS] … [SEP], as tokenizer.encode adds them);
`decoded` is `tokenizer.decode(ids)` (tokenizers' default, skip_special_tokens=True) and
`decoded_keep_special` is `tokenizer.decode(ids, skip_special_tokens=False)` (transformers' default).

Run from anywhere (needs `pip install tokenizers`; written with 0.23.3):
  python3 make_goldens.py           rewrite tokenizer_config.json and goldens.jsonl from the committed vocab.txt
                                    files (deterministic)
  python3 make_goldens.py --train   first retrain the three vocabularies (vocab.txt)
  python3 make_goldens.py --check-transformers   also check that transformers' BertTokenizerFast, loaded
                                    from each directory, gives the same ids and both decodings (needs transformers)
The WordPiece trainer breaks ties between equally frequent merges in hash-map order, so --train gives a
slightly different vocab.txt on each run; the goldens are deterministic given the vocab.txt files (the texts
are fixed and the random texts use a fixed seed).
"""
import json
import os
import random
import sys

import tokenizers
from tokenizers import BertWordPieceTokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

CORPUS = """
A long time ago in a galaxy far, far away there was an astrophysicist.
The doctor said that he would be late; the nurse said that she would stay.
The engineer finished her design, and the teacher graded his students' essays.
People from every country worked together on the telescope, the station and the rover.
Tokenization splits text into words, subwords and punctuation before the model sees it.
The unbelievably long word was tokenized into many small pieces by the tokenizer.
Hace mucho tiempo, en una galaxia muy, muy lejana, había una astrofísica.
La médica dijo que él llegaría tarde; la enfermera dijo que ella se quedaría.
El niño comió piña y jamón en la mañana; ¿quién pagó la cuenta? ¡Nadie!
Árboles, canción, corazón, pingüino, acción, información, educación, también.
Le café était très bon, déjà prêt à l'emploi; où est l'hôtel? Noël à Zürich.
Straße, Mädchen, über, schön, Grüße aus München und Köln.
São Paulo, coração, não, informação; Ångström, naïve, façade, résumé, coöperate.
我们在北京学习中文。今天天气很好。東京は日本の首都です。한국어도 있습니다.
Don't stop! Isn't it great? We're here, you've seen it, I'm sure it's fine.
Prices rose 100% in 2023: $5 became $10, and €3 became €7 (see note #4).
Email me at someone@example.com or visit https://example.org/path?query=1&x=2.
"Quoted text," she said — and then... silence!!! Really?! (Yes.) [Maybe] {not}.
UPPER CASE and lower case and MiXeD CaSe words: NASA, iPhone, McDonald, O'Brien.
""".strip().splitlines()

# (directory, tokenizer_config.json, BertWordPieceTokenizer arguments as BertTokenizerFast derives them)
CONFIGURATIONS = [
    ("uncased", {"do_lower_case": True},
     dict(lowercase=True, strip_accents=None, handle_chinese_chars=True)),
    ("cased", {"do_lower_case": False},
     dict(lowercase=False, strip_accents=None, handle_chinese_chars=True)),
    ("uncased-keep-accents-no-cjk", {"do_lower_case": True, "strip_accents": False, "tokenize_chinese_chars": False},
     dict(lowercase=True, strip_accents=False, handle_chinese_chars=False)),
]

FIXED_TEXTS = [
    "",
    " ",
    "A long time ago in a galaxy far, far away there was an astrophysicist",
    "A long time ago",
    "The doctor said that he would be late.",
    "The nurse said that she would stay.",
    "Hace mucho tiempo, en una galaxia muy, muy lejana",
    "¿Quién pagó la cuenta? ¡Nadie!",
    "El NIÑO comió PIÑA y jamón.",
    "Árboles canción corazón pingüino",
    "résumé naïve façade coöperate Ångström",
    "Crème brûlée à la carte",
    "e\u0301 (combining acute) vs \u00e9 (precomposed)",
    "Ǆ ǅ ǆ ﬁ ß ẞ İstanbul ΣΑΣ Ⅻ ½ ①",
    "我们在北京学习中文。",
    "東京は日本の首都です。",
    "한국어도 있습니다.",
    "mixed中文and English字",
    "rare CJK \U00020000\U0002A6DF \U0002B830\U0002B920 \uF900",
    "block edges a\u4e00b a\u9fffb a\U0002B81Fb a\U0002B820b a\U0002B91Fb a\U0002B920b a\U0002CEAFb a\U0002CEB0b a\u3400b",
    "control\x00chars\x07here\x1b[0m and \ufffd replacement",
    "tab\there\nnewline\r\ncrlf\u3000ideographic\u00a0nbsp\u2028line-sep",
    "zero\u200bwidth soft\u00adhyphen bidi\u202emark\u202c tag\U000E0001end",
    "private \ue000 use \U000F0000 and unassigned \u0378",
    "hi!!! a--b ... ?!?! ((x)) [[y]] {{z}} <<<>>> ~~~ ^^ `` '' \"\"",
    "¿¡«»‘’“”…–—·•§¶†‡‰′″",
    "$5 €3 £2 ¥9 © ® ™ ° ± × ÷",
    "someone@example.com https://example.org/path?query=1&x=2#frag",
    "Don't stop! Isn't it great? We're here, you've seen it, I'm sure it's fine.",
    "do not , . ? ! ' s n't 'm 've 're",
    "emoji 😀 🥰 🫠 👍🏽 👨‍👩‍👧 🇪🇸 and hello😀world",
    "UPPER lower MiXeD NASA iPhone McDonald O'Brien",
    "[CLS] starts [SEP] and [MASK] in [PAD] text [UNK]",
    "lower [cls] [mask] and glued[MASK]word and [MASK][SEP][CLS]",
    "a" * 100,
    "a" * 101,
    "é" * 100,
    "é" * 101,
    "e\u0301" * 60,
    "x" * 99 + "!" + "y" * 101,
    "supercalifragilisticexpialidocious " * 3,
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "Tokenization tokenizer tokenized tokenizes untokenizable",
    "12345 3.14159 1,000,000 2023-11-29 10:30",
    "   leading and trailing spaces   ",
    "\n\n\t",
    "...",
    "ﾊﾝｶｸ full-width ＡＢＣ １２３",
    "Ελληνικά русский язык עברית العربية हिन्दी ไทย",
]


def random_texts(words, count, seed):
    rng = random.Random(seed)
    pieces = words + [
        "!", "?", ",", ".", "...", "¿", "¡", "—", "'", "\"", "(", ")", "#", "@", "$", "%",
        "é", "ñ", "ü", "ç", "Å", "É", "Ñ", "中", "文", "日本", "😀", "🥰", "\u0301", "\u00ad", "\x00", "\x07",
        "\t", "\n", "\r\n", "\u3000", "\u00a0", "\ufffd", "[MASK]", "[SEP]", "[mask]", "##", "#",
    ]
    separators = [" ", " ", " ", "", "  ", "\t", "\n"]
    texts = []
    for _ in range(count):
        n = rng.randint(1, 14)
        parts = []
        for _ in range(n):
            piece = rng.choice(pieces)
            if rng.random() < 0.15:
                piece = piece.upper()
            elif rng.random() < 0.1:
                piece = piece.capitalize()
            parts.append(piece)
            parts.append(rng.choice(separators))
        texts.append("".join(parts))
    return texts


def corpus_words():
    seen = []
    for line in CORPUS:
        for word in line.split():
            if word not in seen:
                seen.append(word)
    return seen


def main():
    words = corpus_words()
    texts = FIXED_TEXTS + CORPUS + random_texts(words, 220, seed=14)
    summary = []
    for directory, config, arguments in CONFIGURATIONS:
        out = os.path.join(HERE, directory)
        if "--train" in sys.argv[1:]:
            os.makedirs(out, exist_ok=True)
            trainer_tokenizer = BertWordPieceTokenizer(**arguments)
            trainer_tokenizer.train_from_iterator(
                CORPUS * 3, vocab_size=700, min_frequency=1, limit_alphabet=400, special_tokens=SPECIAL,
                show_progress=False)
            trainer_tokenizer.save_model(out)
        # written on every run (it is CONFIGURATIONS' fixed config), so `make check-fixtures` checks it too
        with open(os.path.join(out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
            json.dump(config, f, indent=2)
            f.write("\n")

        tokenizer = BertWordPieceTokenizer(os.path.join(out, "vocab.txt"), **arguments)
        size = tokenizer.get_vocab_size()
        rng = random.Random(1400 + len(directory))
        decode_cases = [[], [0], [1, 2, 3, 4], [2, 5, 3], list(range(size - 10, size + 3))]
        vocab = tokenizer.get_vocab()
        continuation_ids = sorted(i for t, i in vocab.items() if t.startswith("##"))
        decode_cases.append(continuation_ids[:3] + [vocab["."], vocab[","]] + continuation_ids[3:5])
        for _ in range(60):
            decode_cases.append([rng.randrange(size) for _ in range(rng.randint(1, 12))])

        with open(os.path.join(out, "goldens.jsonl"), "w", encoding="utf-8") as f:
            for text in texts:
                encoding = tokenizer.encode(text)
                record = {
                    "kind": "encode", "text": text, "ids": encoding.ids, "tokens": encoding.tokens,
                    "decoded": tokenizer.decode(encoding.ids),
                    "decoded_keep_special": tokenizer.decode(encoding.ids, skip_special_tokens=False),
                }
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
            for ids in decode_cases:
                record = {
                    "kind": "decode", "ids": ids, "decoded": tokenizer.decode(ids),
                    "decoded_keep_special": tokenizer.decode(ids, skip_special_tokens=False),
                }
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        summary.append(f"{directory}: {size} tokens, {len(texts)} encode + {len(decode_cases)} decode goldens")
    print(f"tokenizers {tokenizers.__version__}, Python {sys.version.split()[0]}")
    print("\n".join(summary))
    if "--check-transformers" in sys.argv[1:]:
        check_transformers()


def check_transformers():
    """BertTokenizerFast.from_pretrained(directory) must agree with every golden line."""
    import transformers
    from transformers import BertTokenizerFast

    for directory, _, _ in CONFIGURATIONS:
        fast = BertTokenizerFast.from_pretrained(os.path.join(HERE, directory))
        mismatches = []
        with open(os.path.join(HERE, directory, "goldens.jsonl"), encoding="utf-8") as f:
            for line in f:
                golden = json.loads(line)
                got = {
                    "decoded": fast.decode(golden["ids"], skip_special_tokens=True),
                    "decoded_keep_special": fast.decode(golden["ids"]),
                }
                if golden["kind"] == "encode":
                    got["ids"] = fast(golden["text"])["input_ids"]
                mismatches += [(golden, key) for key, value in got.items() if value != golden[key]]
        print(f"transformers {transformers.__version__} BertTokenizerFast, {directory}: {len(mismatches)} mismatches")
        for golden, key in mismatches[:5]:
            print(f"  {key}: {golden}")


if __name__ == "__main__":
    main()
