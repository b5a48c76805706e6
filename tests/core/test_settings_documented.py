"""Every setting is documented: the README's configuration example holds every key of the
settings model, no key the model does not know, and is itself a valid configuration."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from core.settings import Settings, load_settings

README = Path(__file__).resolve().parents[2] / "README.md"
_INTERNAL = {"source"}  # set by load_settings, not by a person


def _config_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```toml\n(.*?)```", section, flags=re.S)
    assert blocks, "README: no ```toml block in the Configuration section"
    return "\n".join(blocks)


def _model(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _undocumented(model: type[BaseModel], example: Any, path: str) -> list[str]:
    """Keys of ``model`` absent from ``example`` (a table, or a list of tables), recursively."""
    tables = example if isinstance(example, list) else [example]
    tables = [t for t in tables if isinstance(t, dict)]
    missing = []
    for name, field in model.model_fields.items():
        if name in _INTERNAL:
            continue
        here = [t[name] for t in tables if name in t]
        if not here:
            missing.append(f"{path}{name}")
            continue
        sub = _model(field.annotation)
        if sub is not None:
            values = [v for value in here for v in (value if isinstance(value, list) else [value])]
            missing += _undocumented(sub, values, f"{path}{name}.")
    return missing


def test_readme_configuration_documents_every_setting() -> None:
    example = tomllib.loads(_config_block())
    assert _undocumented(Settings, example, "") == []


def test_readme_configuration_is_a_valid_config(tmp_path: Path) -> None:
    path = tmp_path / "xunwang.toml"
    path.write_text(_config_block(), encoding="utf-8")
    load_settings(path, environ={})  # unknown or stale keys raise ConfigError
