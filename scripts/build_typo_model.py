"""Build the data files of the wrong-character detector (``checks/typo/data/``).

    .venv/bin/pip install pypinyin==0.55.0
    .venv/bin/pip install --no-deps jieba==0.42.1 pycorrector==1.1.4 jionlp==1.5.31 char-similar==0.0.2
    PYTHONPATH=$PWD .venv/bin/python scripts/build_typo_model.py --laws /path/to/LawRefBook-Laws \
        --reports government_work_reports.jsonl [--shared ../shared] [--out checks/typo/data] \
        [--held-out /tmp/held-out --policies ge_policy_raw20190217.sql]

These packages are needed to build only, never at run time (the detector needs numpy).

Inputs (none is shipped as it is; see checks/typo/data/SOURCE.md):

- ``--laws``: a checkout of the LawRefBook/Laws repository (Markdown text of Chinese laws,
  administrative regulations, judicial interpretations, local regulations and court
  cases from the national law database). These are official documents, excluded from
  copyright by 著作权法 第五条. The character trigram model is trained on them, less one
  file in 20 held out (``--held-out`` writes those lines out, to choose the threshold).
- ``--reports``: ``government_work_reports.jsonl`` of aldohemsn/chinese-political-corpora
  (the State Council's 72 government work reports 1954-2025 from Wikisource; official
  documents, same terms), converted to simplified characters with jionlp's table.
- ``--policies`` (held out, never trained on): ``db/ge_policy_raw20190217.sql`` of
  ZhouYNF/platform-1, 60 State Council policy documents crawled from gov.cn.
- installed packages, read as data only (never imported): jieba's ``dict.txt`` (MIT; word
  frequencies and proper-noun tags), pycorrector's ``same_pinyin.txt``/``same_stroke.txt``
  (Apache-2.0; confusable characters; installed ``--no-deps``: importing it pulls in
  torch), char-similar's decompositions and stroke orders (MIT; look-alike characters),
  jionlp's ``word_distribution`` and ``china_location`` (Apache-2.0; modern word counts,
  place names), and pypinyin (MIT; readings).
- ``--shared``: only to EXCLUDE from training every corpus line that shares a
  10-character span with a sentence of the ecspell test sets, so the benchmark does not
  measure text the model was trained on. Nothing of it is written out.

Outputs: ``lm.npz`` (interpolated Kneser-Ney character trigram model, log10, trained on
the laws plus every lexicon word as a run of its own), ``chars.tsv.gz`` (readings and
confusable characters), ``words.tsv.gz`` (1-4 character words with frequency and reading),
``names.txt.gz`` (person, place and organisation names with their kind).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import io
import json
import re
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from checks.typo.model import BITS, BOW, EOW, FIRST, OPENERS, UNK, edges

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
WINDOW = 10  # decontamination span
TRI_MIN = 1  # every trigram is kept: pruning singletons cost recall at the same false-flag rate


def site_packages() -> Path:
    """Where the data packages are installed (found without importing any of them)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        sys.exit("jieba is not installed: pip install --no-deps jieba (see the docstring)")
    return Path(spec.origin).resolve().parent.parent


def held_out(path: Path) -> bool:
    """One file in 20 (by a stable hash of its name) is kept out of training, to choose the
    detector's threshold on official text the model has not seen."""
    return zlib.crc32(path.name.encode()) % 20 == 0


def law_texts(folder: Path, keep_out: bool = False) -> Iterator[str]:
    """Body lines of the Markdown files (headings, metadata comments and links dropped):
    the training files, or with ``keep_out`` the held-out ones."""
    for path in sorted(folder.rglob("*.md")):
        if path.name.startswith("_") or "模版" in path.name or held_out(path) != keep_out:
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if not line or line.startswith(("#", "<!--", "[", "---", "|")):
                continue
            yield line


