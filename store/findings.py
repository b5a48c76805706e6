"""The findings of a run, as the findings JSON has them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import insert
from sqlalchemy.orm import Session

from checks.model import Finding
from store.models import FindingRow


def add_findings(session: Session, run_id: int, findings: Sequence[Finding],
                 fingerprint: Callable[[Finding], str]) -> None:
    """Store ``findings`` of run ``run_id``, each with its item's ``fingerprint``."""
    rows = []
    for f in findings:
        rows.append({
            "run_id": run_id, "rule": f.rule, "severity": str(f.severity), "site": f.site,
            "account": f.account, "url": f.url, "target": f.target, "column": f.column,
            "text": f.text, "suggestion": f.suggestion, "message": f.message,
            "evidence": f.to_json()["evidence"], "fingerprint": fingerprint(f),
        })
    if rows:
        session.execute(insert(FindingRow), rows)
