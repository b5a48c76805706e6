"""The 错敏词 lexicon: TSV term lists compiled into one Aho-Corasick automaton.

TSV format (the built-in ``checks/lexicons/builtin.tsv`` and users' files alike), one term a
line, tab-separated: ``term  suggestion  category  since  except  source``. Lines starting
with ``#`` and a header line starting with ``term`` are skipped; only the first three
columns are required. ``category`` is severe | outdated | sensitive | typo | suspect
(rule id ``wording-<category>``) or illegal (``security-illegal-content``, see ``checks.illegal``); ``since`` is YYYY-MM-DD; ``except`` lists longer correct
strings, comma-separated, inside which the term is not reported.

Matching is leftmost-longest over terms, except strings and allowed terms together, so a
term inside one of its except strings, inside an allowed term, or inside a longer term is
not reported, in one pass of the automaton.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Any

import ahocorasick_rs

from checks.pairs import CONTEXT_RULES, Predicate, not_department
from core.errors import CheckError

CATEGORIES = ("severe", "outdated", "sensitive", "typo", "suspect")  # the wording rules'
# ``illegal`` terms (gambling, porn …) a user's file may add feed ``checks.illegal`` instead
ALL_CATEGORIES = (*CATEGORIES, "illegal")
_RULE_IDS = {category: f"wording-{category}" for category in CATEGORIES}
_RULE_IDS["illegal"] = "security-illegal-content"
BUILTIN = Path(__file__).parent / "lexicons" / "builtin.tsv"
_EXCEPT_SPLIT = re.compile(r"[,，]")


@dataclass(frozen=True)
class Term:
    term: str
    suggestion: str
    category: str
    since: date | None = None
    excepts: tuple[str, ...] = ()
    source: str = ""
    origin: str = ""  # "file:line" it came from
    note: str = ""  # a remark after the suggestion, e.g. "(before a date: 截至2023年底)"
    context: Predicate | None = field(default=None, compare=False)

    @property
    def rule(self) -> str:
        return _RULE_IDS[self.category]


def parse_line(line: str, origin: str) -> Term:
    """One TSV data line as a Term; ValueError names what is wrong with it."""
    cells = [cell.strip() for cell in line.split("\t")]
    if len(cells) < 3:
        raise ValueError(f"expected at least 3 tab-separated columns, got {len(cells)}")
    cells += [""] * (6 - len(cells))
    term, suggestion, category, since, excepts, source = cells[:6]
    if len(term) < 2:
        raise ValueError(f"term {term!r} is shorter than 2 characters")
    if category not in ALL_CATEGORIES:
        raise ValueError(f"category {category!r} is not one of {', '.join(ALL_CATEGORIES)}")
    try:
        when = date.fromisoformat(since) if since else None
    except ValueError:
        raise ValueError(f"since {since!r} is not a YYYY-MM-DD date") from None
    kept = tuple(e.strip() for e in _EXCEPT_SPLIT.split(excepts) if e.strip())
    stray = [e for e in kept if term not in e]
    if stray:
        raise ValueError(f"except {stray[0]!r} does not contain the term {term!r}")
    suggestion, note = _split_note(suggestion)
    return Term(term, suggestion, category, when, kept, source, origin, note)


def _split_note(suggestion: str) -> tuple[str, str]:
    """'截至 (before a date: 截至2023年底)' -> ('截至', 'before a date: 截至2023年底')."""
    match = re.fullmatch(r"(.*?)\s*[(（](.*)[)）]\s*", suggestion)
    return (match.group(1), match.group(2)) if match else (suggestion, "")


def read_tsv(path: Path, problems: list[str]) -> list[Term]:
    """Terms of one TSV file; each bad line is skipped and recorded in ``problems``."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CheckError(f"{path}: cannot read lexicon file ({error.strerror or error})") from None
    terms = []
    for number, chunk in enumerate(raw.splitlines(), start=1):
        origin = f"{path}:{number}"
        try:
            line = chunk.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            problems.append(f"{origin}: not UTF-8 text")
            continue
        if not line.strip() or line.lstrip().startswith("#") or line.startswith("term\t"):
            continue
        try:
            terms.append(parse_line(line, origin))
        except ValueError as error:
            problems.append(f"{origin}: {error}")
    return terms


# (term, start, end): plain tuples, as a NamedTuple costs a quarter of the scan's time.
Hit = tuple[Term, int, int]
# (term, start, end, count): a term's first reported hit in a text and how many it has there.
Tally = tuple[Term, int, int, int]
_INDEX = itemgetter(0)
_START = itemgetter(1)


# A DFA scans fastest but takes ~8 KB a pattern (431 MB for 51k terms; bench/wording.py):
# above this many patterns the contiguous NFA (22 MB for 51k) is used instead.
DFA_LIMIT = 5_000


def _implementation(patterns: int) -> ahocorasick_rs.Implementation:
    if patterns <= DFA_LIMIT:
        return ahocorasick_rs.Implementation.DFA
    return ahocorasick_rs.Implementation.ContiguousNFA


