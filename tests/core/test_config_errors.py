"""Issue 14 config: encodings, did-you-mean, every error listed by site name, unknown units."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import load_settings

SITE = '[[sites]]\nname = "区政府门户"\nurl = "http://127.0.0.1:8000/"\n'


def _error(tmp_path: Path, body: bytes) -> str:
    path = tmp_path / "xunwang.toml"
    path.write_bytes(body)
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    return str(info.value)


def test_a_utf8_file_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "xunwang.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SITE.encode("utf-8"))
    assert load_settings(path, environ={}).sites[0].name == "区政府门户"


def test_a_gbk_file_is_refused_in_one_line(tmp_path: Path) -> None:
    message = _error(tmp_path, SITE.encode("gbk"))
    assert "\n" not in message and "UTF-8" in message and "GBK" in message


def test_unknown_key_says_did_you_mean(tmp_path: Path) -> None:
    message = _error(tmp_path, (SITE + "pagelimit = 10\n").encode())
    assert "sites「区政府门户」.pagelimit: unknown key" in message
    assert "did you mean page_limit" in message
    message = _error(tmp_path, b"[mial]\nsmtp_host = 'x'\n")
    assert "did you mean mail" in message


def test_every_error_is_listed_and_named_by_site(tmp_path: Path) -> None:
    body = (SITE + 'render = "sometimes"\n'
            '[[sites]]\nname = "区教育局网站"\nurl = "ftp://x/"\n'
            '[schedule]\nprobe = "often"\n')
    lines = _error(tmp_path, body.encode()).splitlines()
    assert len(lines) == 3, lines
    assert any("sites「区政府门户」.render" in line for line in lines)
    assert any("sites「区教育局网站」.url" in line for line in lines)
    assert any("schedule.probe" in line for line in lines)
    assert all(str(tmp_path) in line for line in lines)
    assert not any("sites.0" in line or "sites.1" in line for line in lines)


def test_a_unit_that_matches_no_units_entry_is_refused(tmp_path: Path) -> None:
    body = (SITE + 'unit = "区教委"\n[[units]]\nname = "区教育局"\n[[units]]\nname = "区财政局"\n'
            '[[accounts]]\nname = "某某发布"\nurl = "http://127.0.0.1:9/f"\nunit = "区财政"\n')
    lines = _error(tmp_path, body.encode()).splitlines()
    assert len(lines) == 2, lines
    assert "sites「区政府门户」.unit" in lines[0] and "区教育局" in lines[0]
    assert "accounts「某某发布」.unit" in lines[1] and "nearest: 区财政局" in lines[1]
