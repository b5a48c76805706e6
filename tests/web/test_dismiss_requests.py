"""Issue 14 §4 in the web: a unit's dismissal of a veto item waits for the office."""

from __future__ import annotations

from store.models import Item
from tests.web.conftest import Served, login


def _state(served: Served, item_id: int) -> str:
    with served.env.factory() as session:
        item = session.get(Item, item_id)
        assert item is not None
        return item.state


def test_unit_dismissal_of_a_veto_item_is_a_request_the_office_approves(served: Served) -> None:
    privacy = served.env.ids.privacy  # 财政局's open veto item
    with served.client() as client:
        token = login(client, "caizheng")
        page = client.get(f"/items/{privacy}").text
        assert "申请忽略（由管理员审核）" in page
        answer = client.post(f"/items/{privacy}/dismiss", data={
            "csrf_token": token, "reason": "随便", "scope": "item"}, follow_redirects=False)
        assert answer.status_code == 303
        assert _state(served, privacy) == "dismiss_requested"
        refused = client.post(f"/items/{privacy}/approve-dismissal", data={
            "csrf_token": token, "note": "自己批准"}, follow_redirects=False)
        assert refused.status_code == 403
    with served.client() as client:
        token = login(client, "office")
        assert "同意忽略" in client.get(f"/items/{privacy}").text
        listed = client.get("/items?state=dismiss_requested").text
        assert f"/items/{privacy}" in listed
        client.post(f"/items/{privacy}/refuse-dismissal", data={
            "csrf_token": token, "note": "身份证号必须删除"}, follow_redirects=False)
    assert _state(served, privacy) == "open"


def test_reassign_to_an_unknown_unit_is_refused(served: Served) -> None:
    typo = served.env.ids.typo
    with served.client() as client:
        token = login(client, "office")
        answer = client.post(f"/items/{typo}/reassign", data={
            "csrf_token": token, "unit": "不存在的局", "reason": "试试"}, follow_redirects=False)
        assert answer.status_code == 400 and "没有名为「不存在的局」的责任单位" in answer.text
    with served.env.factory() as session:
        item = session.get(Item, typo)
        assert item is not None and item.unit == "财政局"