def _with_context(by_text: dict[str, Term]) -> dict[str, Term]:
    """Attach the context rules: the suspect pairs, and 部 names not followed by 门."""
    out = {
        text: replace(term, context=not_department)
        if text.endswith("部") and term.context is None else term
        for text, term in by_text.items()
    }
    for ctx in CONTEXT_RULES:
        base = out.get(ctx.term) or Term(ctx.term, ctx.suggestion, "suspect",
                                         origin="checks/pairs.py")
        out[ctx.term] = replace(base, suggestion=ctx.suggestion, context=ctx.applies)
    return out


class Lexicon:
    """Compiled terms; ``scan(text)`` yields the hits to report, context rules applied."""

    def __init__(
        self, terms: Iterable[Term], allow: Iterable[str] = (), problems: Iterable[str] = (),
    ) -> None:
        self.problems: list[str] = list(problems)
        self.allow = frozenset(a for a in allow if a)
        by_text = _with_context({term.term: term for term in terms})  # later files win
        self.terms: dict[str, Term] = {t: v for t, v in by_text.items() if t not in self.allow}
        patterns: dict[str, Term | None] = dict(self.terms)
        for term in self.terms.values():
            for text in term.excepts:
                patterns.setdefault(text, None)
        for text in self.allow:
            patterns[text] = None
        self._kinds: list[Term | None] = list(patterns.values())
        self._context: list[Predicate | None] = [t.context if t else None for t in self._kinds]
        self._ruled = frozenset(i for i, rule in enumerate(self._context) if rule is not None)
        self._automaton = ahocorasick_rs.AhoCorasick(
            list(patterns), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=_implementation(len(patterns)),
        ) if patterns else None

    def __len__(self) -> int:
        return len(self.terms)

    def scan(self, text: str) -> list[Hit]:
        """Hits to report in ``text``, in order: except strings, allowed terms and context
        rules applied."""
        if self._automaton is None or not text:
            return []
        kinds, context = self._kinds, self._context
        # one comprehension, two list lookups a hit: this loop is the engine's whole overhead
        return [(term, start, end) for index, start, end
                in self._automaton.find_matches_as_indexes(text)
                if (term := kinds[index]) is not None
                and ((rule := context[index]) is None or rule(text, start, end))]

    def tally(self, text: str) -> list[Tally]:
        """What ``scan`` reports, one entry per term: its first hit and its number of hits,
        in the order of first hits.

        The grouping runs in C (a dict built from the hits reversed keeps each pattern's
        first, ``Counter`` counts), so a hit costs no bytecode unless its term has a
        context rule.
        """
        if self._automaton is None or not text:
            return []
        matches = self._automaton.find_matches_as_indexes(text)
        if not matches:
            return []
        # strict=False: the two are one list; the check costs a quarter of the dict
        firsts = dict(zip(map(_INDEX, reversed(matches)), reversed(matches), strict=False))
        if not self._ruled.isdisjoint(firsts):
            return self._tally_ruled(text, matches, firsts, self._ruled.intersection(firsts))
        kinds = self._kinds
        if len(firsts) == len(matches):  # no pattern twice: every hit is a first
            return [(term, start, end, 1) for index, start, end in matches
                    if (term := kinds[index]) is not None]
        return [(term, first[1], first[2], count)
                for index, count in Counter(map(_INDEX, matches)).items()
                if (term := kinds[index]) is not None and (first := firsts[index])]

    def _tally_ruled(
        self, text: str, matches: list[Any], firsts: dict[int, Any], ruled: frozenset[int],
    ) -> list[Tally]:
        """``tally`` where some term has a context rule: its hits are judged one by one."""
        kinds, context = self._kinds, self._context
        passed: dict[int, list[Any]] = {}
        for index, start, end in compress(matches, map(ruled.__contains__, map(_INDEX, matches))):
            if not context[index](text, start, end):
                continue
            if index in passed:
                passed[index][3] += 1
            else:
                passed[index] = [kinds[index], start, end, 1]
        out = [(term, first[1], first[2], count)
               for index, count in Counter(map(_INDEX, matches)).items()
               if index not in ruled and (term := kinds[index]) is not None
               and (first := firsts[index])]
        out += [(term, start, end, count) for term, start, end, count in passed.values()]
        out.sort(key=_START)  # hits do not overlap: their starts are distinct
        return out

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where any listed string occurs in ``text`` (terms, their except strings, allowed
        terms): the statistical detector leaves those places to the lexicon."""
        if self._automaton is None or not text:
            return []
        return [(start, end) for _, start, end in self._automaton.find_matches_as_indexes(text)]


@cache
def builtin() -> Lexicon:
    """The built-in lexicon alone, compiled once per process."""
    return load(())


def load(paths: Iterable[str | Path], allow: Iterable[str] = (), *, builtin: bool = True) -> Lexicon:
    """The built-in lexicon (unless ``builtin=False``) plus users' TSV files, in order."""
    problems: list[str] = []
    terms: list[Term] = []
    for path in ([BUILTIN] if builtin else []) + [Path(p) for p in paths]:
        if not path.is_file():
            raise CheckError(f"{path}: lexicon file not found; fix checks.lexicons in the config")
        terms.extend(read_tsv(path, problems))
    return Lexicon(terms, allow, problems)
