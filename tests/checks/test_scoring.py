"""Issue 14 §2: the 100-point scorecard of the 2019 indicators (written before the scoring)."""

from __future__ import annotations

import pytest

from checks.model import Finding, Severity
from checks.scorecard import HOMEPAGE_LINKS, OTHER_LINKS, Scorecard, scorecard
from core.settings import Settings


def _broken(n: int, *, on_home: bool = False) -> list[Finding]:
    return [Finding(rule="link-broken", severity=Severity.DEDUCT,
                    url=f"http://x.example/p{i}.html", message="m", site="甲",
                    target=f"http://x.example/gone{i}", evidence={"on_homepage": on_home})
            for i in range(n)]


def _card(findings: list[Finding], settings: Settings | None = None) -> Scorecard:
    scoring = (settings or Settings()).scoring
    return scorecard(findings, [("site", "甲")], scoring)[0]


def test_a_site_with_200_broken_links_fails() -> None:
    card = _card(_broken(200))
    assert card.vetoes == ()
    assert card.score < 60 and card.verdict == "fail" and card.verdict_label == "不合格"


def test_deductions_start_from_100_and_each_indicator_is_capped() -> None:
    clean = _card([])
    assert (clean.score, clean.verdict) == (100, "pass")
    home = _card(_broken(3, on_home=True))
    [line] = home.deductions
    assert line.indicator == HOMEPAGE_LINKS and line.points == 3  # 1 point a homepage link
    capped = _card(_broken(1000, on_home=True))
    assert capped.deductions[0].points == Settings().scoring.cap_of(HOMEPAGE_LINKS)
    assert capped.score == 100 - capped.deductions[0].points


def test_points_and_caps_are_settings() -> None:
    settings = Settings.model_validate({"scoring": {
        "pass_score": 90,
        "indicators": [{"indicator": OTHER_LINKS, "points": 2, "cap": 8}]}})
    card = _card(_broken(10), settings)
    assert card.deductions[0].points == 8 and card.score == 92
    assert card.verdict == "pass"
    assert _card(_broken(10), settings.with_changes(
        scoring={**settings.scoring.model_dump(), "pass_score": 93})).verdict == "fail"
    # an indicator not overridden keeps its national default
    assert settings.scoring.points_of(HOMEPAGE_LINKS) == Settings().scoring.points_of(
        HOMEPAGE_LINKS)


def test_bonus_items_count_only_above_80() -> None:
    assert _card(_broken(10, on_home=True)).bonus_counts  # 90 points
    assert not _card(_broken(25, on_home=True) + _broken(40)).bonus_counts


def test_a_veto_fails_whatever_the_score() -> None:
    veto = Finding(rule="homepage-stale", severity=Severity.VETO, url="http://x.example/",
                   message="m", site="甲")
    card = _card([veto])
    assert card.score == 100 and card.verdict == "fail"


@pytest.mark.parametrize("key", ["points", "cap"])
def test_scoring_refuses_non_positive_values(key: str) -> None:
    from core.errors import ConfigError

    entry = {"indicator": OTHER_LINKS, "points": 1, "cap": 5, key: 0}
    with pytest.raises(ConfigError):
        Settings().with_changes(scoring={"indicators": [entry]})
