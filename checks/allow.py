"""Allow rules the checks honour: terms a person dismissed for one site or everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from checks.model import Finding


@dataclass(frozen=True)
class Allowlist:
    """(rule, text) pairs allowed everywhere, and (site-or-account, rule, text) allowed locally.

    ``rule`` may be ``"*"`` to allow the text under any rule.
    """

    everywhere: frozenset[tuple[str, str]] = frozenset()
    per_place: frozenset[tuple[str, str, str]] = frozenset()

    def allows(self, finding: Finding) -> bool:
        if finding.text is None:
            return False
        place = finding.site or finding.account or ""
        for rule in (finding.rule, "*"):
            if (rule, finding.text) in self.everywhere:
                return True
            if (place, rule, finding.text) in self.per_place:
                return True
        return False


EMPTY = Allowlist()
