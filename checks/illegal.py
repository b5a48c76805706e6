"""The ``illegal`` lexicon: gambling, pornography, fraud, drugs, forged certificates, 代孕.

Terms of the spam kind (``checks/lexicons/illegal.tsv``, sources in ``ILLEGAL.md``), plus
the ``illegal`` lines of users' lexicon files. Text is normalised before matching, so the
usual evasions match: 全角 letters and digits (NFKC), upper case, and spaces or separator
symbols put between the characters of a term (百 家 乐, 百-家-乐, 澳*门*威*尼*斯*人).
Chinese punctuation and line breaks are kept: they separate real words.

The crackdown guard: a government report about cracking down on these crimes names the
same services. A hit with crackdown or warning vocabulary (打击, 查处, 破获, 警惕, 防范 …)
in its context, or in the document's title, is ``guarded``: the rules report it for a
person to decide, never as a veto.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick_rs

from checks.lexicon import Lexicon

ILLEGAL = Path(__file__).parent / "lexicons" / "illegal.tsv"
KINDS = {"gambling": "赌博", "porn": "色情", "fraud": "诈骗", "drugs": "毒品",
         "certificates": "假证假票", "surrogacy": "代孕"}
# spaces and symbols an evasion puts between characters; not Chinese punctuation or newlines
_SEPARATORS = frozenset(" \t\u00a0\u3000-_.·•*|/\\~+=^`'\"\u200b\u200c\u200d\u2060\ufeff")
_GUARD = re.compile(
    "打击|严打|整治|专项行动|专项斗争|查处|查获|破获|侦破|抓获|捣毁|取缔|刑拘|逮捕|判处|判决|审判|"
    "公诉|起诉|涉嫌|犯罪|违法|非法|警方|公安|检察|法院|禁毒|扫黄|打非|反诈|诈骗|骗局|案件|案例|"
    "警惕|防范|谨防|提醒|揭秘|远离|拒绝|严禁|禁止|举报|曝光|通报|宣传|治理")
GUARD_CHARS = 40


@dataclass(frozen=True)
class IllegalTerm:
    term: str  # as listed
    kind: str
    source: str
    origin: str  # file:line


def normalise(text: str) -> str:
    """NFKC, lower case, separators removed: the text the automaton scans."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if ch not in _SEPARATORS)


def _mapped(text: str) -> tuple[str, list[int]]:
    """``normalise(text)`` and, for each of its characters, the index it came from."""
    out: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(text):
        for part in unicodedata.normalize("NFKC", ch).lower():
            if part not in _SEPARATORS:
                out.append(part)
                where.append(index)
    return "".join(out), where


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


@dataclass(frozen=True)
class Hit:
    term: IllegalTerm
    start: int  # in the original text
    end: int
    guarded: bool


class IllegalLexicon:
    """Compiled illegal terms; ``scan(text)`` gives hits with positions in the original text."""

    def __init__(self, terms: Iterable[IllegalTerm]) -> None:
        by_key: dict[str, IllegalTerm] = {}
        for term in terms:
            key = normalise(term.term)
            if len(key) >= 2:
                by_key[key] = term
        self.terms = by_key
        self._keys = list(by_key)
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest) if by_key else None

    def __len__(self) -> int:
        return len(self.terms)

    def _matches(self, flat: str) -> list[tuple[str, int, int]]:
        if self._automaton is None or not flat:
            return []
        found = []
        for index, start, end in self._automaton.find_matches_as_indexes(flat):
            key = self._keys[index]
            # an ASCII term inside a longer ASCII word is not it ("rubbing" is not "bbin")
            if _ascii_word(key[0]) and start > 0 and _ascii_word(flat[start - 1]):
                continue
            if _ascii_word(key[-1]) and end < len(flat) and _ascii_word(flat[end]):
                continue
            found.append((key, start, end))
        return found

    def matches(self, text: str) -> bool:
        """Whether ``text`` holds any term (the fast path: no positions)."""
        return bool(self._matches(normalise(text)))

    def scan(self, text: str, title: str = "") -> list[Hit]:
        """Hits in ``text``; ``title`` (the document's) can guard every hit of its body."""
        if self._automaton is None or not text or not self._matches(normalise(text)):
            return []
        flat, where = _mapped(text)
        titled = bool(title and _GUARD.search(title))
        hits = []
        for key, start, end in self._matches(flat):
            low, high = where[start], where[end - 1] + 1
            near = text[max(0, low - GUARD_CHARS):high + GUARD_CHARS]
            hits.append(Hit(self.terms[key], low, high, titled or bool(_GUARD.search(near))))
        return hits


def read_illegal(path: Path) -> list[IllegalTerm]:
    """Terms of an illegal TSV (term, kind, source); comments and the header skipped."""
    terms = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith(("#", "term\t")):
            continue
        cells = [c.strip() for c in line.split("\t")] + ["", ""]
        terms.append(IllegalTerm(cells[0], cells[1] or "gambling", cells[2], f"{path}:{number}"))
    return terms


@cache
def builtin_illegal() -> IllegalLexicon:
    return IllegalLexicon(read_illegal(ILLEGAL))


def illegal_lexicon(lexicon: Lexicon | None) -> IllegalLexicon:
    """The built-in illegal terms plus the ``illegal`` terms of the loaded user lexicon."""
    extra = [IllegalTerm(t.term, t.suggestion or "other", t.source, t.origin)
             for t in (lexicon.terms.values() if lexicon is not None else ())
             if t.category == "illegal"]
    if not extra:
        return builtin_illegal()
    return _combined(tuple(extra))


@cache
def _combined(extra: tuple[IllegalTerm, ...]) -> IllegalLexicon:
    return IllegalLexicon([*read_illegal(ILLEGAL), *extra])
