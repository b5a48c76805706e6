"""Text a rule can scan safely, and the context shown around a match."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypedDict

# Beyond this many characters a document is scanned only up to here (a runaway attachment).
MAX_CHARS = 5_000_000
SPACE = re.compile(r"\s+")
LONGEST_NUMBER = 19  # a bank card; IDs are 18, phones 11


class _Hit(TypedDict):
    context: str
    before: str
    match: str
    after: str
    count: int
    where: str  # title | text
    kind: str  # page | attachment | post
    published: str | None


class TextHit(_Hit, total=False):
    """The evidence every text rule writes about one hit: where it is and what surrounds it
    (``page_title`` is absent from hits a run before it existed found and a later run reuses)."""

    page_title: str  # the page's (attachment's, post's) title, as it was fetched


def scannable(value: Any) -> str:
    """Any document field as text: None -> "", bytes decoded leniently, capped at MAX_CHARS."""
    if type(value) is str:  # the usual case first: the wording rules ask twice per document
        return value if len(value) <= MAX_CHARS else value[:MAX_CHARS]
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        value = bytes(value[: MAX_CHARS * 4]).decode("utf-8", errors="replace")
    elif not isinstance(value, str):
        value = str(value)
    text: str = value
    return text[:MAX_CHARS]


def around(
    text: str, start: int, end: int, width: int, mask: Callable[[str], str] | None = None,
) -> dict[str, str]:
    """``width`` characters either side of text[start:end], whitespace collapsed, match marked.

    ``mask`` (length-preserving) is applied to a window wide enough to hold any number that
    overlaps the context, so a number cut by the context's edge is masked as a whole.
    """
    low, high = max(0, start - width), min(len(text), end + width)
    if mask is not None:
        outer = max(0, low - LONGEST_NUMBER)
        window = mask(text[outer:high + LONGEST_NUMBER])
        text, start, end, low, high = (window, start - outer, end - outer, low - outer,
                                       high - outer)
    before = SPACE.sub(" ", text[low:start])
    after = SPACE.sub(" ", text[end:high])
    match = text[start:end]
    return {"context": f"{before}【{match}】{after}", "before": before, "match": match,
            "after": after}


def one_line(value: str | None, limit: int = 40) -> str:
    """Page-supplied text (a title, an anchor) fit for a one-line message."""
    text = SPACE.sub(" ", value or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
