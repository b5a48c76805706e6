"""举一反三: the same problem (rule + matched text, or rule + broken target) in many places."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rectification.views import ItemView


@dataclass(frozen=True)
class ProblemGroup:
    rule: str
    rule_title: str
    detail: str  # the matched text or the link target
    items: tuple[ItemView, ...]

    @property
    def places(self) -> tuple[str, ...]:
        return tuple(sorted({i.place for i in self.items}))


def group_items(items: Iterable[ItemView], minimum: int = 2) -> tuple[ProblemGroup, ...]:
    """Groups of at least ``minimum`` items sharing rule and text (or target), biggest first."""
    groups: dict[tuple[str, str], list[ItemView]] = {}
    for item in items:
        detail = item.text or item.target
        if detail:
            groups.setdefault((item.rule, detail), []).append(item)
    found = [
        ProblemGroup(rule, members[0].rule_title, detail, tuple(members))
        for (rule, detail), members in groups.items() if len(members) >= minimum
    ]
    return tuple(sorted(found, key=lambda g: (-len(g.items), g.rule, g.detail)))
