"""The wrong-character detector on sentences written for these tests (none from a benchmark)."""

from __future__ import annotations

import random

import pytest

from checks.typo import DEFAULT_THRESHOLD, SiteVocabulary, TypoDetector, TypoHit


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector.load()


def with_threshold(detector: TypoDetector, threshold: float) -> TypoDetector:
    return TypoDetector(detector.model, detector.table, detector.words, threshold=threshold)


# (sentence with one slip, the wrong characters, what they should be)
SLIPS = [
    ("各县区要进一步健全长效机智，确保工作落到实处。", "智", "制"),
    ("会议听取了全市安全生产工作情况的汇保。", "保", "报"),
    ("我局认真宗结去年的经验做法，形成了典型案例。", "宗", "总"),
    ("全面提升政务服务水平，进一步优化营商环竟。", "竟", "境"),
    ("严格落实疫情防控各项措失，坚决守住不发生规模性反弹的底线。", "失", "施"),
    ("各乡镇要高度重视，精心组织，确保各项工作有序推近。", "近", "进"),
    ("为进一部加强财政资金管理，现将有关事项通知如下。", "部", "步"),
]

CORRECT = [
    "本办法自印发之日起施行，由市人民政府办公室负责解释。",
    "要加快推进城乡一体化发展，不断完善公共服务体系，提升群众的获得感和幸福感。",
    "切实加强对全县防汛抗旱工作的组织领导，层层压实责任。",
    "区委常委会召开专题会议，研究部署下一阶段重点工作。",
    "着力解决群众急难愁盼问题，推动民生实事落地见效。",
    "进一步规范行政执法行为，提高依法行政水平。",
    "坚持以人民为中心的发展思想，扎实推进共同富裕。",
    "市政府常务会议审议通过了《关于加快发展数字经济的实施意见》。",
    "认真贯彻落实党中央决策部署，统筹做好经济社会发展各项工作。",
    "请各单位于本月底前将自查报告报送至区政府办公室。",
]


@pytest.mark.parametrize(("sentence", "wrong", "right"), SLIPS)
def test_a_slip_is_found_with_the_right_suggestion(
    detector: TypoDetector, sentence: str, wrong: str, right: str,
) -> None:
    hits = detector.find(sentence)
    assert len(hits) == 1, hits
    hit = hits[0]
    at = sentence.index(wrong)
    assert hit.start <= at < hit.end
    assert sentence[hit.start:hit.end] == hit.wrong
    corrected = sentence[:hit.start] + hit.suggestion + sentence[hit.end:]
    assert corrected == sentence[:at] + right + sentence[at + 1:]
    assert hit.score >= DEFAULT_THRESHOLD and hit.source == "model"


@pytest.mark.parametrize("sentence", CORRECT)
def test_correct_official_writing_is_not_flagged(detector: TypoDetector, sentence: str) -> None:
    assert detector.find(sentence) == []


def test_offsets_point_into_the_original_text(detector: TypoDetector) -> None:
    text = "2024 年 ＡＢＣ 第3条\n\t" + SLIPS[0][0] + " 🙂 𠀀 " + SLIPS[3][0]
    hits = detector.find(text)
    assert [h.suggestion[-2:] for h in hits] == ["机制", "环境"]
    for hit in hits:
        assert text[hit.start:hit.end] == hit.wrong


def test_a_string_written_twice_in_one_text_is_meant(detector: TypoDetector) -> None:
    sentence = SLIPS[1][0]
    assert detector.find(sentence)
    assert detector.find(sentence + sentence) == []


def test_threshold_is_respected(detector: TypoDetector) -> None:
    text = "".join(s for s, _, _ in SLIPS)
    low = with_threshold(detector, 0.0).find(text)
    default = detector.find(text)
    high = with_threshold(detector, 8.0).find(text)
    assert all(h.score >= 0.0 for h in low) and all(h.score >= 8.0 for h in high)
    assert len(high) < len(default) <= len(low)
    assert set(high) <= set(default)
    assert with_threshold(detector, 1e9).find(text) == []


def test_short_han_runs_are_not_checked(detector: TypoDetector) -> None:
    # A menu or a table cell: runs under four Han characters.
    assert detector.find("首页｜汇保｜机智｜商环竟｜联系") == []
    assert detector.find("营商环竟") != []


def test_a_short_run_inside_a_sentence_is_checked(detector: TypoDetector) -> None:
    # 懂事长 is a three-character run, but between sentence punctuation, not a menu item.
    sentence = "会议由集团党委书记、懂事长主持，全体班子成员参加。"
    assert [(h.wrong, h.suggestion) for h in detector.find(sentence)] == [("懂事长", "董事长")]
    assert detector.find("首页 懂事长 联系我们") == []


def test_rare_characters_are_never_reported(detector: TypoDetector) -> None:
    rare = "堃"
    assert not detector.table.is_common(rare)
    for hit in detector.find(f"各县区要进一步健全长效机{rare}，确保工作落到实处。"):
        assert rare not in hit.wrong


@pytest.mark.parametrize(("inside", "outside"), [
    ("《营商环竟》", "优化营商环竟。"),  # the title of a work (not of an official document)
    ("副县长王汇保同志", "工作情况的汇保。"),  # a person's name beside a title
    ("杭州长效机智科技有限公司", "健全长效机智。"),  # a company
])
def test_guarded_spans_are_not_reported(detector: TypoDetector, inside: str, outside: str) -> None:
    assert detector.find(f"根据有关规定，{outside}") != []
    assert detector.find(f"根据有关规定，{inside}负责此事。") == []


def test_site_vocabulary_suppresses_a_term_used_across_pages(detector: TypoDetector) -> None:
    page = "我县积极推行长效机智，取得明显成效。"
    assert [h.wrong for h in detector.find(page)] == ["长效机智"]
    pages = [f"第{i}期简报：本县长效机智工作情况。" for i in range(3)]
    assert detector.find(page, SiteVocabulary.build(pages)) == []
    assert detector.find(page, SiteVocabulary.build(pages[:2])) != []  # two pages are not many


def test_hostile_input_never_crashes(detector: TypoDetector) -> None:
    rng = random.Random(5)
    noise = "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(20_000))
    for text in ("", "\x00" * 100, "a" * 10_000, "\ud800汉字\udfff测试文本", noise, "。" * 500):
        hits = detector.find(text)
        assert all(isinstance(h, TypoHit) and text[h.start:h.end] == h.wrong for h in hits)
