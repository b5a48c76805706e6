"""Measure crawler.extract against real material in ../shared/benchmarks.

Run: ``.venv/bin/python -m bench.extract_eval`` (from the repo root). Prints the
LinkChecker URL agreement, publish-date accuracy (gov-pages + htmldate-zh), and
analyse() throughput over the gov-pages files.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from crawler.extract import analyse, css_references

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CURDIR = "/lc"
DATADIR = "tests/checker/data"
PORT = "8001"
_PAGE_SUFFIXES = (".html", ".xhtml", ".htm", ".css")
_KEPT_SCHEMES = ("http", "https", "file", "ftp")

# Visible dates stated in gov-pages/SOURCE.md (only pages for which it names one).
GOV_PAGE_DATES = {
    "gne/gzggw_fgw.zj.gov.cn_deqing.html": "2016-11-22",
    "gne/shanxi.gov.cn_article.html": "2019-09-18",
    "gne/cmse.gov.cn_press.html": "2012-06-24",
    "gne/sxmu_jijian_jianchafa.html": "2018-05-17",
    "gne/people.com.cn_declares-gb2312_bytes-utf8.html": "2019-06-15",
    "simonxinw-job/wanzai.gov.cn_tjgb_2015.html": "2017-05-15",
    "simonxinw-job/wanzai.gov.cn_tjsj_2022.html": "2023-05-11",
    "simonxinw-job/yichun.gov.cn_tjgb_2022_city.html": "2023-04-18",
    "simonxinw-job/yichun.gov.cn_tjgb_2022_province.html": "2023-03-31",
    "nfra/merged_cells_page_source.html": "2025-06-03",
    "nfra/page_source_debug.html": "2024-07-12",
}


@dataclass
class Agreement:
    matched: int = 0
    expected: int = 0
    extracted: int = 0
    named: int = 0
    names_matched: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def _fill(value: str) -> str:
    return (
        value.replace("%(curdir)s", CURDIR).replace("%(datadir)s", DATADIR)
        .replace("%(port)d", PORT).replace("%%", "%")
    )


def _same_url(url: str) -> str:
    """Compare URLs by their unquoted text, trying UTF-8 then Latin-1 for the escapes."""
    parts = urlsplit(url)

    def text(value: str) -> str:
        try:
            return unquote(value, errors="strict")
        except UnicodeDecodeError:
            return unquote(value, encoding="latin-1")

    return urlunsplit((parts.scheme, parts.netloc, text(parts.path) or "/", text(parts.query), ""))


def _result_blocks(path: Path) -> list[dict[str, str]]:
    blocks: list[dict[str, str]] = []
    for chunk in path.read_text(encoding="utf-8", errors="replace").split("\n\n"):
        fields: dict[str, str] = {}
        for line in chunk.splitlines():
            key, _, value = line.partition(" ")
            if key in ("url", "name", "baseurl") and key not in fields:
                fields[key] = _fill(value)
            elif line.startswith("cache key "):
                fields["cache key"] = _fill(line[len("cache key "):])
        if "cache key" in fields:
            blocks.append(fields)
    return blocks


def linkchecker_pages(shared: Path = SHARED) -> list[tuple[Path, str, dict[str, str]]]:
    """(page file, page URL, {expected link URL: expected name}) for each HTML fixture with a .result."""
    data = shared / "benchmarks" / "linkchecker" / "data"
    pages = []
    for result in sorted(data.rglob("*.result")):
        page = result.with_name(result.name[: -len(".result")])
        if not page.is_file() or not page.name.endswith(_PAGE_SUFFIXES):
            continue
        blocks = _result_blocks(result)
        if not blocks:
            continue
        own = [b["cache key"] for b in blocks if b["cache key"].endswith("/" + page.name)]
        page_url = (own or [blocks[0]["cache key"]])[0].split("#")[0]
        # Xunwang drops fragments by contract, so compare fragment-free URLs.
        expected: dict[str, str] = {}
        for block in blocks:
            key = block["cache key"].split("#")[0]
            if key.split(":", 1)[0] in _KEPT_SCHEMES and key != page_url:
                expected.setdefault(key, block.get("name", ""))
        pages.append((page, page_url, expected))
    return pages


def linkchecker_agreement(shared: Path = SHARED) -> Agreement:
    """Share of LinkChecker's expected http/file links (and their names) that analyse() extracts."""
    agreement = Agreement()
    for page, page_url, expected in linkchecker_pages(shared):
        body = page.read_bytes()
        refs = css_references(body, page_url) if page.suffix == ".css" else analyse(body, page_url).references
        found = {_same_url(r.url): r.anchor for r in reversed(refs)}
        agreement.extracted += len(found)
        for url, name in sorted(expected.items()):
            agreement.expected += 1
            if _same_url(url) not in found:
                agreement.misses.append(f"{page.name}: {url}")
                continue
            agreement.matched += 1
            if name and not name.startswith(DATADIR):
                agreement.named += 1
                if found[_same_url(url)] == name:
                    agreement.names_matched += 1
                else:
                    agreement.misses.append(f"{page.name}: name {found[_same_url(url)]!r} != {name!r}")
    return agreement


def date_cases(shared: Path = SHARED) -> list[tuple[Path, str, str]]:
    """(file, page URL, gold ISO date) from gov-pages and htmldate-zh."""
    gov = shared / "benchmarks" / "gov-pages"
    cases = [(gov / name, f"http://gov.example/{Path(name).name}", gold)
             for name, gold in GOV_PAGE_DATES.items()]
    zh = shared / "benchmarks" / "date-extraction" / "htmldate-zh"
    for url, entry in json.loads((zh / "gold_dates.json").read_text(encoding="utf-8")).items():
        cases.append((zh / entry["file"], url, entry["date"]))
    return cases


