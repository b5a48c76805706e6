"""Reference extraction on linkinator's and lychee's own fixture pages (read from ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract import analyse

SERVED_AT = "http://example.invalid/pageBase/index"


def _urls(path: Path, url: str) -> set[str]:
    return {r.url for r in analyse(path.read_bytes(), url).references}


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("relative-to-root.html", "http://example.invalid/anotherBase/ok"),
        ("relative-folder.html", "http://example.invalid/pageBase/anotherBase/ok"),
        ("relative-dot-folder.html", "http://example.invalid/pageBase/anotherBase/ok"),
        ("relative-page.html", "http://example.invalid/pageBase/ok"),
        ("empty-base.html", "http://example.invalid/pageBase/ok"),
        ("absolute.html", "http://another.example.invalid/ok"),
    ],
)
def test_linkinator_basetag(shared_dir: Path, name: str, ok: str) -> None:
    urls = _urls(shared_dir / "benchmarks" / "linkinator" / "fixtures" / "basetag" / name, SERVED_AT)
    assert len(urls) == 2  # linkinator: links=3 (the page itself + 2 unique URLs)
    assert ok in urls and ok.replace("/ok", "/broken") in urls


def test_linkinator_css(shared_dir: Path) -> None:
    urls = _urls(shared_dir / "benchmarks" / "linkinator" / "fixtures" / "css" / "index.html",
                 "http://example.invalid/index.html")
    names = {u.rsplit("/", 1)[-1] for u in urls}
    assert {"bg-inline.jpg", "bg1.png", "bg2.png", "div-bg.jpg", "header-bg.png", "imported.css",
            "imported2.css", "regular-link", "styles.css"} == names


def test_linkinator_metarefresh_srcset_picture_protocols(shared_dir: Path) -> None:
    fixtures = shared_dir / "benchmarks" / "linkinator" / "fixtures"
    refresh = _urls(fixtures / "metarefresh" / "index.html", "http://example.invalid/")
    assert {u.rsplit("/", 1)[-1] for u in refresh} == {"redirected", "delayed", "uppercase"}
    srcset = _urls(fixtures / "srcset" / "index.html", "http://example.invalid/")
    assert srcset == {"http://example.invalid/_site/foo.html", "http://example.invalid/_site/bar.html"}
    picture = _urls(fixtures / "picture" / "index.html", "http://example.invalid/")
    assert {u.rsplit("/", 1)[-1] for u in picture} == {"image.webp", "image.jpeg"}
    assert _urls(fixtures / "protocols" / "index.html", "http://example.invalid/") == set()


def test_lychee_resolve_paths_and_malformed(shared_dir: Path) -> None:
    fixtures = shared_dir / "benchmarks" / "lychee" / "fixtures"
    urls = _urls(fixtures / "resolve_paths" / "index.html", "http://example.invalid/dir/index.html")
    assert urls == {"http://example.invalid/", "http://example.invalid/about",
                    "http://example.invalid/another%20page"}
    malformed = _urls(fixtures / "TEST_HTML5_MALFORMED_LINKS.html", "http://example.invalid/")
    assert "https://example.com/valid" in malformed
    assert "https://example]org/malformed_two" not in malformed
