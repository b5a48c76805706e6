"""Rule explanations: a check function's docstring, in fixed sections, is the user-facing text.

The CLI (``xunwang rules --explain``), the digest, the export and the web page all show
``Rule.doc``; it is written once, in the docstring of the function that implements the rule.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

# Section headings, in order; each docstring has every one on its own line.
SECTIONS = (
    "## 检查内容 What it checks",
    "## 为何重要 Why it matters",
    "## 示例 Example",
    "## 如何整改 How to fix",
)


def doc_of(func: Callable[..., Any]) -> str:
    """The cleaned docstring of ``func`` (empty when it has none)."""
    return inspect.cleandoc(func.__doc__ or "")


def sections(doc: str) -> dict[str, str]:
    """The text under each heading of SECTIONS, keyed by its Chinese name (检查内容 …)."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines():
        if line.strip() in SECTIONS:
            current = out.setdefault(line.strip()[3:].split()[0], [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip() for name, lines in out.items()}


def missing_sections(doc: str) -> list[str]:
    """Headings of SECTIONS that ``doc`` lacks, for the meta-test and reviews."""
    lines = {line.strip() for line in doc.splitlines()}
    return [heading for heading in SECTIONS if heading not in lines]
