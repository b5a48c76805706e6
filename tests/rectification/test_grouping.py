"""举一反三 groups: same rule and text (or target) across places."""

from __future__ import annotations

from datetime import date

from rectification.grouping import group_items
from rectification.views import ItemView


def _view(item_id: int, rule: str, place: str, text: str | None = None,
          target: str | None = None) -> ItemView:
    return ItemView(
        id=item_id, rule=rule, rule_title=rule, severity="deduct", state="open",
        state_label="待整改", regressions=0, unit="财政局", deadline=None, overdue=False,
        due_soon=False, first_seen=date(2026, 11, 1), last_seen=date(2026, 11, 1), site=place,
        account=None, url=f"http://127.0.0.1/{item_id}", target=target, text=text, column=None,
        suggestion=None, message="m",
    )


def test_grouping_same_rule_and_text_across_sites() -> None:
    items = [
        _view(1, "wording-typo", "甲站", text="按装"), _view(2, "wording-typo", "乙站", text="按装"),
        _view(3, "wording-typo", "甲站", text="按装"), _view(4, "wording-typo", "甲站", text="既使"),
        _view(5, "wording-sensitive", "甲站", text="按装"),
        _view(6, "link-broken", "甲站", target="http://x/a.pdf"),
        _view(7, "link-broken", "乙站", target="http://x/a.pdf"),
    ]
    groups = group_items(items)
    assert [(g.rule, g.detail, [i.id for i in g.items]) for g in groups] == [
        ("wording-typo", "按装", [1, 2, 3]), ("link-broken", "http://x/a.pdf", [6, 7])]
    assert groups[0].places == tuple(sorted(["甲站", "乙站"]))
