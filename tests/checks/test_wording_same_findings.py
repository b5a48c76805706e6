"""The wording findings equal what the rule made before it was made fast (issue 12).

``_reference`` is the previous implementation, kept verbatim: every hit through
``Lexicon.scan``, a dict per term, the context masked by ``around`` and every field masked
again by ``Finding``. The texts mix terms, their except strings, allowed terms, context
rules, personal numbers (whole, cut by the context edge, full-width, hyphenated), runs of
whitespace and characters beyond the BMP, with a small lexicon (a DFA) and one above
``DFA_LIMIT`` (a contiguous NFA).
"""

from __future__ import annotations

import json
import random
from collections.abc import Collection, Iterable, Iterator
from datetime import date
from typing import Any

import pytest

from checks.identifiers import mask_text
from checks.lexicon import BUILTIN, CATEGORIES, DFA_LIMIT, Hit, Lexicon, Term, read_tsv
from checks.model import Document, Finding
from checks.text import around, scannable
from checks.wording import _SEVERITY, WordingEvidence, _applies, _message, scan

from .test_identifiers import CARD, ID, PHONE

AS_OF = date(2026, 11, 27)
BUILTIN_TERMS = read_tsv(BUILTIN, [])
ALLOWED = ("国家旅游局官网", "攻府")  # one longer than a term, one a term itself


def _reference_scan(lexicon: Lexicon, text: str) -> list[Hit]:
    """``Lexicon.scan`` as it is (and was): every hit judged in Python."""
    if lexicon._automaton is None or not text:
        return []
    kinds, context = lexicon._kinds, lexicon._context
    return [(term, start, end) for index, start, end
            in lexicon._automaton.find_matches_as_indexes(text)
            if (term := kinds[index]) is not None
            and ((rule := context[index]) is None or rule(text, start, end))]


def _reference_first_hits(doc: Document, lexicon: Lexicon, wanted: Collection[str]) -> list[Any]:
    found: dict[str, list[Any] | None] = {}
    for where, value in (("title", doc.title), ("text", doc.text)):
        text = scannable(value)
        for term, start, end in _reference_scan(lexicon, text):
            if term.term not in found:
                keep = term.category in wanted and _applies(term, doc.published)
                found[term.term] = [term, start, end, where, text, 1] if keep else None
            elif (first := found[term.term]) is not None:
                first[5] += 1
    return [first for first in found.values() if first is not None]


def _reference_evidence(doc: Document, first: list[Any], width: int, as_of: date) -> WordingEvidence:
    from checks.age import iso
    from checks.text import one_line

    term, start, end, where, text, count = first
    shown = around(text, start, end, width, lambda w: mask_text(w, as_of))
    evidence = WordingEvidence(
        context=shown["context"], before=shown["before"], match=shown["match"],
        after=shown["after"], count=count, where=where, kind=doc.kind,
        published=iso(doc.published), page_title=one_line(doc.title, 120), lexicon=term.origin)
    if term.since:
        evidence["since"] = term.since.isoformat()
    if term.note:
        evidence["note"] = term.note
    if doc.linked_from:
        evidence["linked_from"] = sorted(doc.linked_from)
    if term.category in ("typo", "suspect"):
        evidence["found_by"] = "lexicon"
    return evidence


def _reference(
    documents: Iterable[Document], lexicon: Lexicon, as_of: date, *,
    categories: Collection[str] = CATEGORIES, context_chars: int = 30,
) -> Iterator[Finding]:
    wanted = frozenset(categories)
    for doc in documents:
        for first in _reference_first_hits(doc, lexicon, wanted):
            term, count = first[0], first[5]
            yield Finding(
                rule=term.rule, severity=_SEVERITY[term.category], url=doc.url, text=term.term,
                suggestion=term.suggestion or None, message=_message(term, count),
                evidence=_reference_evidence(doc, first, context_chars, as_of),
            )


def _synthetic_terms(count: int, rng: random.Random) -> list[Term]:
    """Han bigrams and trigrams of a small character set, so they occur in random text."""
    chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可"
    terms: dict[str, Term] = {}
    while len(terms) < count:
        text = "".join(rng.choice(chars) for _ in range(rng.choice((2, 2, 3))))
        category = rng.choice(("sensitive", "typo", "outdated", "severe"))
        since = date(2020, 1, 1) if category == "outdated" else None
        digits = f"{rng.randrange(100)}号" if rng.random() < 0.02 else ""
        terms.setdefault(text, Term(text, rng.choice(("", "某某", "第" + digits)), category, since,
                                    origin=f"synthetic.tsv:{len(terms) + 1}",
                                    note=digits and f"见{digits}"))
    return list(terms.values())


