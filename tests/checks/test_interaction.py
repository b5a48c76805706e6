from __future__ import annotations

from checks.interaction import interaction_overdue
from checks.model import Letter, Severity

from .builders import AS_OF, HOME, SETTINGS, ago, site


def _letters(*pairs: tuple[int | None, int | None]):  # noqa: ANN202
    return tuple(
        Letter(url=f"{HOME}hd/{i}.html", title=f"关于某事的咨询{i}",
               asked=None if a is None else ago(a), replied=None if r is None else ago(r))
        for i, (a, r) in enumerate(pairs)
    )


def _run(*pairs: tuple[int | None, int | None]):  # noqa: ANN202
    return list(interaction_overdue(site(letters=_letters(*pairs)), SETTINGS, AS_OF))


def test_interaction_overdue_90_days_reply_is_on_time_91_is_veto() -> None:
    assert _run((200, 110)) == []
    found = _run((200, 109))
    assert [(f.rule, f.severity) for f in found] == [("interaction-overdue", Severity.VETO)]
    assert found[0].evidence["days"] == 91 and found[0].url.endswith("/hd/0.html")


def test_interaction_overdue_unanswered_counts_to_as_of() -> None:
    assert _run((90, None)) == []
    found = _run((91, None))
    assert found[0].evidence["replied"] is None and "未答复" in found[0].message


def test_interaction_overdue_only_letters_of_the_last_365_days() -> None:
    assert _run((366, None), (None, None)) == []
    assert len(_run((365, None))) == 1
