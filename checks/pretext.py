"""The pre-publication check (预先检查): every document rule over one draft, hits by line and column.

A draft is checked as a page published on ``as_of`` would be: it becomes the one document
of a one-page site snapshot and every registered check of a document-scoped wording,
privacy or security-content rule runs over it, unchanged. Each finding is
then placed in the draft: ``line`` is 1-based, ``column`` the 1-based character offset of
the hit's first character in that line (RULES.md "Pre-publication check").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from checks.identifiers import mask_text
from checks.lexicon import Lexicon
from checks.model import Check, Document, Finding, Scope, SiteSnapshot
from checks.registry import ORDER, checks, rule_scope
from checks.text import scannable
from core.settings import Settings

DRAFT_URL = "draft:"
_SPACE = re.compile(r"\s+")
_NEWLINES = re.compile(r"\r\n?")


@dataclass(frozen=True)
class TextFinding:
    """One finding of a draft, placed: the JSON object of the RULES.md contract."""

    rule: str
    severity: str
    text: str | None
    suggestion: str | None
    message: str
    line: int
    column: int
    context: str
    start: int  # offset in the draft's text (for highlighting)
    end: int
    count: int = 1

    def to_json(self, file: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "severity": self.severity}
        if file is not None:
            out["file"] = file
        for key in ("text", "suggestion"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out.update(message=self.message, line=self.line, column=self.column,
                   context=self.context)
        return out


def normalized(text: str) -> str:
    """The draft as the checks read it: CR LF and lone CR become LF (lines stay lines)."""
    return _NEWLINES.sub("\n", scannable(text))


# The families a draft is checked with: its wording, the personal numbers in it, and the
# security content rules (illegal terms). Content obligations (interpretation-*, annual
# reports) judge a site's publishing over time, not one draft.
DRAFT_FAMILIES = ("wording-", "privacy-", "security-")


def draft_rule(rule_id: str) -> bool:
    """A rule that applies to a draft: document-scoped and of the wording, privacy or
    security family."""
    return rule_id.startswith(DRAFT_FAMILIES) and rule_scope(rule_id) is Scope.DOCUMENT


def document_checks() -> tuple[tuple[Check, frozenset[str]], ...]:
    """The registered checks that report a draft rule, with those rules only.

    A check that also reports other rules runs too; only its draft findings count.
    """
    found = []
    for check, ids in checks():
        documents = frozenset(r for r in ids if draft_rule(r))
        if documents:
            found.append((check, documents))
    return tuple(found)


def draft_snapshot(text: str, as_of: date, lexicon: Lexicon | None = None) -> SiteSnapshot:
    """A one-page site whose page is the draft, published on ``as_of``."""
    page = Document(url=DRAFT_URL, kind="page", title="", text=text, published=as_of)
    return SiteSnapshot(name="预先检查", url=DRAFT_URL, homepage_fetched=True,
                        documents=(page,), fetched_urls=frozenset({DRAFT_URL}), lexicon=lexicon)


def check_text(
    text: str, settings: Settings, as_of: date, *, lexicon: Lexicon | None = None,
) -> list[TextFinding]:
    """Every document rule over ``text``, by position in the text (then catalogue order)."""
    text = normalized(text)
    snapshot = draft_snapshot(text, as_of, lexicon)
    found: list[Finding] = []
    for check, rule_ids in document_checks():
        found.extend(f for f in check(snapshot, settings, as_of) if f.rule in rule_ids)
    searchable = mask_text(text, as_of)
    width = settings.checks.context_chars
    placed = [_placed(f, text, searchable, width) for f in found]
    return sorted(placed, key=lambda f: (f.start, ORDER.get(f.rule, len(ORDER))))


def _placed(finding: Finding, text: str, searchable: str, width: int) -> TextFinding:
    evidence = finding.evidence
    match = str(evidence.get("match") or finding.text or "")
    start = locate(searchable, match, str(evidence.get("before", "")),
                   str(evidence.get("after", "")), width)
    line, column = line_column(text, start)
    context = str(evidence.get("context") or "")
    return TextFinding(
        rule=finding.rule, severity=str(finding.severity), text=finding.text,
        suggestion=finding.suggestion, message=finding.message, line=line, column=column,
        context=context, start=start, end=start + len(match),
        count=int(evidence.get("count", 1) or 1),
    )


def locate(searchable: str, match: str, before: str, after: str, width: int) -> int:
    """The offset of the hit the evidence describes (its context), else of the first match.

    ``searchable`` is the draft with personal numbers masked, as the evidence shows them
    (masking keeps the length, so offsets hold in the draft too).
    """
    if not match:
        return 0
    first = -1
    for start in occurrences(searchable, match):
        if first < 0:
            first = start
        end = start + len(match)
        shown_before = _SPACE.sub(" ", searchable[max(0, start - width):start])
        shown_after = _SPACE.sub(" ", searchable[end:end + width])
        if shown_before == before and shown_after == after:
            return start
    return max(first, 0)


def occurrences(text: str, match: str) -> Iterator[int]:
    """Every start offset of ``match`` in ``text`` (non-overlapping)."""
    if not match:
        return
    start = text.find(match)
    while start >= 0:
        yield start
        start = text.find(match, start + len(match))


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and 1-based character column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def spans(text: str, found: Iterable[TextFinding], as_of: date) -> list[tuple[int, int, TextFinding]]:
    """Every occurrence of every finding's hit in ``text`` (for highlighting), by position.

    Overlapping spans keep the earlier one; the draft is masked the way findings are.
    """
    searchable = mask_text(normalized(text), as_of)
    marks: list[tuple[int, int, TextFinding]] = []
    for finding in found:
        match = searchable[finding.start:finding.end]
        for start in occurrences(searchable, match) if match else ():
            marks.append((start, start + len(match), finding))
    marks.sort(key=lambda m: (m[0], -m[1]))
    kept: list[tuple[int, int, TextFinding]] = []
    for mark in marks:
        if not kept or mark[0] >= kept[-1][1]:
            kept.append(mark)
    return kept