def _pieces(lexicon: Lexicon) -> list[str]:
    terms = list(lexicon.terms)
    excepts = [e for t in lexicon.terms.values() for e in t.excepts]
    numbers = [ID, PHONE, CARD, f"{ID}5", PHONE[:7], "１３８１２３４５６７８", "138-1234-5678",
               "2023年底", "12月31日", "0755-83838383", ID[:9], CARD[5:]]
    filler = ["，", "。", "\n", "  ", " ", "\u3000", "\xa0", "\t", "\u200b", "\x00", "的", "工作", "部门", "门", "品", "决定",
              "日期", "😀", "𠀋", "a", " X "]
    return terms * 2 + excepts + list(ALLOWED) + numbers * 3 + filler * 6


def _documents(lexicon: Lexicon, rng: random.Random, count: int) -> list[Document]:
    pieces = _pieces(lexicon)
    docs = []
    for number in range(count):
        parts = rng.choices(pieces, k=rng.randrange(0, 120))
        if rng.random() < 0.3:  # a long stretch without terms between hits
            parts.insert(rng.randrange(len(parts) + 1), "无关内容" * rng.randrange(5, 40))
        title = "".join(rng.choices(pieces, k=rng.randrange(0, 6))) if rng.random() < 0.5 else ""
        published = rng.choice((None, date(2017, 5, 1), date(2019, 6, 1), date(2024, 2, 29)))
        linked = tuple(rng.sample([f"http://a.test/{PHONE}", "http://a.test/p2", "http://a.test/p1"],
                                  k=rng.randrange(3)))
        docs.append(Document(url=f"http://a.test/{number}/{PHONE if number % 7 == 0 else ''}",
                             kind=rng.choice(("page", "attachment", "post")), title=title,
                             text="".join(parts), published=published, linked_from=linked))
    return docs


def _lexicon(extra: int) -> Lexicon:
    terms = BUILTIN_TERMS + _synthetic_terms(extra, random.Random(extra))
    return Lexicon(terms, allow=ALLOWED)


SMALL, LARGE = _lexicon(200), _lexicon(DFA_LIMIT + 500)


@pytest.mark.parametrize("lexicon", [SMALL, LARGE], ids=["dfa", "nfa"])
@pytest.mark.parametrize("seed", range(4))
def test_findings_equal_the_previous_implementation(lexicon: Lexicon, seed: int) -> None:
    rng = random.Random(seed)
    docs = _documents(lexicon, rng, 150)
    categories = CATEGORIES if seed % 2 == 0 else ("outdated", "typo", "suspect")
    width = (30, 5, 0, 60)[seed]
    new = list(scan(docs, lexicon, AS_OF, categories=categories, context_chars=width))
    old = list(_reference(docs, lexicon, AS_OF, categories=categories, context_chars=width))
    assert len(new) > 200  # the texts do produce findings
    # as stored: the same JSON text, keys in the same order
    assert [json.dumps(f.to_json(), ensure_ascii=False) for f in new] == \
        [json.dumps(f.to_json(), ensure_ascii=False) for f in old]
    assert new == old
    # what the cases are meant to reach, so a change of the generator cannot hollow them out
    assert any("*" in f.evidence["context"] for f in new) or width == 0
    assert any(f.evidence["count"] > 1 for f in new)
    assert any("linked_from" in f.evidence and "found_by" in f.evidence for f in new)
    assert any(f.evidence["where"] == "title" for f in new)


def _grouped(hits: list[Hit]) -> list[tuple[str, int, int, int]]:
    firsts: dict[str, tuple[str, int, int, int]] = {}
    for term, start, end in hits:
        count = sum(1 for t, _, _ in hits if t.term == term.term)
        firsts.setdefault(term.term, (term.term, start, end, count))
    return list(firsts.values())


@pytest.mark.parametrize("lexicon", [SMALL, LARGE], ids=["dfa", "nfa"])
def test_tally_groups_what_scan_reports(lexicon: Lexicon) -> None:
    # a context rule failing at a term's first hit and passing later moves it behind others
    texts = ["截止到期，农业部，截止2023年底，农业部门", "截止2023年底，截止日期，截止目前", "😀农业部"]
    texts += [doc.text for doc in _documents(lexicon, random.Random(7), 200)]
    for text in texts:
        tallied = [(t.term, s, e, n) for t, s, e, n in lexicon.tally(text)]
        assert tallied == _grouped(_reference_scan(lexicon, text))
    assert [t.term for t, *_ in lexicon.tally(texts[0])] == ["农业部", "截止"]
