"""A tiny TOML writer for the demo's generated xunwang.toml (tomllib only reads)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON strings are TOML basic strings
    if isinstance(value, Sequence):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _table(values: Mapping[str, Any]) -> list[str]:
    return [f"{key} = {_value(value)}" for key, value in values.items()]


def render_toml(*, header: str, sections: Mapping[str, Mapping[str, Any]],
                arrays: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    lines = [f"# {header}", ""]
    for name, values in sections.items():
        lines += [f"[{name}]", *_table(values), ""]
    for name, tables in arrays.items():
        for values in tables:
            lines += [f"[[{name}]]", *_table(values), ""]
    return "\n".join(lines)
