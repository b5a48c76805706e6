"""Roles, CSRF, escaping and masking, through the real app on loopback."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.web.conftest import (
    FULL_ID,
    MASKED_ID,
    PASSWORD,
    XSS_IMG,
    XSS_SCRIPT,
    Served,
    csrf_of,
    login,
)


def test_pages_redirect_to_login_when_anonymous(served: Served) -> None:
    with served.client() as client:
        response = client.get("/items")
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")
        assert client.get("/api/items").status_code == 401


def test_session_cookie_is_httponly_and_samesite(served: Served) -> None:
    with served.client() as client:
        cookie = client.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_login_with_wrong_password_refused(served: Served) -> None:
    with served.client() as client:
        token = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"username": "office", "password": "wrong-pass",
                                               "csrf_token": token})
        assert response.status_code == 401
        assert client.get("/items").status_code == 303


def test_forged_cookie_is_not_a_session(served: Served) -> None:
    with served.client() as client:
        login(client, "caizheng")
        value = client.cookies["xw_session"]
        body, _, mac = value.rpartition(".")
        client.cookies.set("xw_session", body + "." + "0" * len(mac))
        assert client.get("/items").status_code == 303


def test_unit_user_gets_404_on_other_units_item(served_any: Served) -> None:
    ids = served_any.env.ids
    with served_any.client() as client:
        token = login(client, "caizheng")  # 财政局; the link item belongs to 教育局
        assert client.get(f"/items/{ids.link}").status_code == 404
        assert client.get(f"/api/items/{ids.link}").status_code == 404
        response = client.post(f"/items/{ids.link}/fix",
                               data={"note": "改好了", "csrf_token": token})
        assert response.status_code == 404
        listed = client.get("/api/items").json()
        assert {item["unit"] for item in listed["items"]} == {"财政局"}
        assert ids.link not in {item["id"] for item in listed["items"]}


def test_unit_user_gets_403_on_office_actions(served_any: Served) -> None:
    ids = served_any.env.ids
    with served_any.client() as client:
        token = login(client, "caizheng")
        for action, data in (
            ("reassign", {"unit": "教育局", "reason": "不归我们"}),
            ("deadline", {"deadline": "2027-01-31", "reason": "太紧"}),
            ("close", {"note": "自己销号"}),
        ):
            response = client.post(f"/items/{ids.typo}/{action}", data={**data, "csrf_token": token})
            assert response.status_code == 403, action
        item = client.get(f"/api/items/{ids.typo}").json()
    assert item["unit"] == "财政局" and item["deadline"] == "2026-11-20"


def test_post_without_csrf_token_refused(served: Served) -> None:
    ids = served.env.ids
    with served.client() as client:
        token = login(client, "office")
        assert client.post(f"/items/{ids.typo}/fix", data={"note": "x"}).status_code == 403
        wrong = token[:-1] + ("1" if token.endswith("0") else "0")  # always differs
        bad = client.post(f"/items/{ids.typo}/fix", data={"note": "x", "csrf_token": wrong})
        assert bad.status_code == 403
        assert client.get(f"/api/items/{ids.typo}").json()["state"] == "open"


def test_csrf_token_of_another_session_refused(served: Served) -> None:
    ids = served.env.ids
    with served.client() as other:
        stolen = login(other, "office")
    with served.client() as client:
        login(client, "office")
        response = client.post(f"/items/{ids.typo}/fix", data={"note": "x", "csrf_token": stolen})
        assert response.status_code == 403


def test_login_post_without_csrf_refused(served: Served) -> None:
    with served.client() as client:
        client.get("/login")
        response = client.post("/login", data={"username": "office", "password": "x"})
        assert response.status_code == 403


@pytest.mark.parametrize("path", ["/items", "/items/{xss}"])
def test_crawled_markup_is_escaped(served: Served, path: str) -> None:
    with served.client() as client:
        login(client, "office")
        html = client.get(path.format(xss=served.env.ids.xss)).text
    assert XSS_SCRIPT not in html and XSS_IMG not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html


def test_crawled_markup_is_inert_in_exports(served: Served) -> None:
    with served.client() as client:
        login(client, "office")
        csv_text = client.get("/items.csv").content.decode("utf-8-sig")
        book = load_workbook(io.BytesIO(client.get("/items.xlsx").content))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None]
    for text in [csv_text, *cells]:
        assert not text.startswith(("=", "+", "-", "@"))
    assert any(XSS_SCRIPT in cell for cell in cells)  # kept as text, never as markup or formula


def test_privacy_evidence_stays_masked(served: Served) -> None:
    ids = served.env.ids
    with served.client() as client:
        login(client, "office")
        outputs = [
            client.get("/items").text,
            client.get(f"/items/{ids.privacy}").text,
            client.get("/api/items").text,
            client.get("/items.csv").content.decode("utf-8-sig"),
        ]
        book = load_workbook(io.BytesIO(client.get("/items.xlsx").content))
    outputs.append(" ".join(str(c.value) for row in book.active.iter_rows() for c in row))
    for text in outputs:
        assert MASKED_ID in text
        assert FULL_ID not in text


def test_pages_forbid_scripts_and_framing(served: Served) -> None:
    with served.client() as client:
        login(client, "office")
        headers = client.get("/items").headers
    assert "script-src 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"


def test_login_returns_to_the_filtered_list_only_on_this_site(served: Served) -> None:
    with served.client() as client:
        target = client.get("/items?unit=教育局&overdue=1").headers["location"]
        page = client.get(target).text
        assert 'name="next" value="/items?unit=%E6%95%99%E8%82%B2%E5%B1%80&amp;overdue=1"' in page
        token = csrf_of(page)
        evil = client.post("/login", data={"username": "office", "password": PASSWORD,
                                           "csrf_token": token, "next": "//evil.example/"})
    assert evil.status_code == 303 and evil.headers["location"] == "/items"
