"""Candidate corrections: confusable characters and same-sounding words.

Per character (``data/chars.tsv.gz``): its toneless readings, the characters pycorrector
lists as sounding alike (same tone, other tone) and as looking alike. A confusable that
shares a toneless reading is a SOUND candidate (the slip of a pinyin input method, the
commonest kind in typed text), one that only looks alike is SHAPE, the rest NEAR.

Per span of 2-4 characters: the lexicon's words with the same toneless reading (宗介 →
总结, 晚上 → 完善), the slip of choosing the wrong word from an input method's list.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from checks.typo.vocabulary import Words, read_gzip_lines

SOUND, NEAR, SHAPE, WORD = "sound", "near", "shape", "word"
MAX_READINGS = 8  # combinations of polyphone readings tried for one span


@dataclass(frozen=True)
class CharInfo:
    readings: tuple[str, ...]
    common: bool
    confusables: tuple[tuple[str, str], ...]  # (character, kind)


class CharTable:
    def __init__(self, path: Path) -> None:
        rows = [line.split("\t") for line in read_gzip_lines(path)]
        readings = {row[0]: tuple(filter(None, row[1].split(","))) for row in rows}
        self.info: dict[str, CharInfo] = {}
        for ch, _, tone, other, shape, common in rows:
            mine = set(readings[ch])
            seen: dict[str, str] = {}
            for cand in tone + other:
                seen[cand] = SOUND if mine & set(readings.get(cand, ())) else NEAR
            for cand in shape:
                seen.setdefault(cand, SHAPE)
            self.info[ch] = CharInfo(readings[ch], common == "1", tuple(seen.items()))

    def readings(self, ch: str) -> tuple[str, ...]:
        info = self.info.get(ch)
        return info.readings if info else ()

    def is_common(self, ch: str) -> bool:
        info = self.info.get(ch)
        return info is not None and info.common

    def confusables(self, ch: str) -> tuple[tuple[str, str], ...]:
        info = self.info.get(ch)
        return info.confusables if info else ()

    def span_readings(self, span: str) -> list[str]:
        """The toneless readings of a span, one per combination of its characters' readings."""
        options = [self.readings(ch) for ch in span]
        if not all(options):
            return []
        return [" ".join(combo) for combo in itertools.islice(itertools.product(*options), MAX_READINGS)]


def homophone_words(table: CharTable, words: Words, span: str) -> list[str]:
    """Lexicon words that sound like ``span`` (toneless) but are written differently."""
    out: list[str] = []
    for reading in table.span_readings(span):
        for word in words.homophones.get(reading, ()):
            if word != span and word not in out:
                out.append(word)
    return out
