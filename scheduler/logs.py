"""Structured log lines: ``ts=… level=… logger=… event=… key=value``, one event per line.

Values with spaces, quotes or ``=`` are JSON-quoted, so a line splits back into its
fields with ``shlex.split`` and greps stay simple (``grep 'event=job_done status=failed'``).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from checks.model import masked

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/+@,")


def format_value(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text and all(ch in _PLAIN for ch in text):
        return text
    return json.dumps(text, ensure_ascii=False)


def log_event(
    logger: logging.Logger, event: str, *, level: int = logging.INFO, exc_info: bool = False,
    **fields: Any,
) -> None:
    """Log one event with its fields; the formatter renders them as key=value pairs."""
    logger.log(level, event, exc_info=exc_info, extra={"xw_fields": {"event": event, **fields}})


class KeyValueFormatter(logging.Formatter):
    """Renders every record as one key=value line, fields from ``log_event`` included."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        parts = [
            f"ts={stamp}", f"level={record.levelname.lower()}", f"logger={record.name}",
        ]
        fields = getattr(record, "xw_fields", None)
        if fields:
            parts += [f"{key}={format_value(value)}" for key, value in fields.items()]
        else:
            parts.append(f"msg={format_value(record.getMessage())}")
        if record.exc_info:
            parts.append(f"exc={format_value(self.formatException(record.exc_info))}")
        # a URL, link text or error may quote a crawled personal number: no log line keeps it
        return masked(" ".join(parts))


def configure_logging(level: str = "INFO") -> None:
    """Send every logger (ours, APScheduler's, uvicorn's) to stderr as key=value lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # our job_start/job_done events say what APScheduler's INFO lines say; keep its
    # warnings (missed runs, skipped instances) and errors
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
    # one INFO line per probe request is noise in the journal; failures are our own events
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
