"""Words: the packaged lexicon (frequencies, readings, names) and a site's own vocabulary.

``Words`` is the general lexicon shipped in ``data/words.tsv.gz`` and ``data/names.txt.gz``.
``SiteVocabulary`` counts, for every 2-4 character Han string, on how many pages of one site
it occurs: a string used across many pages of the same site (a local place, a programme's
name, the site's jargon) is that site's vocabulary, not a typo.
"""

from __future__ import annotations

import gzip
import math
import re
import zlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
HOMOPHONES_PER_READING = 12


def read_gzip_lines(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return stream.read().splitlines()


class Words:
    """1-4 character words with frequencies; those of 2-4 indexed by toneless reading."""

    def __init__(self, words_path: Path, names_path: Path) -> None:
        self.freq: dict[str, int] = {}
        by_reading: dict[str, list[tuple[int, str]]] = {}
        for line in read_gzip_lines(words_path):
            word, freq, reading = line.split("\t")
            count = int(freq)
            self.freq[word] = count
            if len(word) >= 2:
                by_reading.setdefault(reading, []).append((count, word))
        self.homophones = {
            key: tuple(w for _, w in sorted(group, reverse=True)[:HOMOPHONES_PER_READING])
            for key, group in by_reading.items()
        }
        kinds = dict(line.split("\t") for line in read_gzip_lines(names_path))
        self.names = frozenset(kinds)
        self.people = frozenset(name for name, kind in kinds.items() if kind == "p")
        self.total = float(sum(self.freq.values()))

    def logfreq(self, word: str) -> float:
        """log10 relative frequency; words not listed get the floor of a once-seen word."""
        return math.log10(self.freq.get(word, 0.5) / self.total)


def _gram_hashes(run: str) -> npt.NDArray[np.uint32]:
    """Hashes of every 2-4 character substring of a Han run (deterministic: crc32)."""
    out = [zlib.crc32(run[i:i + n].encode()) for n in (2, 3, 4) for i in range(len(run) - n + 1)]
    return np.asarray(out, dtype=np.uint32)


class SiteVocabulary:
    """Page counts of short Han strings across one site (a counting sketch of fixed size).

    Two hashed count tables (count-min): a string's page count is the smaller of its two
    cells, so collisions can only overstate a count, never hide a real one; with the
    default 2**22 cells a site of tens of thousands of pages stays well below saturation.
    Memory is fixed (2 x 8 MB with the default size) whatever the size of the site, and
    ``to_bytes``/``from_bytes`` let a caller keep it between patrols and add only new pages.
    """

    def __init__(self, min_pages: int = 3, bits: int = 22) -> None:
        if min_pages < 1:
            raise ValueError("min_pages must be at least 1")
        self.min_pages = min_pages
        self.pages = 0
        self._mask = np.uint32((1 << bits) - 1)
        self._tables = np.zeros((2, 1 << bits), dtype=np.uint16)

    @classmethod
    def build(cls, texts: Iterable[str], min_pages: int = 3) -> SiteVocabulary:
        vocabulary = cls(min_pages)
        for text in texts:
            vocabulary.add(text)
        return vocabulary

    def add(self, text: str) -> None:
        """Count one page: each string at most once, however often the page repeats it."""
        hashes = [_gram_hashes(run) for run in HAN_RUN.findall(text) if len(run) >= 2]
        self.pages += 1
        if not hashes:
            return
        unique = np.unique(np.concatenate(hashes))
        for row, cells in enumerate(self._cells(unique)):
            table = self._tables[row]
            table[cells] = np.minimum(table[cells].astype(np.int64) + 1, 65535).astype(np.uint16)

    def to_bytes(self) -> bytes:
        header = np.asarray([self.min_pages, self.pages, self._tables.shape[1]], dtype=np.int64)
        return header.tobytes() + self._tables.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> SiteVocabulary:
        """The vocabulary ``to_bytes`` wrote; ValueError if ``data`` is not one."""
        if len(data) < 24:
            raise ValueError("not a site vocabulary: too short")
        min_pages, pages, cells = (int(v) for v in np.frombuffer(data[:24], dtype=np.int64))
        bits = cells.bit_length() - 1
        if cells < 2 or cells != 1 << bits or len(data) != 24 + 4 * cells:
            raise ValueError("not a site vocabulary: bad size")
        vocabulary = cls(min_pages, bits)
        vocabulary.pages = pages
        vocabulary._tables = np.frombuffer(data[24:], dtype=np.uint16).reshape(2, cells).copy()
        return vocabulary

    def pages_with(self, term: str) -> int:
        """On how many pages ``term`` (2-4 Han characters) occurs, as the sketch knows it."""
        digest = np.asarray([zlib.crc32(term.encode())], dtype=np.uint32)
        return int(min(self._tables[row][cells][0] for row, cells in enumerate(self._cells(digest))))

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.pages_with(term) >= self.min_pages

    def _cells(self, digests: npt.NDArray[np.uint32]) -> tuple[npt.NDArray[np.uint32], ...]:
        # Two cells per string: the low bits, and the low bits of a multiplicative remix.
        mixed = (digests.astype(np.uint64) * np.uint64(0x9E3779B1)) >> np.uint64(7)
        return digests & self._mask, mixed.astype(np.uint32) & self._mask


def segment(words: Words, text: str) -> tuple[float, list[tuple[int, int]]]:
    """Most probable split of ``text`` into lexicon words (unigram model, log10)."""
    n = len(text)
    best = [0.0] + [-1e9] * n
    back = [0] * (n + 1)
    for end in range(1, n + 1):
        for start in range(max(0, end - 4), end):
            piece = text[start:end]
            if end - start > 1 and piece not in words.freq:
                continue
            score = best[start] + words.logfreq(piece)
            if score > best[end]:
                best[end], back[end] = score, start
    spans = []
    end = n
    while end > 0:
        spans.append((back[end], end))
        end = back[end]
    return best[n], spans[::-1]
