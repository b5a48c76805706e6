"""The 领导信箱 (leader's mailbox): letters with asked and reply dates relative to ``as_of``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Letter:
    number: int
    asked_age: int
    replied_age: int | None

    @property
    def path(self) -> str:
        return f"/ldxx/xj_{self.number}.html"

    def asked(self, as_of: date) -> date:
        return as_of - timedelta(days=self.asked_age)

    def replied(self, as_of: date) -> date | None:
        return None if self.replied_age is None else as_of - timedelta(days=self.replied_age)

    def overdue(self, as_of: date, window: int = 365, limit: int = 90) -> bool:
        """RULES.md: asked within ``window`` days; reply (or as_of) more than ``limit`` later."""
        if self.asked_age > window:
            return False
        answered = self.replied_age if self.replied_age is not None else 0
        return self.asked_age - answered > limit


LETTERS = (
    Letter(1201, 5, 2),
    Letter(1202, 12, None),     # recent, still being handled: fine
    Letter(1203, 20, 15),
    Letter(1204, 40, 30),
    Letter(1205, 60, 50),
    Letter(1206, 100, None),    # unanswered for 100 days: overdue
    Letter(1207, 120, 40),      # trap: replied after 80 days
    Letter(1208, 150, 30),      # replied after 120 days: overdue
    Letter(1209, 380, 200),     # trap: asked more than 365 days ago
    Letter(1210, 400, None),    # trap: asked more than 365 days ago, never answered
)
