"""The wrong-character detector (``checks.typo``) on real text: accuracy, speed, memory.

    .venv/bin/python -m bench.typo [--shared ../shared] [--threshold T] [--show]

- ``benchmarks/lexicons/ecspell/odw.test`` (500 公文 sentences, 262 with marked wrong
  characters) and ``law.test`` (500 legal sentences, 255 with errors): a sentence is found
  when a hit covers one of its marked characters; it is a false alarm when it has a hit and
  none covers a marked character. Precision and recall are per sentence; the suggestion is
  exact when applying it gives the correct sentence's characters over the hit's span.
- ``benchmarks/gov-pages/`` and ``gov-pages-2/``: the title and main text
  ``crawler.extract.analyse`` keeps of every page (what a patrol stores and checks), then
  again with footer and navigation; every hit is listed and counted as a false flag per
  10,000 Han characters (the pages were published as they are).
  The same pages once more with each site's own vocabulary (``SiteVocabulary`` built from
  that site's pages in the sample, ``min_pages=2`` since the sample holds 1-4 pages a site),
  as a patrol runs it with the whole site; and the ``wording-suspect`` context rules.
- Speed: CPU seconds of ``find`` over the page texts and the test sentences, after loading.
- Memory and start-up: ``TypoDetector.load`` in a fresh process, RSS before and after.

Missing benchmark folders are skipped with a note. The threshold is the shipped default
unless ``--threshold`` is given; the curve over other thresholds is printed for reference.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from checks.typo import DEFAULT_THRESHOLD, SiteVocabulary, TypoDetector, TypoHit
from checks.typo.confusions import find_confusions

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 27)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CURVE = (2.0, 3.0, 4.0, 5.0, 6.0, 7.0)


@dataclass
class Sentence:
    wrong: str
    right: str

    @property
    def marked(self) -> set[int]:
        return {i for i, (a, b) in enumerate(zip(self.wrong, self.right, strict=True)) if a != b}


def read_test(path: Path) -> list[Sentence]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        _, wrong, right = line.split("\t")
        if len(wrong) == len(right):
            out.append(Sentence(wrong, right))
    return out


def score_test(rows: list[Sentence], hits: list[list[TypoHit]], threshold: float) -> dict[str, float]:
    flagged = found = true_hits = exact = 0
    for row, found_hits in zip(rows, hits, strict=True):
        kept = [h for h in found_hits if h.score >= threshold]
        marked = row.marked
        good = [h for h in kept if marked & set(range(h.start, h.end))]
        flagged += bool(kept)
        found += bool(good)
        true_hits += len(good)
        exact += sum(row.right[h.start:h.end] == h.suggestion for h in good)
    errors = sum(1 for r in rows if r.marked)
    return {"sentences": len(rows), "with errors": errors, "flagged": flagged, "found": found,
            "precision": found / flagged if flagged else 1.0, "recall": found / errors if errors else 0.0,
            "exact": exact / true_hits if true_hits else 0.0}


def page_texts(shared: Path, everything: bool = False) -> list[tuple[str, str]]:
    """(name, text) of every saved page: title and main text, which is what a patrol stores
    and checks (``crawler.spiders.site``), or with ``everything`` also footer and navigation."""
    from crawler.extract import analyse

    out = []
    for folder in ("gov-pages", "gov-pages-2"):
        for path in sorted((shared / "benchmarks" / folder).rglob("*.html")):
            page = analyse(path.read_bytes(), f"http://bench.invalid/{path.name}", as_of=AS_OF)
            parts = (page.title, page.text, page.footer, page.boilerplate) if everything else (
                page.title, page.text)
            out.append((f"{folder}/{path.relative_to(shared / 'benchmarks' / folder)}",
                        "\n".join(p for p in parts if p)))
    return out


def memory_and_load() -> str:
    """Load time and RSS added, measured in a fresh interpreter (nothing else imported)."""
    probe = (
        "import time,re\n"
        "def rss():\n"
        "    return int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read()).group(1))/1024\n"
        "import numpy\nfrom checks.typo import TypoDetector\n"
        "before=rss(); t=time.perf_counter(); d=TypoDetector.load()\n"
        "print(f'{time.perf_counter()-t:.2f} s wall, {time.process_time():.2f} s CPU for the whole process;"
        " RSS {before:.0f} MB before load, {rss():.0f} MB after: {rss()-before:.0f} MB added')\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    return result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--show", action="store_true", help="print every hit on the tests")
    parser.add_argument("--held-out", type=Path,
                        help="folder of held-out official text (scripts/build_typo_model.py "
                             "--held-out): the threshold rule is applied there")
    args = parser.parse_args()
    print(f"load: {memory_and_load()}\n")
    detector = TypoDetector.load(threshold=min(CURVE + (args.threshold,)))
    if args.held_out:
        report_held_out(detector, args.held_out)
    texts: list[str] = []
    cpu = 0.0
    folder = args.shared / "benchmarks" / "lexicons" / "ecspell"
    for name in ("odw.test", "law.test"):
        if not (folder / name).exists():
            print(f"{name}: not found under {folder}, skipped\n")
            continue
        rows = read_test(folder / name)
        start = time.process_time()
        hits = [detector.find(r.wrong) for r in rows]
        cpu += time.process_time() - start
        texts += [r.wrong for r in rows]
        report_test(name, rows, hits, args.threshold, args.show)
    pages = page_texts(args.shared) if (args.shared / "benchmarks" / "gov-pages").is_dir() else []
    start = time.process_time()
    page_hits = [detector.find(text) for _, text in pages]
    cpu += time.process_time() - start
    texts += [t for _, t in pages]
    report_pages(pages, page_hits, args.threshold)
    if pages:
        whole = page_texts(args.shared, everything=True)
        report_pages(whole, [detector.find(text) for _, text in whole], args.threshold,
                     "with footer and navigation as well")
        report_site_vocabulary(detector, pages, args.threshold)
        report_confusions(pages, [r for name in ("odw.test", "law.test")
                                  if (folder / name).exists() for r in read_test(folder / name)])
    chars = sum(map(len, texts))
    print(f"\nspeed: {chars} characters ({sum(len(HAN.findall(t)) for t in texts)} Han) in "
          f"{cpu:.2f} CPU s = {chars / cpu:,.0f} characters/s (one core, after loading)")


def report_test(name: str, rows: list[Sentence], hits: list[list[TypoHit]], threshold: float,
                show: bool) -> None:
    at = score_test(rows, hits, threshold)
    print(f"## {name} at threshold {threshold}\n")
    print(f"sentences {at['sentences']:.0f}, with errors {at['with errors']:.0f}, flagged "
          f"{at['flagged']:.0f}, found {at['found']:.0f}: precision {at['precision']:.3f}, "
          f"recall {at['recall']:.3f}, suggestion exact {at['exact']:.3f}\n")
    print("| threshold | precision | recall | suggestion exact |\n|---:|---:|---:|---:|")
    for t in CURVE:
        c = score_test(rows, hits, t)
        print(f"| {t} | {c['precision']:.3f} | {c['recall']:.3f} | {c['exact']:.3f} |")
    print()
    if show:
        for row, found in zip(rows, hits, strict=True):
            for h in found:
                if h.score >= threshold:
                    ok = "TRUE" if row.marked & set(range(h.start, h.end)) else "false"
                    print(f"- {ok} {h.wrong}→{h.suggestion} ({h.score}, {h.kind}; right: "
                          f"{row.right[h.start:h.end]}) … {row.wrong[max(0, h.start - 8):h.end + 8]}")


def report_pages(pages: list[tuple[str, str]], hits: list[list[TypoHit]], threshold: float,
                 what: str = "title and main text") -> None:
    if not pages:
        print("gov-pages: not found, skipped")
        return
    han = sum(len(HAN.findall(t)) for _, t in pages)
    print(f"## real pages, {what} ({len(pages)} pages of gov-pages/ and gov-pages-2/, "
          f"{han} Han characters)\n")
    for t in sorted(set(CURVE + (threshold,))):
        n = sum(1 for found in hits for h in found if h.score >= t)
        print(f"- threshold {t}: {n} flags = {n * 1e4 / han:.2f} per 10,000 Han characters")
    print()
    for (name, text), found in zip(pages, hits, strict=True):
        for h in found:
            if h.score >= threshold:
                print(f"- {name}: {h.wrong}→{h.suggestion} ({h.score}, {h.kind}) … "
                      f"{text[max(0, h.start - 10):h.end + 10].replace(chr(10), ' ')}")


GRID = tuple(2.5 + 0.25 * i for i in range(11))


def report_held_out(detector: TypoDetector, folder: Path) -> None:
    """Flags per 10,000 Han characters on official text the model never saw; the default
    threshold is the lowest of GRID at which every file has at most one."""
    print("## held-out official text (choosing the threshold)\n")
    print("| file | Han characters | " + " | ".join(f"{t:g}" for t in GRID) + " |")
    print("|---|---:|" + "---:|" * len(GRID))
    worst = [0.0] * len(GRID)
    for path in sorted(folder.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        han = sum(len(HAN.findall(line)) for line in lines)
        scores = [h.score for line in lines for h in detector.find(line)]
        rates = [sum(s >= t for s in scores) * 1e4 / han for t in GRID]
        worst = [max(w, r) for w, r in zip(worst, rates, strict=True)]
        print(f"| {path.name} | {han} | " + " | ".join(f"{r:.2f}" for r in rates) + " |")
    chosen = next((t for t, w in zip(GRID, worst, strict=True) if w <= 1.0), None)
    print(f"\nlowest threshold with <= 1 flag per 10,000 Han characters in every file: {chosen}"
          f" (shipped default: {DEFAULT_THRESHOLD})\n")


def site_of(name: str) -> str:
    """The site a saved page came from: its host-like file-name prefix."""
    stem = Path(name).name
    return re.split(r"_(?=[a-z])|-(?=[a-z])", stem, maxsplit=1)[0]


def report_site_vocabulary(detector: TypoDetector, pages: list[tuple[str, str]],
                           threshold: float) -> None:
    sites: dict[str, list[str]] = {}
    for name, text in pages:
        sites.setdefault(site_of(name), []).append(text)
    vocabularies = {site: SiteVocabulary.build(texts, min_pages=2) for site, texts in sites.items()}
    han = sum(len(HAN.findall(t)) for _, t in pages)
    kept = [h for name, text in pages for h in detector.find(text, vocabularies[site_of(name)])
            if h.score >= threshold]
    print(f"\nwith each site's vocabulary ({len(sites)} sites): {len(kept)} flags = "
          f"{len(kept) * 1e4 / han:.2f} per 10,000 Han characters at threshold {threshold}")


def report_confusions(pages: list[tuple[str, str]], tests: list[Sentence]) -> None:
    print("\n## wording-suspect context rules (checks/typo/confusions.py)\n")
    on_pages = [(name, h, text) for name, text in pages for h in find_confusions(text)]
    print(f"- real pages: {len(on_pages)} hits")
    for name, h, text in on_pages:
        print(f"  - {name}: {h.rule} {h.wrong}→{h.suggestion} … {text[max(0, h.start - 10):h.end + 10]}")
    right = sum(1 for r in tests for h in find_confusions(r.right))
    wrong = [(r, h) for r in tests for h in find_confusions(r.wrong)]
    true = sum(1 for r, h in wrong if r.right[h.start:h.end] == h.suggestion)
    print(f"- odw.test + law.test: {len(wrong)} hits on the wrong sentences ({true} right), "
          f"{right} on the correct sentences")


if __name__ == "__main__":
    main()
