"""Settings: TOML, environment and flags into one frozen object; errors are one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from core.errors import ConfigError
from core.settings import load_settings


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "xunwang.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_settings_load_sites_units_and_env_override(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[[sites]]
name = "区政府门户"
url = "http://127.0.0.1:8000/"
exclude = ["/search"]
columns = [{ match = "通知公告", type = "notice" }]

[[units]]
name = "区政务公开办"
email = "gk@example.org"
match = ["区政府门户"]
""")
    settings = load_settings(path, environ={"XUNWANG_DB": "sqlite:///x.db",
                                            "XUNWANG_MAIL__SMTP_HOST": "127.0.0.1"})
    assert settings.sites[0].name == "区政府门户"
    assert settings.sites[0].columns[0].type == "notice"
    assert settings.db.url == "sqlite:///x.db"
    assert settings.mail.smtp_host == "127.0.0.1"
    with pytest.raises(ValidationError, match="frozen"):
        settings.db = settings.db  # type: ignore[misc]


def test_settings_flag_overrides_env(tmp_path: Path) -> None:
    settings = load_settings(None, overrides={"db": {"url": "sqlite:///flag.db"}},
                             environ={"XUNWANG_DB": "sqlite:///env.db"})
    assert settings.db.url == "sqlite:///flag.db"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[[sites]]\nname = "a"\nurl = "ftp://x"\n', "sites「a」.url"),
        ('[[sites]]\nname = "a"\nurl = "http://x/"\nrender = "sometimes"\n', "allowed"),
        ('[mail]\nsmtp_prot = 25\n', "mail.smtp_prot: unknown key"),
        ('[crawler]\nretries = "many"\n', "crawler.retries"),
        ('[schedule]\nprobe = "every 15 minutes"\n', "five-field cron"),
        ('[[sites]\nname=', "not valid TOML"),
    ],
)
def test_settings_errors_are_one_line_naming_file_and_key(
    tmp_path: Path, body: str, expected: str
) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert expected in message


def test_settings_missing_file_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_duplicate_site_names_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[sites]]\nname="a"\nurl="http://x/"\n[[sites]]\nname="a"\nurl="http://y/"\n')
    with pytest.raises(ConfigError, match="duplicate"):
        load_settings(path, environ={})


def test_default_config_from_env_or_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import default_config_path

    monkeypatch.chdir(tmp_path)
    assert default_config_path(environ={}) is None
    (tmp_path / "xunwang.toml").write_text("", encoding="utf-8")
    assert default_config_path(environ={}) == Path("xunwang.toml")
    assert default_config_path(environ={"XUNWANG_CONFIG": "/etc/xunwang/x.toml"}) == Path(
        "/etc/xunwang/x.toml")
