"""The wrong-character detector and the context rules of ``checks.typo`` as wording findings.

``wording-typo`` gets what the statistical detector finds at or above
``checks.typo_threshold``; ``wording-suspect`` gets the context rules for real-word
confusions (的/地/得, 做/作, 在/再, 象/像, 已/以). The detector's model is loaded once per
process, on the first document that has Han text to check (1-2 s, about 220 MB), and only
documents whose text is new or changed are checked: an unchanged page brings what an earlier
run found in it (``Document.typos_known``). The site's vocabulary (strings written on many of
its pages) is built from every document of the snapshot, changed or not.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from checks.age import iso
from checks.identifiers import mask_text
from checks.lexicon import Lexicon
from checks.model import Document, Finding, Severity
from checks.text import around, one_line, scannable
from checks.typo import SiteVocabulary, TypoDetector, TypoHit
from checks.typo.confusions import ConfusionHit, find_confusions

TYPO_RULE = "wording-typo"
SUSPECT_RULE = "wording-suspect"
MODEL = "model"  # evidence ``found_by`` (and ``lexicon``) of a detector hit
CONTEXT = "context"  # ... of a context-rule hit
KIND_LABELS = {"sound": "同音字", "near": "近音字", "shape": "形近字", "word": "同音词"}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

_lock = threading.Lock()
_loaded: list[TypoDetector] = []


def detector() -> TypoDetector:
    """The packaged detector, read on first use and kept for the life of the process."""
    if not _loaded:
        with _lock:
            if not _loaded:
                _loaded.append(TypoDetector.load())
    return _loaded[0]


def is_loaded() -> bool:
    """Whether this process has loaded the detector (tests: it is loaded lazily)."""
    return bool(_loaded)


def _texts(doc: Document) -> Iterator[tuple[str, str]]:
    for where, value in (("title", doc.title), ("text", doc.text)):
        text = scannable(value)
        if _HAN.search(text):
            yield where, text


def _taken(lexicon: Lexicon, text: str) -> list[tuple[int, int]]:
    """Spans the lexicon judges itself: its terms (按装 is the lexicon's, not the model's),
    their except strings, and the terms a user allowed (``checks.allow_terms``)."""
    return lexicon.spans(text)


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _evidence(doc: Document, where: str, text: str, start: int, end: int, count: int,
              width: int, as_of: date) -> dict[str, Any]:
    shown = around(text, start, end, width, lambda w: mask_text(w, as_of))
    evidence: dict[str, Any] = {
        "context": shown["context"], "before": shown["before"], "match": shown["match"],
        "after": shown["after"], "count": count, "where": where, "kind": doc.kind,
        "published": iso(doc.published), "page_title": one_line(doc.title, 120)}
    if doc.linked_from:
        evidence["linked_from"] = sorted(doc.linked_from)
    return evidence


def _typo_finding(doc: Document, hit: TypoHit, where: str, text: str, count: int,
                  width: int, as_of: date) -> Finding:
    times = f"（共 {count} 处）" if count > 1 else ""
    evidence = _evidence(doc, where, text, hit.start, hit.end, count, width, as_of)
    evidence.update(lexicon=MODEL, found_by=MODEL, score=hit.score, typo_kind=hit.kind)
    return Finding(
        rule=TYPO_RULE, severity=Severity.DEDUCT, url=doc.url, text=hit.wrong,
        suggestion=hit.suggestion, evidence=evidence,
        message=(f"疑似错别字：“{hit.wrong}”，建议改为“{hit.suggestion}”"
                 f"（{KIND_LABELS.get(hit.kind, hit.kind)}，置信度 {hit.score:.1f}）{times}"))


def _document_typos(doc: Document, found: TypoDetector, vocabulary: SiteVocabulary,
                    lexicon: Lexicon, threshold: float, width: int,
                    as_of: date) -> Iterator[Finding]:
    """One finding per (wrong, suggestion) in ``doc``, counting its other places."""
    first: dict[tuple[str, str], list[Any]] = {}
    for where, text in _texts(doc):
        hits = found.find(text, vocabulary, threshold=threshold)
        if not hits:
            continue
        taken = _taken(lexicon, text)
        for hit in hits:
            if _overlaps(taken, hit.start, hit.end):
                continue
            key = (hit.wrong, hit.suggestion)
            if key in first:
                first[key][3] += 1
            else:
                first[key] = [hit, where, text, 1]
    for hit, where, text, count in first.values():
        yield _typo_finding(doc, hit, where, text, count, width, as_of)


VOCABULARY_PAGES = 2000  # pages the site vocabulary is counted on (about 20-60 ms a page)


def _vocabulary_sample(documents: Sequence[Document], todo: Sequence[Document]) -> list[Document]:
    """The pages to count the site's vocabulary on: all of them on a small site; on a large
    one, the pages to check and an even spread of the others up to VOCABULARY_PAGES."""
    if len(documents) <= VOCABULARY_PAGES:
        return list(documents)
    checked = {id(doc) for doc in todo}
    others = [doc for doc in documents if id(doc) not in checked]
    room = max(VOCABULARY_PAGES - len(todo), 0)
    step = max(len(others) / room, 1.0) if room else 0.0
    spread = [others[int(i * step)] for i in range(room)] if room else []
    return [*todo, *spread]


def typo_findings(documents: Sequence[Document], lexicon: Lexicon, *, threshold: float,
                  width: int, as_of: date) -> Iterator[Finding]:
    """``wording-typo`` findings of the detector over ``documents`` (one site or account).

    Documents with ``typos_known`` report those again; the others are checked, with the
    vocabulary of all ``documents``. Nothing is loaded when no document needs checking.
    """
    todo = []
    for doc in documents:
        if doc.typos_known is None:
            todo.append(doc)
        else:
            yield from (f for f in doc.typos_known if f.rule == TYPO_RULE)
    if not any(True for doc in todo for _ in _texts(doc)):
        return
    vocabulary = SiteVocabulary.build(
        "\n".join(text for _, text in _texts(doc)) for doc in _vocabulary_sample(documents, todo))
    found = detector()
    for doc in todo:
        yield from _document_typos(doc, found, vocabulary, lexicon, threshold, width, as_of)


def _suspect_finding(doc: Document, hit: ConfusionHit, where: str, text: str, count: int,
                     width: int, as_of: date) -> Finding:
    times = f"（共 {count} 处）" if count > 1 else ""
    evidence = _evidence(doc, where, text, hit.start, hit.end, count, width, as_of)
    evidence.update(lexicon=f"{CONTEXT}:{hit.rule}", found_by=CONTEXT, note=hit.note)
    return Finding(
        rule=SUSPECT_RULE, severity=Severity.WARN, url=doc.url, text=hit.wrong,
        suggestion=hit.suggestion, evidence=evidence,
        message=f"疑似用词不当：“{hit.wrong}”，可能应为“{hit.suggestion}”，{hit.note}{times}")


def confusion_findings(documents: Sequence[Document], lexicon: Lexicon, *, width: int,
                       as_of: date) -> Iterator[Finding]:
    """``wording-suspect`` findings of the context rules (cheap: checked on every text)."""
    for doc in documents:
        first: dict[str, list[Any]] = {}
        for where, text in _texts(doc):
            hits = find_confusions(text)
            if not hits:
                continue
            taken = _taken(lexicon, text)
            for hit in hits:
                if _overlaps(taken, hit.start, hit.end):
                    continue
                # one finding per wrong text (its fingerprint), whichever rule saw it
                if hit.wrong in first:
                    first[hit.wrong][3] += 1
                else:
                    first[hit.wrong] = [hit, where, text, 1]
        for hit, where, text, count in first.values():
            yield _suspect_finding(doc, hit, where, text, count, width, as_of)
