"""Structured log lines: one event per line, fields that split back with shlex."""

from __future__ import annotations

import logging
import shlex

from scheduler.logs import KeyValueFormatter, log_event


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(KeyValueFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _capture(emit: object) -> list[str]:
    logger = logging.getLogger("xunwang.test.logs")
    handler = _Collect()
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        emit(logger)  # type: ignore[operator]
    finally:
        logger.removeHandler(handler)
    return handler.lines


def test_logs_event_fields_round_trip_through_shlex() -> None:
    detail = 'run=3 status=partial reason="time limit"\nsecond line'
    (line,) = _capture(lambda log: log_event(
        log, "job_done", job="patrol:site:云溪区 人民政府", status="partial", ok=False,
        duration_s=1.5, detail=detail, status_code=None))
    assert "\n" not in line
    fields = dict(part.split("=", 1) for part in shlex.split(line))
    assert fields["event"] == "job_done" and fields["level"] == "info"
    assert fields["job"] == "patrol:site:云溪区 人民政府"
    assert (fields["ok"], fields["duration_s"], fields["status_code"]) == ("false", "1.5", "-")
    assert fields["detail"] == detail.replace("\n", "\\n")  # the newline stays escaped


def test_logs_plain_messages_and_tracebacks_stay_on_one_line() -> None:
    def emit(log: logging.Logger) -> None:
        log.warning("Run time of job %s was missed", "probe")
        try:
            raise ValueError("boom")
        except ValueError:
            log_event(log, "job_error", level=logging.ERROR, exc_info=True, job="probe")

    plain, error = _capture(emit)
    assert 'msg="Run time of job probe was missed"' in plain
    assert "\n" not in error and "ValueError: boom" in error and "level=error" in error
