"""The wrong-character detector: candidates scored by the language model and the lexicon.

    detector = TypoDetector.load()                 # once per process (about 1-2 s)
    hits = detector.find(text, vocabulary=None)    # list[TypoHit], offsets into text

For every Han run of at least ``MIN_RUN`` characters (or a shorter one inside a sentence;
alone between spaces or line breaks it is a menu item or a table cell), each unprotected
common character
whose trigrams are not all attested is a suspect; each of its confusable characters, and
each same-sounding lexicon word over a 2-4 character span, is a candidate. A candidate's
score is how much more likely the text becomes (log10, character trigram model plus
``Weights.word`` x a word-unigram segmentation of the neighbourhood) minus a prior cost of
the kind of slip. The best candidates at or above ``threshold`` are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from checks.typo import guards
from checks.typo.candidates import NEAR, SHAPE, SOUND, WORD, CharTable, homophone_words
from checks.typo.model import FIRST, OPENERS, CharModel, Ids, edges
from checks.typo.vocabulary import HAN_RUN, SiteVocabulary, Words, segment

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_THRESHOLD = 3.25  # <= 1 flag per 10,000 Han characters on held-out official text
MIN_RUN = 4  # shorter Han runs are checked only inside a sentence


@dataclass(frozen=True)
class Weights:
    """The costs a candidate's score pays, in log10 units (chosen on held-out text, see
    bench/RESULTS-wording.md)."""

    word: float = 0.5  # weight of the word-segmentation gain beside the character model
    sound: float = 1.0  # prior cost of a slip to a same-sounding character
    near: float = 2.5  # ... to a similar-sounding one
    shape: float = 2.5  # ... to a similar-looking one
    homophone: float = 1.5  # ... to a same-sounding word over 2-4 characters
    # per character a rewrite changes beyond the first: two slips in a row are rarer than
    # one, and a rewritten name or new term (卫技 -> 危及) looks like them
    extra_char: float = 2.0
    lone_char: float = 2.0  # the correction is no word of two characters or more (或 -> 和)
    real_word: float = 1.0  # the original already reads as a word there (音像, 机智)

    def prior(self, kind: str) -> float:
        return {SOUND: self.sound, NEAR: self.near, SHAPE: self.shape, WORD: self.homophone}[kind]


WIDTH = 4  # longest span a candidate replaces
MAX_CHANGED = 2  # most characters one candidate changes


@dataclass(frozen=True)
class TypoHit:
    """One likely slip: ``text[start:end] == wrong`` should read ``suggestion``.

    The span is the corrected word (机智 -> 机制), not only the changed character. ``score``
    is how many times more likely (log10) the corrected text is, after the prior costs;
    ``kind`` says what slip it looks like: sound (same reading), near (similar reading),
    shape (look-alike) or word (a same-sounding word over 2-4 characters).
    """

    start: int
    end: int
    wrong: str
    suggestion: str
    score: float
    kind: str
    source: str = "model"


# What separates menu items and table cells (as opposed to the punctuation of a sentence).
_CELL_BREAK = re.compile(r"[\s\u3000|｜/·•>»]+")
SENTENCE = 8  # Han characters a piece of text needs to be read as a sentence
_SENTENCE_MARK = re.compile(r"[，。；：！？、,;:!?]")


def _checked_runs(text: str) -> list[tuple[int, str]]:
    """Han runs of at least MIN_RUN characters, and shorter ones inside a sentence
    (党委书记、懂事长; 送审镐）): a short run alone between spaces or line breaks is a menu
    item or a table cell, which no language model can judge."""
    out = []
    position = 0
    whole = _CELL_BREAK.search(text.strip()) is None
    for cell in _CELL_BREAK.finditer(text + " "):
        chunk = text[position:cell.start()]
        long_enough = sum(len(r) for r in HAN_RUN.findall(chunk)) >= SENTENCE
        # among other cells, a short one without the punctuation of a sentence is a menu
        # item, a column or a product name (五道口沙龙 易语中的 专题), which no language model
        # can judge; a text that is one short piece (a headline) is still checked
        named = not long_enough and not whole and not _SENTENCE_MARK.search(chunk)
        for match in HAN_RUN.finditer(chunk):
            if named:
                continue
            if len(match.group()) >= MIN_RUN or (long_enough and len(match.group()) >= 2):
                out.append((position + match.start(), match.group()))
        position = cell.end()
    return out


@dataclass
class _Doc:
    """The runs of one text as one id array: BOS open c1 .. cn close per run."""

    x: Ids
    offset: npt.NDArray[np.int64]  # text offset of each index (-1 for padding)
    eos: npt.NDArray[np.int64]  # index of the EOS closing each index's run
    runs: list[tuple[int, int, str]] = field(default_factory=list)  # (first index, offset, run)


def _document(model: CharModel, text: str, runs: list[tuple[int, str]]) -> _Doc:
    ids: list[int] = []
    offsets: list[int] = []
    eos: list[int] = []
    spans = []
    for start, run in runs:
        first = len(ids) + 2
        spans.append((first, start, run))
        opener, closer = edges(text, start, start + len(run))
        ids += [OPENERS[0], opener, *model.ids(run), closer]
        offsets += [-1, -1, *range(start, start + len(run)), -1]
        eos += [first + len(run)] * (len(run) + 3)
    return _Doc(np.asarray(ids, dtype=np.int64), np.asarray(offsets, dtype=np.int64),
                np.asarray(eos, dtype=np.int64), spans)


KINDS = (SOUND, NEAR, SHAPE, WORD)


@dataclass
class _Candidates:
    """Replacements of ``width`` ids from index ``pos`` by ``new[:width]`` (padded with 0)."""

    pos: Ids
    width: Ids
    new: Ids  # shape (m, WIDTH)
    kind: Ids  # index into KINDS

    @staticmethod
    def join(parts: list[_Candidates]) -> _Candidates:
        return _Candidates(*(np.concatenate([getattr(p, f) for p in parts])
                             for f in ("pos", "width", "new", "kind")))

    def take(self, keep: npt.NDArray[np.bool_] | Ids) -> _Candidates:
        return _Candidates(self.pos[keep], self.width[keep], self.new[keep], self.kind[keep])


class _Confusions:
    """Confusable characters of every model id, as flat arrays (CSR layout)."""

    def __init__(self, model: CharModel, table: CharTable) -> None:
        size = len(model.chars) + FIRST
        self.common = np.zeros(size, dtype=bool)
        starts = [0] * size
        ids: list[int] = []
        kinds: list[int] = []
        lengths = [0] * size
        for char, char_id in model.index.items():
            self.common[char_id] = table.is_common(char)
            starts[char_id] = len(ids)
            for cand, kind in table.confusables(char):
                if cand in model.index:
                    ids.append(model.index[cand])
                    kinds.append(KINDS.index(kind))
            lengths[char_id] = len(ids) - starts[char_id]
        self.start = np.asarray(starts, dtype=np.int64)
        self.length = np.asarray(lengths, dtype=np.int64)
        self.ids = np.asarray(ids, dtype=np.int64)
        self.kinds = np.asarray(kinds, dtype=np.int64)

    def expand(self, positions: Ids, chars: Ids) -> _Candidates:
        counts = self.length[chars]
        total = int(counts.sum())
        owner = np.repeat(np.arange(len(positions)), counts)
        first = np.repeat(np.cumsum(counts) - counts, counts)
        flat = self.start[chars][owner] + (np.arange(total) - first)
        new = np.zeros((total, WIDTH), dtype=np.int64)
        new[:, 0] = self.ids[flat]
        return _Candidates(positions[owner], np.ones(total, dtype=np.int64), new, self.kinds[flat])


class TypoDetector:
    """Finds likely wrong characters in Chinese text; pure, thread-safe once loaded."""

    def __init__(self, model: CharModel, table: CharTable, words: Words,
                 threshold: float = DEFAULT_THRESHOLD, weights: Weights = Weights()) -> None:
        self.model, self.table, self.words = model, table, words
        self.threshold = threshold
        self.weights = weights
        self._confusions = _Confusions(model, table)
        self._prior = np.asarray([weights.prior(k) for k in KINDS])
        self._homophones: dict[str, tuple[tuple[int, ...], ...]] = {}

    @classmethod
    def load(cls, threshold: float = DEFAULT_THRESHOLD, data: Path = DATA) -> TypoDetector:
        """Read the packaged model and lexicon (the only I/O this package does)."""
        return cls(CharModel(data / "lm.npz"), CharTable(data / "chars.tsv.gz"),
                   Words(data / "words.tsv.gz", data / "names.txt.gz"), threshold)

    def find(self, text: str, vocabulary: SiteVocabulary | None = None, *,
             threshold: float | None = None) -> list[TypoHit]:
        """Likely slips in ``text`` at or above the threshold (``threshold`` overrides the
        detector's own for this call), in text order, never two on one span; a string on
        ``vocabulary``'s pages (a site's own terms) is not reported."""
        limit = self.threshold if threshold is None else threshold
        runs = _checked_runs(text)
        if not runs:
            return []
        mask = guards.protected(text, self.words.names)
        doc = _document(self.model, text, runs)
        base, seen = self._base(doc)
        free = self._free(doc, mask)
        suspect = self._suspects(doc, seen)
        parts = [self._char_candidates(doc, free & suspect), self._word_candidates(doc, free, seen)]
        cands = _Candidates.join(parts)
        if not len(cands.pos):
            return []
        changed = self._changed(doc, cands)
        gain = self._gain(doc, base, cands) - self._prior[cands.kind]
        gain -= self.weights.extra_char * (changed - 1)
        # The word term can add at most a few units: rescore only what could still pass.
        rows = np.nonzero(gain >= limit - 3.0)[0]
        hits = [hit for j in rows if (hit := self._rescore(text, doc, cands, int(j), float(gain[j])))]
        return self._select(text, hits, vocabulary, limit)

    def _base(self, doc: _Doc) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """log10 P of every index given its two predecessors (0 for padding) and attestation."""
        x = doc.x
        targets = np.nonzero(~np.isin(x[2:], OPENERS))[0] + 2
        lp = np.zeros(len(x))
        seen = np.ones(len(x), dtype=bool)
        lp[targets], seen[targets] = self.model.score(x[targets - 2], x[targets - 1], x[targets])
        return lp, seen

    def _free(self, doc: _Doc, mask: bytearray) -> npt.NDArray[np.bool_]:
        """Indices of common characters outside every guard (rare characters are names)."""
        protected = np.frombuffer(bytes(mask), dtype=np.uint8).astype(bool) if mask else np.zeros(0, bool)
        chars = doc.offset >= 0
        out = chars & self._confusions.common[doc.x]
        out[chars] &= ~protected[doc.offset[chars]]
        return out

    def _suspects(self, doc: _Doc, seen: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """Characters one of whose three trigrams is not attested (the others are fluent)."""
        n = len(doc.x)
        idx = np.arange(n)
        nxt = np.minimum(idx + 1, n - 1)
        after = np.minimum(idx + 2, n - 1)
        third = np.where(nxt < doc.eos, seen[after], True)
        return ~(seen & seen[nxt] & third)

    def _char_candidates(self, doc: _Doc, where: npt.NDArray[np.bool_]) -> _Candidates:
        positions = np.nonzero(where)[0]
        return self._confusions.expand(positions, doc.x[positions])

    def _changed(self, doc: _Doc, cands: _Candidates) -> Ids:
        cols = np.arange(WIDTH)
        inside = cols[None, :] < cands.width[:, None]
        idx = np.minimum(cands.pos[:, None] + cols[None, :], len(doc.x) - 1)
        changed: Ids = (inside & (cands.new != doc.x[idx])).sum(axis=1)
        return changed

    def _word_candidates(self, doc: _Doc, free: npt.NDArray[np.bool_],
                         seen: npt.NDArray[np.bool_]) -> _Candidates:
        """Same-sounding lexicon words over 2-4 free characters touching an unattested trigram."""
        pos: list[int] = []
        new: list[tuple[int, ...]] = []
        # Plain lists: this loop looks at a few cells at a time, where numpy calls cost most.
        ok, attested, eos = free.tolist(), seen.tolist(), doc.eos.tolist()
        for first, _, run in doc.runs:
            for k in range(len(run) - 1):
                for n in range(2, min(WIDTH, len(run) - k) + 1):
                    p = first + k
                    if not all(ok[p:p + n]):
                        break
                    if all(attested[p:min(p + n + 2, eos[p] + 1)]):
                        continue
                    span = self.model.ids(run[k:k + n])
                    for ids in self._homophones_of(run[k:k + n]):
                        # Three or four slips in one word are no slip: a rewrite (鱼似镜 -> 浴室镜).
                        if sum(a != b for a, b in zip(ids, span, strict=True)) <= MAX_CHANGED:
                            pos.append(p)
                            new.append(ids)
        m = len(pos)
        table = np.zeros((m, WIDTH), dtype=np.int64)
        for row, ids in enumerate(new):
            table[row, :len(ids)] = ids
        return _Candidates(np.asarray(pos, dtype=np.int64),
                           np.asarray([len(i) for i in new], dtype=np.int64), table,
                           np.full(m, KINDS.index(WORD), dtype=np.int64))

    def _homophones_of(self, span: str) -> tuple[tuple[int, ...], ...]:
        cached = self._homophones.get(span)
        if cached is None:
            found = []
            for word in homophone_words(self.table, self.words, span):
                ids = tuple(self.model.ids(word))
                if all(ids):
                    found.append(ids)
            cached = self._homophones[span] = tuple(found)
            if len(self._homophones) > 200_000:  # bound the cache on endless input
                self._homophones.clear()
        return cached

    def _gain(self, doc: _Doc, base: npt.NDArray[np.float64], cands: _Candidates) -> npt.NDArray[np.float64]:
        """log10 P(text with the candidate) - log10 P(text), over the trigrams it changes."""
        x, last = doc.x, len(doc.x) - 1
        steps = np.arange(WIDTH + 2)
        target = cands.pos[:, None] + steps[None, :]
        valid = (steps[None, :] <= cands.width[:, None] + 1) & (target <= doc.eos[cands.pos][:, None])
        target = np.minimum(target, last)
        old = np.where(valid, base[target], 0.0).sum(axis=1)

        def value(q: Ids) -> Ids:
            rel = q - cands.pos[:, None]
            inside = (rel >= 0) & (rel < cands.width[:, None])
            picked = np.take_along_axis(cands.new, np.clip(rel, 0, WIDTH - 1), axis=1)
            return np.where(inside, picked, x[np.clip(q, 0, last)])

        a, b, c = value(target - 2), value(target - 1), value(target)
        lp = np.zeros(target.shape)
        lp[valid] = self.model.logprob(a[valid], b[valid], c[valid])
        gain: npt.NDArray[np.float64] = lp.sum(axis=1) - old
        return gain

    def _rescore(self, text: str, doc: _Doc, cands: _Candidates, j: int, gain: float) -> TypoHit | None:
        """Add the word-segmentation gain and widen the hit to the word it corrects."""
        p, width = int(cands.pos[j]), int(cands.width[j])
        first, offset, run = next(r for r in reversed(doc.runs) if r[0] <= p)
        k = p - first
        new = "".join(self.model.char(int(i)) for i in cands.new[j, :width])
        lo, hi = max(0, k - 3), min(len(run), k + width + 3)
        before = run[lo:hi]
        after = before[:k - lo] + new + before[k - lo + width:]
        old_score, old_spans = segment(self.words, before)
        new_score, spans = segment(self.words, after)
        score = gain + self.weights.word * (new_score - old_score)
        # Report the corrected word: the segments of the corrected text that hold the change.
        changed = [i for i in range(width) if new[i] != run[k + i]]
        if not changed:
            return None
        left, right = k - lo + changed[0], k - lo + changed[-1] + 1
        start = min(s for s, e in spans if e > left)
        end = max(e for s, e in spans if s < right)
        if end - start < 2:
            score -= self.weights.lone_char
        elif any(e - s >= 2 and s < end and e > start for s, e in old_spans):
            score -= self.weights.real_word
        return TypoHit(offset + lo + start, offset + lo + end, before[start:end], after[start:end],
                       round(score, 2), KINDS[int(cands.kind[j])])

    def _select(self, text: str, hits: list[TypoHit], vocabulary: SiteVocabulary | None,
                threshold: float) -> list[TypoHit]:
        """The best hit of each place, above the threshold, not a term of the text or site.

        A string of two or more characters written twice in one text is taken as meant
        (a name, a new term): one slip is rarely repeated to the letter.
        """
        chosen: list[TypoHit] = []
        for hit in sorted(hits, key=lambda h: -h.score):
            if hit.score < threshold:
                break
            if any(hit.start < other.end and other.start < hit.end for other in chosen):
                continue
            if self._meant(text, hit, vocabulary) or hit.suggestion in self.words.people:
                continue  # a correction into a person's name is a guess about a name
            chosen.append(hit)
        return sorted(chosen, key=lambda h: h.start)

    @staticmethod
    def _meant(text: str, hit: TypoHit, vocabulary: SiteVocabulary | None) -> bool:
        """Written twice in this text, or on many pages of the site (a lone character is
        judged with its neighbours: 蒋 in 蒋建国)."""
        start, end = hit.start, hit.end
        if end - start < 2:
            start, end = max(0, start - 1), min(len(text), end + 1)
        term = text[start:end]
        if len(term) < 2:
            return False
        return text.count(term) >= 2 or (vocabulary is not None and term in vocabulary)
