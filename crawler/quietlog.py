"""A log formatter that builds no record for each scraped item or crawled response."""

from __future__ import annotations

from typing import Any

from scrapy.logformatter import LogFormatter


class QuietLogFormatter(LogFormatter):
    def scraped(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        return None

    def crawled(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        return None