def date_accuracy(shared: Path = SHARED) -> tuple[int, int, list[str]]:
    """(exact matches, cases, misses) of DateInfo.published against the gold dates."""
    correct, misses = 0, []
    cases = date_cases(shared)
    for path, url, gold in cases:
        published = analyse(path.read_bytes(), url, as_of=date(2026, 1, 1)).dates.published
        if published is not None and published.isoformat() == gold:
            correct += 1
        else:
            misses.append(f"{path.name}: got {published}, gold {gold}")
    return correct, len(cases), misses


def throughput(shared: Path = SHARED, rounds: int = 5) -> tuple[float, float, float]:
    """(pages/s by wall clock, pages/s by CPU time, MB/s by CPU) of analyse() over gov-pages.

    CPU time is the steadier figure on a shared machine; wall time includes waiting for a core.
    """
    files = [p.read_bytes() for p in sorted((shared / "benchmarks" / "gov-pages").rglob("*.htm*"))]
    wall, cpu = time.perf_counter(), time.process_time()
    for round_ in range(rounds):
        for body in files:
            analyse(body, f"http://gov.example/{round_}/index.html")  # cold URL cache each round
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pages = len(files) * rounds
    return pages / wall, pages / cpu, sum(map(len, files)) * rounds / cpu / 1e6


def _cms(record: dict[str, object]) -> str:
    """The page's CMS family, as short as a table row allows (from the gold's ``cms``)."""
    cms = str(record.get("cms", "")).lower()
    for key, label in (("epoint", "Epoint"), ("hanweb", "Hanweb"), ("trs", "TRS"),
                       ("集约化", "集约化"), ("scio", "scio legacy")):
        if key in cms:
            return label
    return cms.split(" ")[0] or "?"


def gold_fields(shared: Path = SHARED) -> list[tuple[str, str, str, str, str]]:
    """(page, family, field, gold, got) for every scored field of gov-pages-2/gold.json:
    article title and publish date; column name, entry count, newest entry, page 2, blank
    and needs-render of list pages; newest item and dated entries of homepages."""
    folder = shared / "benchmarks" / "gov-pages-2"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["pages"]
    rows = []
    for name, record in sorted(gold.items()):
        page = analyse((folder / "pages" / name).read_bytes(), record["url"],
                       as_of=date.fromisoformat(record["as_of"]))
        family = _cms(record)
        got: dict[str, object] = {}
        want: dict[str, object] = {}
        if record["kind"] == "article":
            want = {"title": record["title"], "published": record["published"]}
            got = {"title": page.title, "published": page.dates.published and
                   page.dates.published.isoformat()}
        elif record["kind"] == "list":
            column = record["column"]
            info = page.column
            dates = [e.published for e in info.entries if e.published] if info else []
            want = {"column": column["name"], "entries": column["entries"],
                    "newest": column["newest"], "next_page": column["next_page"],
                    "blank": column["blank"], "needs_render": column["needs_render"]}
            got = {"column": info.name if info else None,
                   "entries": (None if info and info.needs_render and not info.entries
                               else len(info.entries) if info else 0),
                   "newest": max(dates).isoformat() if dates else None,
                   "next_page": (info.next_pages[0] if info and info.next_pages else None),
                   "blank": info.blank if info else None,
                   "needs_render": bool(page.needs_render or (info and info.needs_render))}
        elif record["kind"] == "homepage":
            dated = [e.published for e in page.dated_links if e.published]
            want = {"newest": record["homepage"]["newest"],
                    "dated_entries": record["homepage"]["dated_entries"]}
            got = {"newest": max(dated).isoformat() if dated else None,
                   "dated_entries": len(page.dated_links)}
        for field_name, value in want.items():
            if value != "uncertain":
                rows.append((name, family, field_name, str(value), str(got[field_name])))
    return rows


def gold_report() -> None:
    rows = gold_fields()
    right = sum(g == h for *_, g, h in rows)
    print(f"gov-pages-2 gold: {right}/{len(rows)} fields exact ({right / len(rows):.3f})")
    tally: dict[tuple[str, str], list[int]] = {}
    for _, family, field_name, want, got in rows:
        cell = tally.setdefault((field_name, family), [0, 0])
        cell[0] += want == got
        cell[1] += 1
    print("| field | family | exact |\n|---|---|---:|")
    for (field_name, family), (ok, n) in sorted(tally.items()):
        print(f"| {field_name} | {family} | {ok}/{n} |")
    for name, _, field_name, want, got in rows:
        if want != got:
            print(f"  {name} {field_name}: gold {want!r}, got {got!r}")


def main() -> None:
    gold_report()
    links = linkchecker_agreement()
    print(f"linkchecker: {links.matched}/{links.expected} expected links extracted "
          f"(recall {links.recall:.3f}); {links.extracted} URLs extracted in all; "
          f"link names (anchor/alt text) {links.names_matched}/{links.named} equal")
    for miss in links.misses:
        print(f"  missed {miss}")
    correct, total, misses = date_accuracy()
    print(f"publish dates (gov-pages + htmldate-zh): {correct}/{total} exact ({correct / total:.3f})")
    for miss in misses:
        print(f"  {miss}")
    wall, cpu, mb = throughput()
    print(f"analyse() throughput over gov-pages (avg 133 KB/page, one core): {cpu:.0f} pages/s "
          f"by CPU time ({mb:.1f} MB/s), {wall:.0f} pages/s by wall clock")


if __name__ == "__main__":
    main()
