"""The findings JSON document of RULES.md: ``{"run": {...}, "findings": [...]}``."""

from __future__ import annotations

from typing import Any


def findings_document(result: Any) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    run = {
        "id": result.run_id,
        "as_of": iso(result.as_of),
        "started_at": iso(result.started_at),
        "finished_at": iso(result.finished_at),
        "status": result.status,
        "reason": result.reason,
        "sites": result.stats.get("sites", {}),
        "accounts": result.stats.get("accounts", {}),
    }
    return {"run": run, "findings": [f.to_json() for f in result.findings]}