def report_texts(path: Path, sp: Path) -> Iterator[str]:
    """Lines of the State Council's government work reports (JSON lines with ``content``),
    in simplified characters (the older reports are kept in traditional ones)."""
    table: dict[int, str] = {}
    for line in (sp / "jionlp" / "dictionary" / "tra2sim_char.txt").read_text("utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 2 and len(cells[0]) == 1 and len(cells[1]) == 1:
            table[ord(cells[0])] = cells[1]
    table[ord("鍾")] = "钟"  # jionlp maps it to the rarer 锺
    for row in path.read_text(encoding="utf-8").splitlines():
        for line in json.loads(row)["content"].translate(table).splitlines():
            if line.strip():
                yield line.strip()


def policy_texts(path: Path) -> list[str]:
    """Paragraphs of the State Council policy documents in a SQL dump of gov.cn pages (60
    documents of 2018-2019): never trained on, only used to choose the threshold."""
    import html

    seen: set[str] = set()
    out = []
    for row in re.split(r"(?i)insert into", path.read_text(encoding="utf-8"))[1:]:
        text = html.unescape(re.sub(r"<[^>]+>", "\n", row)).replace("\\n", "\n")
        for line in text.splitlines():
            line = line.strip()
            if len(HAN.findall(line)) >= 1 and sum(map(len, HAN.findall(line))) >= 8 and line not in seen:
                seen.add(line)
                out.append(line)
    return out


def test_windows(shared: Path) -> set[str]:
    """Every 10-character Han span of the ecspell test sentences (wrong and correct)."""
    spans: set[str] = set()
    folder = shared / "benchmarks" / "lexicons" / "ecspell"
    for name in ("odw.test", "law.test"):
        path = folder / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in line.split("\t")[1:]:
                for run in HAN.findall(sentence):
                    spans.update(run[i:i + WINDOW] for i in range(len(run) - WINDOW + 1))
    return spans


Run = tuple[str, int, int]  # Han run, opening token, closing token


def training_runs(lines: Iterable[str], banned: set[str]) -> tuple[list[Run], int]:
    """Han runs of the lines; a line touching a test sentence is dropped whole."""
    runs: list[Run] = []
    dropped = 0
    for line in lines:
        found = [(m.group(), *edges(line, m.start(), m.end())) for m in HAN.finditer(line)]
        if banned and any(
            run[i:i + WINDOW] in banned for run, _, _ in found for i in range(len(run) - WINDOW + 1)
        ):
            dropped += 1
            continue
        runs.extend(found)
    return runs, dropped


def encode(runs: list[Run], index: dict[str, int]) -> np.ndarray:
    """[BOS open c1 .. cn close] per run, concatenated (unknown characters are UNK)."""
    out: list[int] = []
    for run, opener, closer in runs:
        out += (BOW if opener == BOW else OPENERS[0], opener)
        out += [index.get(ch, UNK) for ch in run]
        out.append(closer)
    return np.asarray(out, dtype=np.int64)


def word_runs(words: dict[str, int]) -> list[Run]:
    """Each lexicon word of 2-4 characters as 1 + log10(frequency) runs of its own, so that
    words of general modern writing the law corpus lacks are known to the model."""
    out: list[Run] = []
    for word, freq in words.items():
        if len(word) >= 2:
            out += [(word, BOW, EOW)] * (1 + int(np.log10(max(freq, 1))))
    return out


def discount(counts: np.ndarray) -> float:
    """Ney's estimate D = n1 / (n1 + 2 n2)."""
    n1, n2 = int(np.sum(counts == 1)), int(np.sum(counts == 2))
    return n1 / (n1 + 2 * n2) if n1 + n2 else 0.5


def group_sum(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique keys with the sum of values and the number of entries under each."""
    uniq, inverse, types = np.unique(keys, return_inverse=True, return_counts=True)
    return uniq, np.bincount(inverse, weights=values).astype(np.float64), types


def kneser_ney(ids: np.ndarray, size: int) -> dict[str, np.ndarray]:
    """Interpolated Kneser-Ney trigram model, stored ARPA-style (log10 prob + back-off)."""
    mask = (1 << BITS) - 1
    ends = np.nonzero(~np.isin(ids[2:], OPENERS))[0] + 2
    a, b, c = ids[ends - 2], ids[ends - 1], ids[ends]
    tri, c3 = np.unique((a << (2 * BITS)) | (b << BITS) | c, return_counts=True)
    ab, bc = tri >> BITS, tri & ((1 << (2 * BITS)) - 1)
    d3 = discount(c3)
    # Level 2 counts are continuation counts: how many different left characters precede bc.
    bigrams, n2 = np.unique(bc, return_counts=True)
    d2 = discount(n2)
    b_of, c_of = bigrams >> BITS, bigrams & mask
    s_b = np.bincount(b_of, weights=n2, minlength=size)
    m_b = np.bincount(b_of, minlength=size).astype(np.float64)
    n1 = np.bincount(c_of, minlength=size).astype(np.float64)
    p1 = (n1 + 0.5) / (n1.sum() + 0.5 * size)
    gamma1 = np.where(s_b > 0, d2 * m_b / np.maximum(s_b, 1), 1.0)
    p2 = np.maximum(n2 - d2, 0) / np.maximum(s_b[b_of], 1) + gamma1[b_of] * p1[c_of]
    contexts, c_ab, n_ab = group_sum(ab, c3.astype(np.float64))
    gamma2 = d3 * n_ab / c_ab
    keep = c3 >= TRI_MIN
    pos_ab = np.searchsorted(contexts, ab[keep])
    pos_bc = np.searchsorted(bigrams, bc[keep])
    p3 = (c3[keep] - d3) / c_ab[pos_ab] + gamma2[pos_ab] * p2[pos_bc]
    strong = c_ab >= TRI_MIN  # a context seen once backs off by about D3: left at 1
    print(f"trigrams {len(tri)} kept {int(keep.sum())}; bigrams {len(bigrams)}; "
          f"contexts {int(strong.sum())}; D3={d3:.3f} D2={d2:.3f}", file=sys.stderr)
    return {
        "tri_keys": tri[keep].astype(np.uint64), "tri_lp": np.log10(p3).astype(np.float16),
        "ctx_keys": contexts[strong].astype(np.uint32),
        "ctx_bow": np.log10(gamma2[strong]).astype(np.float16),
        "bi_keys": bigrams.astype(np.uint32), "bi_lp": np.log10(p2).astype(np.float16),
        "uni_bow": np.log10(gamma1).astype(np.float16), "uni_lp": np.log10(p1).astype(np.float16),
    }


def read_jieba(sp: Path) -> dict[str, tuple[int, str]]:
    """jieba's dict.txt: word -> (frequency, part-of-speech tag)."""
    out: dict[str, tuple[int, str]] = {}
    for line in (sp / "jieba" / "dict.txt").read_text(encoding="utf-8").splitlines():
        cells = line.split()
        if len(cells) >= 2 and cells[1].isdigit():
            out[cells[0]] = (int(cells[1]), cells[2] if len(cells) > 2 else "")
    return out


def read_jionlp_words(sp: Path) -> dict[str, int]:
    """jionlp's modern word distribution (token -> count)."""
    with zipfile.ZipFile(sp / "jionlp" / "dictionary" / "word_distribution.zip") as archive:
        text = archive.read("word_distribution.json").decode("utf-8")
    out: dict[str, int] = {}
    for line in text.splitlines():
        word, count = json.loads(line)
        if HAN.fullmatch(word):
            out[word] = int(count)
    return out


def places(sp: Path) -> set[str]:
    """Province to township names of jionlp's gazetteer, with and without the unit suffix."""
    with zipfile.ZipFile(sp / "jionlp" / "dictionary" / "china_location.zip") as archive:
        text = archive.read("china_location.txt").decode("utf-8")
    out: set[str] = set()
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 3:  # villages and communities: the suffix guard covers them
            continue
        for cell in line.strip().split("\t"):
            if HAN.fullmatch(cell) and len(cell) >= 2:
                out.add(cell)
                short = re.sub(r"(?:特别行政区|自治区|自治州|自治县|街道|地区|省|市|县|区|镇|乡|旗|盟)$",
                               "", cell)
                if len(short) >= 2:
                    out.add(short)
    return out


def words_table(jieba: dict[str, tuple[int, str]], modern: dict[str, int]) -> dict[str, int]:
    """1-4 character words with one frequency: jieba's, else jionlp's scaled to jieba's."""
    scale = sum(f for f, _ in jieba.values()) / max(1, sum(modern.values()))
    out = {w: f for w, (f, _) in jieba.items() if len(w) <= 4 and HAN.fullmatch(w)}
    for word, count in modern.items():
        if len(word) <= 4 and word not in out and count >= 20:
            out[word] = max(1, round(count * scale))
    return out


def readings(chars: Iterable[str], words: dict[str, int], spoken: dict[str, str],
             share: float = 0.05) -> dict[str, list[str]]:
    """The readings a character really takes: those pypinyin gives it inside lexicon words
    (phrase-aware) in at least ``share`` of its frequency-weighted uses. pypinyin's full
    list of heteronyms holds rare and classical readings (印 yi, 参 shen) that would make
    unrelated words sound alike."""
    from pypinyin import Style, pinyin

    uses: dict[str, Counter[str]] = {}
    for word, freq in words.items():
        for ch, sound in zip(word, spoken[word].split(" "), strict=False):
            uses.setdefault(ch, Counter())[sound] += freq
    out = {}
    for ch in chars:
        seen = uses.get(ch)
        if seen:
            total = sum(seen.values())
            out[ch] = [r for r, n in seen.most_common() if n >= share * total]
            continue
        got = pinyin(ch, style=Style.NORMAL, heteronym=False, errors="ignore")
        if got and got[0]:
            out[ch] = got[0][:1]
    return out


def word_readings(words: Iterable[str]) -> dict[str, str]:
    from pypinyin import lazy_pinyin

    return {w: " ".join(lazy_pinyin(w)) for w in words}


def edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def shape_neighbours(sp: Path, known: set[str], limit: int = 12) -> dict[str, set[str]]:
    """Characters that look alike, from char-similar's decompositions (MIT).

    Two characters look alike when they have the same structure and the same components
    but one (休/体, 常/堂) and their stroke orders are close, or when their stroke orders
    differ by one stroke (己/已).
    """
    data = sp / "char_similar" / "data"
    parts = json.loads((data / "char_stroke.dict").read_text("utf-8"))
    struct = json.loads((data / "char_struct.dict").read_text("utf-8"))
    order = json.loads((data / "char_order.dict").read_text("utf-8"))
    groups: dict[tuple[object, ...], list[str]] = {}
    for ch in sorted(known):
        comps = parts.get(ch)
        if comps and len(comps) >= 2:
            for i in range(len(comps)):
                key = (struct.get(ch), i, *comps[:i], "*", *comps[i + 1:])
                groups.setdefault(key, []).append(ch)
        seq = order.get(ch, "")
        for i in range(len(seq)):
            groups.setdefault(("order", seq[:i] + seq[i + 1:]), []).append(ch)
        if seq:
            groups.setdefault(("order", seq), []).append(ch)
    near: dict[str, dict[str, int]] = {}
    for key, members in groups.items():
        if len(members) > 40:  # a component shared by a whole family is no evidence
            continue
        bound = 1 if key[0] == "order" else 3
        for a in members:
            for b in members:
                if a != b and order.get(a) and order.get(b):
                    d = edit_distance(order[a], order[b])
                    if d <= bound:
                        near.setdefault(a, {})[b] = d
    return {a: set(sorted(bs, key=lambda b: (bs[b], b))[:limit]) for a, bs in near.items()}


FUZZY = ((r"^zh", "z"), (r"^ch", "c"), (r"^sh", "s"), (r"^l", "n"), (r"ing$", "in"),
         (r"eng$", "en"), (r"ang$", "an"), (r"v", "u"))


def fuzzy(reading: str) -> str:
    """The reading as a pinyin input method's fuzzy mode hears it (zh=z, in=ing, l=n ...)."""
    for pattern, repl in FUZZY:
        reading = re.sub(pattern, repl, reading)
    return reading


def sound_alikes(known: set[str], sounds: dict[str, list[str]], weight: Counter[str],
                 same: int = 16, near: int = 8) -> dict[str, tuple[set[str], set[str]]]:
    """The commonest characters sharing a reading, and sharing it under fuzzy pinyin."""
    exact: dict[str, list[str]] = {}
    loose: dict[str, list[str]] = {}
    for ch in sorted(known, key=lambda c: (-weight[c], c)):
        for reading in sounds.get(ch, []):
            exact.setdefault(reading, []).append(ch)
            loose.setdefault(fuzzy(reading), []).append(ch)
    out = {}
    for ch in known:
        mine = sounds.get(ch, [])
        alike = {c for r in mine for c in exact[r][:same] if c != ch}
        fuzzy_alike = {c for r in mine for c in loose[fuzzy(r)][:near] if c != ch} - alike
        out[ch] = (alike, fuzzy_alike)
    return out


def confusables(sp: Path, known: set[str], alike: dict[str, tuple[set[str], set[str]]],
                ) -> dict[str, tuple[str, str, str]]:
    """char -> (same sound, similar sound, similar shape), all in ``known``."""
    data = sp / "pycorrector" / "data"
    out: dict[str, list[set[str]]] = {}
    for line in (data / "same_pinyin.txt").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if line.startswith("#") or len(cells) < 2:
            continue
        slot = out.setdefault(cells[0], [set(), set(), set()])
        slot[0].update(cells[1] if len(cells) > 1 else "")
        slot[1].update(cells[2] if len(cells) > 2 else "")
    for line in (data / "same_stroke.txt").read_text(encoding="utf-8").splitlines():
        group = [c for c in line.split("\t") if len(c) == 1]
        for ch in group:
            out.setdefault(ch, [set(), set(), set()])[2].update(g for g in group if g != ch)
    for ch, similar in shape_neighbours(sp, known).items():
        out.setdefault(ch, [set(), set(), set()])[2].update(similar)
    for ch, (same, near) in alike.items():
        slot = out.setdefault(ch, [set(), set(), set()])
        slot[0].update(same)
        slot[1].update(near)
    table = {}
    for ch, (tone, other, shape) in out.items():
        cells = ["".join(sorted(s & known - {ch})) for s in (tone, other - tone, shape)]
        if ch in known and any(cells):
            table[ch] = (cells[0], cells[1], cells[2])
    return table


def name_lines(jieba: dict[str, tuple[int, str]], gazetteer: set[str]) -> list[str]:
    """``name<TAB>kind``: p(erson) and o(rganisation) from jieba's tags, l(ocation) from
    both; a string jieba also knows as a common (non-noun) word is no name."""
    common = {w for w, (_, tag) in jieba.items() if not tag.startswith("n")}
    kinds = {"nr": "p", "nrfg": "p", "nrt": "p", "ns": "l", "nt": "o"}
    out = {w: kinds[tag] for w, (_, tag) in jieba.items() if tag in kinds}
    for place in gazetteer:
        out.setdefault(place, "l")
    return sorted(f"{w}\t{k}" for w, k in out.items() if w not in common and HAN.fullmatch(w))


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """``np.savez_compressed`` with fixed entry dates, so a rebuild gives the same bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in sorted(arrays.items()):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def write_lines(path: Path, lines: Iterable[str]) -> None:
    # mtime=0: the same inputs give the same bytes, so a rebuild shows no spurious diff.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laws", type=Path, required=True)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "checks" / "typo" / "data")
    parser.add_argument("--reports", type=Path,
                        help="government_work_reports.jsonl of aldohemsn/chinese-political-corpora")
    parser.add_argument("--reports-weight", type=int, default=1,
                        help="times each report line is counted (they are few, and general)")
    parser.add_argument("--policies", type=Path,
                        help="db/ge_policy_raw20190217.sql of ZhouYNF/platform-1 (held out only)")
    parser.add_argument("--held-out", type=Path,
                        help="a folder: write laws.txt (held-out law files) and policies.txt there")
    return parser.parse_args()


def write_held_out(args: argparse.Namespace) -> None:
    args.held_out.mkdir(parents=True, exist_ok=True)
    (args.held_out / "laws.txt").write_text(
        "\n".join(law_texts(args.laws, keep_out=True)) + "\n", "utf-8")
    if args.policies:
        (args.held_out / "policies.txt").write_text(
            "\n".join(policy_texts(args.policies)) + "\n", "utf-8")


def corpus(args: argparse.Namespace, sp: Path) -> list[Run]:
    """The training runs: the laws, and the reports ``--reports-weight`` times."""
    banned = test_windows(args.shared)
    runs, dropped = training_runs(law_texts(args.laws), banned)
    if args.reports:
        more, also = training_runs(report_texts(args.reports, sp), banned)
        runs += more * args.reports_weight
        dropped += also
    print(f"training: {len(runs)} runs, {sum(len(r) for r, _, _ in runs)} chars; "
          f"{dropped} lines dropped as near test sentences", file=sys.stderr)
    return runs


def char_weights(words: dict[str, int]) -> Counter[str]:
    """How much each character is used, summed over the frequencies of its words."""
    weight: Counter[str] = Counter()
    for word, freq in words.items():
        for ch in word:
            weight[ch] += freq
    return weight


def main() -> None:
    args = arguments()
    if args.held_out:
        write_held_out(args)
    sp = site_packages()
    runs = corpus(args, sp)
    counts = Counter("".join(r for r, _, _ in runs))
    jieba, modern = read_jieba(sp), read_jionlp_words(sp)
    common = set((sp / "pycorrector" / "data" / "common_char_set.txt").read_text("utf-8").split())
    known = {c for c, n in counts.items() if n >= 20} | common
    # Words of characters nobody writes in modern simplified text (引發) only add noise.
    words = {w: f for w, f in words_table(jieba, modern).items() if set(w) <= known}
    spoken = word_readings(words)
    sounds = readings(known | set("".join(words)), words, spoken)
    table = confusables(sp, known, sound_alikes(known, sounds, char_weights(words)))
    alphabet = sorted(set(counts) | set("".join(words)) | set("".join(
        "".join(cells) for cells in table.values())) | set(table), key=lambda c: (-counts[c], c))
    assert len(alphabet) + FIRST < 1 << BITS, len(alphabet)
    index = {ch: i + FIRST for i, ch in enumerate(alphabet)}
    model = kneser_ney(encode(runs + word_runs(words), index), len(alphabet) + FIRST)
    model["chars"] = np.asarray([ord(c) for c in alphabet], dtype=np.uint32)
    model["counts"] = np.asarray([counts[c] for c in alphabet], dtype=np.uint32)
    args.out.mkdir(parents=True, exist_ok=True)
    save_npz(args.out / "lm.npz", model)
    sounds.update(readings(set(alphabet) - set(sounds), words, spoken))
    write_lines(args.out / "chars.tsv.gz", (
        "\t".join((ch, ",".join(sounds.get(ch, [])), *table.get(ch, ("", "", "")),
                   "1" if ch in common else "0"))
        for ch in alphabet))
    write_lines(args.out / "words.tsv.gz", (f"{w}\t{f}\t{spoken[w]}" for w, f in sorted(words.items())))
    write_lines(args.out / "names.txt.gz", name_lines(jieba, places(sp)))
    for path in sorted(args.out.iterdir()):
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
