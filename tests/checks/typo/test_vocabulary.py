"""SiteVocabulary counts pages, not occurrences, and the segmentation prefers real words."""

from __future__ import annotations

import pytest

from checks.typo import SiteVocabulary, TypoDetector
from checks.typo.vocabulary import segment


def test_pages_are_counted_once_each() -> None:
    vocabulary = SiteVocabulary(min_pages=2)
    vocabulary.add("溧水区溧水区溧水区")
    assert vocabulary.pages_with("溧水") == 1 and "溧水" not in vocabulary
    vocabulary.add("关于溧水的通知")
    assert vocabulary.pages_with("溧水") == 2 and "溧水" in vocabulary
    assert vocabulary.pages == 2
    assert "通知" not in vocabulary and vocabulary.pages_with("无关词语") == 0


def test_build_equals_adding_page_by_page() -> None:
    pages = ["一网通办工作推进会", "推进一网通办", "一网通办事项清单", "其他"]
    built = SiteVocabulary.build(pages, min_pages=3)
    assert "一网通办" in built and "网通" in built and "推进" not in built
    assert built.pages == 4


def test_a_vocabulary_survives_bytes_and_keeps_counting() -> None:
    first = SiteVocabulary.build(["一网通办", "一网通办"], min_pages=3)
    again = SiteVocabulary.from_bytes(first.to_bytes())
    assert again.pages == 2 and again.min_pages == 3 and "一网通办" not in again
    again.add("推进一网通办")
    assert "一网通办" in again and again.pages_with("一网通办") == 3
    with pytest.raises(ValueError, match="site vocabulary"):
        SiteVocabulary.from_bytes(b"junk")
    with pytest.raises(ValueError, match="site vocabulary"):
        SiteVocabulary.from_bytes(first.to_bytes()[:-2])


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="min_pages"):
        SiteVocabulary(min_pages=0)


def test_segmentation_prefers_lexicon_words() -> None:
    words = TypoDetector.load().words
    score_right, spans = segment(words, "健全长效机制")
    score_wrong, _ = segment(words, "健全长效机智")
    assert score_right > score_wrong
    assert spans[0] == (0, 2)  # 健全
