from __future__ import annotations

from checks.accounts import account_stale, account_zombie
from checks.model import Severity

from .builders import AS_OF, SETTINGS, account


def _stale(snapshot):  # noqa: ANN001, ANN202
    return [(f.rule, f.severity) for f in account_stale(snapshot, SETTINGS, AS_OF)]


def test_account_stale_boundaries() -> None:
    assert _stale(account(10, 40)) == []
    assert _stale(account(11)) == [("account-stale", Severity.WARN)]
    assert _stale(account(14)) == [("account-stale", Severity.WARN)]
    assert _stale(account(15)) == [("account-stale", Severity.VETO)]
    assert _stale(account(None)) == [("account-stale", Severity.VETO)]


def test_account_zombie_after_90_days() -> None:
    assert list(account_zombie(account(90), SETTINGS, AS_OF)) == []
    found = list(account_zombie(account(91), SETTINGS, AS_OF))
    assert [(f.rule, f.severity) for f in found] == [("account-zombie", Severity.WARN)]
    assert found[0].evidence["age_days"] == 91


def test_account_not_mirrored_gets_no_stale_or_zombie_finding() -> None:
    for status in ("unreachable", "malformed", "empty"):
        snapshot = account(200, status=status)
        assert list(account_stale(snapshot, SETTINGS, AS_OF)) == []
        assert list(account_zombie(snapshot, SETTINGS, AS_OF)) == []


def test_account_posts_become_documents_with_their_date() -> None:
    (doc,) = account(3, texts=("正文",)).documents_to_scan
    assert doc.kind == "post" and doc.url == "http://mirror.example/p/0" and doc.text == "正文"
    assert (AS_OF - doc.published).days == 3
