"""The patrol summary: a site whose homepage could not be fetched gets no verdict."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from tests.crawler.localsite import LocalSite, free_port, html
from xunwang.cli import main

HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_unreachable_site_is_not_passed(tmp_path: Path) -> None:
    page = html('<ul><li><a href="/a.html">区政府召开常务会议研究部署工作</a><span>2026-11-25</span></li>'
                '<li><a href="/b.html">全区秋冬季安全生产工作会议召开</a><span>2026-11-20</span></li></ul>'
                '<div class="footer">网站标识码1101020001 京ICP备1号 京公网安备11010202000001号 党政机关</div>')
    config = tmp_path / "xunwang.toml"
    with LocalSite({"/": (200, dict(HTML), page)}) as site:
        config.write_text(
            f'[db]\nurl = "sqlite:///{tmp_path / "x.db"}"\n'
            f'[crawler]\ntimeout_seconds = 2\nretries = 0\n'
            f'[[sites]]\nname = "正常站"\nurl = "{site.url}"\n'
            f'[[sites]]\nname = "关闭站"\nurl = "http://127.0.0.1:{free_port()}/"\n',
            encoding="utf-8")
        result = CliRunner().invoke(main, ["patrol", "--config", str(config),
                                           "--as-of", date(2026, 11, 27).isoformat()])
    assert result.exit_code == 0, result.output
    assert "网站「关闭站」：无法评定" in result.output
    assert "网站「正常站」：合格" in result.output
