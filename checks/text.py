"""Text a rule can scan safely, and the context shown around a match."""

from __future__ import annotations

import re
from typing import Any

# Beyond this many characters a document is scanned only up to here (a runaway attachment).
MAX_CHARS = 5_000_000
_SPACE = re.compile(r"\s+")


def scannable(value: Any) -> str:
    """Any document field as text: None -> "", bytes decoded leniently, capped at MAX_CHARS."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        value = bytes(value[: MAX_CHARS * 4]).decode("utf-8", errors="replace")
    elif not isinstance(value, str):
        value = str(value)
    return value[:MAX_CHARS]


def around(text: str, start: int, end: int, width: int) -> dict[str, str]:
    """``width`` characters either side of text[start:end], whitespace collapsed, match marked."""
    before = _SPACE.sub(" ", text[max(0, start - width):start])
    after = _SPACE.sub(" ", text[end:end + width])
    match = text[start:end]
    return {"context": f"{before}【{match}】{after}", "before": before, "match": match,
            "after": after}
