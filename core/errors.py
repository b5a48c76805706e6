"""The one exception hierarchy of Xunwang.

    XunwangError                 base: a one-line message for a person, naming the fix
    ├── ConfigError              the config file, an env variable or a flag is wrong
    ├── StoreError               the database cannot be reached or migrated
    ├── FetchError               a fetch failed in a way the caller must handle
    ├── CheckError               a rule could not run (bad lexicon file, ...)
    ├── MailError                the SMTP server refused or could not be reached
    │   └── MailUncertain        the message may have arrived: no reply after DATA
    └── PatrolError              a patrol could not run at all

Entry points catch ``XunwangError`` once and print ``str(error)``; nothing else prints
tracebacks for expected failures.
"""

from __future__ import annotations


class XunwangError(Exception):
    """Base of every expected failure; ``str()`` is the one-line message."""


class ConfigError(XunwangError):
    """The configuration (file, environment or flags) is invalid."""


class StoreError(XunwangError):
    """The database is unreachable or its schema cannot be brought up to date."""


class FetchError(XunwangError):
    """A fetch failed; ``kind`` is the failure class used by the link rules."""

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind


class CheckError(XunwangError):
    """A rule or its data could not be loaded."""


class MailError(XunwangError):
    """Mail could not be delivered."""


class MailUncertain(MailError):
    """The whole message went out but no reply came: it may have been delivered."""


class PatrolError(XunwangError):
    """A patrol could not run."""
