"""The character trigram language model (pruned interpolated Kneser-Ney, log10).

Built by ``scripts/build_typo_model.py`` into ``data/lm.npz``. A text is scored as Han runs
(maximal runs of Han characters), each padded ``BOS open c1 .. cn close`` exactly as in
training, where ``open``/``close`` say whether the run meets a letter or digit (年产130根,
第3条) or anything else (punctuation, space, the edge of the text); every lookup is a vectorised binary search over sorted keys, so a whole document
is scored in a handful of numpy calls.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import numpy.typing as npt

UNK, BOS, EOS, BOS_ALNUM, EOS_ALNUM = 0, 1, 2, 3, 4
# Lexicon words are trained as runs of their own between these two (never seen in text):
# they teach the model words the corpus lacks without touching sentence edges.
BOW, EOW = 5, 6
FIRST = 7  # the first character id
OPENERS = (BOS, BOS_ALNUM, BOW)
BITS = 14
_MASK = (1 << BITS) - 1

_ALNUM = re.compile(r"[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")

Ids = npt.NDArray[np.int64]


def edges(text: str, start: int, end: int) -> tuple[int, int]:
    """The tokens that open and close the Han run ``text[start:end]``."""
    before = start > 0 and _ALNUM.match(text, start - 1) is not None
    after = _ALNUM.match(text, end) is not None
    return (BOS_ALNUM if before else BOS), (EOS_ALNUM if after else EOS)
Floats = npt.NDArray[np.float64]


def _find(keys: npt.NDArray[np.uint64] | npt.NDArray[np.uint32], query: Ids) -> tuple[Ids, npt.NDArray[np.bool_]]:
    """Index of each query in sorted ``keys`` and whether it is there.

    Many queries are searched in sorted order: numpy then starts each search from the last
    one's result, which is about three times faster than random order on this model.
    """
    needles = query.astype(keys.dtype)
    if len(needles) > 64:
        order = np.argsort(needles)
        pos = np.empty(len(needles), dtype=np.int64)
        pos[order] = np.searchsorted(keys, needles[order])
    else:
        pos = np.searchsorted(keys, needles)
    pos = np.minimum(pos, len(keys) - 1)
    return pos, keys[pos] == query


class CharModel:
    """Log10 P(c | a b) for arrays of id triples."""

    def __init__(self, path: Path) -> None:
        with np.load(path) as data:
            self.chars = "".join(map(chr, data["chars"].tolist()))
            self.counts = data["counts"].astype(np.int64)
            self._tri_keys = data["tri_keys"]
            self._tri_lp = data["tri_lp"].astype(np.float32)
            self._ctx_keys = data["ctx_keys"]
            self._ctx_bow = data["ctx_bow"].astype(np.float32)
            self._bi_keys = data["bi_keys"]
            self._bi_lp = data["bi_lp"].astype(np.float32)
            self._uni_bow = data["uni_bow"].astype(np.float32)
            self._uni_lp = data["uni_lp"].astype(np.float32)
        self.index = {ch: i + FIRST for i, ch in enumerate(self.chars)}

    def count(self, char_id: int) -> int:
        """How often the character occurs in the training text (0 for the special tokens)."""
        return int(self.counts[char_id - FIRST]) if char_id >= FIRST else 0

    def char(self, char_id: int) -> str:
        return self.chars[char_id - FIRST]

    def ids(self, run: str) -> list[int]:
        get = self.index.get
        return [get(ch, UNK) for ch in run]

    def logprob(self, a: Ids, b: Ids, c: Ids) -> Floats:
        """log10 P(c | a b), backing off through the stored weights as in ARPA models."""
        return self.score(a, b, c)[0]

    def score(self, a: Ids, b: Ids, c: Ids) -> tuple[Floats, npt.NDArray[np.bool_]]:
        """log10 P(c | a b) and whether the trigram itself is attested (kept in the model)."""
        bc = (b << BITS) | c
        pos, hit = _find(self._tri_keys, (a << (2 * BITS)) | bc)
        out = np.where(hit, self._tri_lp[pos], 0.0).astype(np.float64)
        miss = ~hit
        if miss.any():
            out[miss] = self._backoff(a[miss], b[miss], c[miss], bc[miss])
        return out, hit

    def _backoff(self, a: Ids, b: Ids, c: Ids, bc: Ids) -> Floats:
        pos, hit = _find(self._ctx_keys, (a << BITS) | b)
        bow = np.where(hit, self._ctx_bow[pos], 0.0)
        pos, hit = _find(self._bi_keys, bc)
        lower = np.where(hit, self._bi_lp[pos], self._uni_bow[b] + self._uni_lp[c])
        out: Floats = (bow + lower).astype(np.float64)
        return out
