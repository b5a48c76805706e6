"""Who acts on items, what each role may do, and the errors an action raises."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import XunwangError
from store.models import Item

ROLES = ("admin", "unit", "system")


@dataclass(frozen=True)
class Actor:
    """A person (``admin`` = the office, ``unit`` = a responsible unit) or the patrol."""

    username: str
    role: str  # admin | unit | system
    unit: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role in ("admin", "system")

    def can_see(self, item: Item) -> bool:
        return self.is_admin or (self.role == "unit" and bool(self.unit) and item.unit == self.unit)


SYSTEM = Actor("patrol", "system")


class ActionError(XunwangError):
    """An action on an item could not be done."""


class PermissionDenied(ActionError):
    """The actor may not do this (an office action, or another unit's item)."""


class ItemNotFound(ActionError):
    """No such item, or one the actor may not see (never leak its existence)."""


class InvalidTransition(ActionError):
    """The item is not in a state this action applies to."""
