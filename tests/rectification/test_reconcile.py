"""The rectification loop over several simulated patrols."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from checks.model import Finding, Severity
from core.settings import Settings
from rectification import actions
from rectification.actor import Actor
from rectification.fingerprint import fingerprint
from rectification.reconcile import Coverage, ReconcileResult, allowlist, reconcile
from store.models import Item, ItemEvent, Run
from store.models import Letter as LetterRow
from store.models import Post as PostRow

SITE = "示例区政府"
HOME = "http://127.0.0.1:8001/"
SETTINGS = Settings.model_validate({
    "sites": [{"name": SITE, "url": HOME, "unit": "办公室"}],
    "accounts": [{"name": "示例公众号", "url": "http://127.0.0.1:8002/wx/", "unit": "宣传部"}],
    "units": [
        {"name": "财政局", "match": ["http://127.0.0.1:8001/czj/"]},
        {"name": "预算科", "match": ["http://127.0.0.1:8001/czj/ys/"]},
        {"name": "网站中心", "match": [SITE]},
        {"name": "办公室"}, {"name": "宣传部"},  # the places' own units must exist
    ],
})
FINANCE = Actor("cz", "unit", "财政局")


def typo(page: str = "czj/a.html") -> Finding:
    return Finding(rule="wording-typo", severity=Severity.DEDUCT, url=HOME + page,
                   message="错别字“按装”", site=SITE, text="按装", suggestion="安装",
                   evidence={"context": "请按装软件"})


def broken(source: str = "czj/list.html") -> Finding:
    return Finding(rule="link-broken", severity=Severity.DEDUCT, url=HOME + source,
                   message="链接不可用（404）", site=SITE, target=HOME + "gone.pdf",
                   evidence={"status": 404, "sources": [{"page": HOME + source, "tag": "a"}]})


SUSPECT = Finding(rule="wording-suspect", severity=Severity.WARN, url=HOME + "b.html",
                  message="疑似用词“截止”", site=SITE, text="截止")
STALE = Finding(rule="homepage-stale", severity=Severity.VETO, url=HOME,
                message="首页 15 天未更新", site=SITE)


def everything(*extra: str) -> Coverage:
    urls = {HOME, HOME + "czj/a.html", HOME + "czj/list.html", HOME + "b.html", *extra}
    return Coverage(fetched_urls=frozenset(urls), sites=frozenset({SITE}))


def patrol(
    factory: sessionmaker[Session], day: date, findings: list[Finding], coverage: Coverage,
) -> ReconcileResult:
    with factory.begin() as session:
        run = Run(as_of=day, started_at=datetime.combine(day, datetime.min.time()))
        session.add(run)
        session.flush()
        return reconcile(session, run.id, findings, coverage, SETTINGS, day,
                         datetime.combine(day, datetime.min.time()) + timedelta(hours=3))


def states(factory: sessionmaker[Session]) -> dict[str, tuple[str, int]]:
    with factory() as session:
        return {i.rule: (i.state, i.regressions) for i in session.scalars(select(Item))}


def counts(result: ReconcileResult) -> tuple[int, int, int, int, int]:
    return (result.new, result.seen_again, result.closed, result.sent_back, result.regressed)


def test_reconcile_loop_over_five_patrols(factory: sessionmaker[Session]) -> None:
    d1 = date(2026, 11, 2)
    r1 = patrol(factory, d1, [typo(), broken(), SUSPECT, STALE], everything())
    assert counts(r1) == (4, 0, 0, 0, 0)
    assert states(factory) == {"wording-typo": ("open", 0), "link-broken": ("open", 0),
                               "wording-suspect": ("to_confirm", 0),
                               "homepage-stale": ("open", 0)}
    # Seen again, twice over in one run: still one item each.
    r2 = patrol(factory, d1 + timedelta(1), [typo(), typo(), broken(), SUSPECT, STALE],
                everything())
    assert counts(r2) == (0, 4, 0, 0, 0)
    with factory.begin() as session:
        typo_id = session.scalars(select(Item.id).where(Item.rule == "wording-typo")).one()
        actions.mark_fixed(session, typo_id, FINANCE, "已改", datetime(2026, 11, 3, 12))
        stale = session.scalars(select(Item).where(Item.rule == "homepage-stale")).one()
        stale_id = stale.id
        actions.mark_fixed(session, stale_id, Actor("o", "admin"), "已更新", datetime(2026, 11, 3, 12))
    # Typo still there -> sent back; homepage fixed and re-fetched -> closed (verified);
    # broken link and suspect gone, their pages re-fetched -> closed.
    r3 = patrol(factory, d1 + timedelta(2), [typo()], everything())
    assert counts(r3) == (0, 0, 3, 1, 0)
    assert states(factory) == {"wording-typo": ("sent_back", 0), "link-broken": ("closed", 0),
                               "wording-suspect": ("closed", 0),
                               "homepage-stale": ("closed", 0)}
    # The broken link comes back: a regression, with a fresh deadline.
    r4 = patrol(factory, d1 + timedelta(3), [typo(), broken()], everything())
    assert counts(r4) == (0, 1, 0, 0, 1)
    assert states(factory)["link-broken"] == ("open", 1)
    with factory() as session:
        events = session.scalars(
            select(ItemEvent).join(Item, Item.id == ItemEvent.item_id)
            .where(Item.rule == "homepage-stale").order_by(ItemEvent.id)
        ).all()
        assert [(e.actor, e.action, e.from_state, e.to_state) for e in events] == [
            ("patrol", "detected", "", "open"), ("o", "mark_fixed", "open", "fixed_pending"),
            ("patrol", "verified", "fixed_pending", "closed")]
        typo_item = session.get(Item, typo_id)
        assert typo_item.first_seen == d1 and typo_item.last_seen == d1 + timedelta(3)


def test_reconcile_never_closes_what_was_not_refetched(factory: sessionmaker[Session]) -> None:
    d1 = date(2026, 11, 2)
    patrol(factory, d1, [typo(), broken(), STALE, typo("other/c.html")], everything(
        HOME + "other/c.html"))
    # Next run: the homepage failed (site not covered) and the pages hit the page limit.
    r2 = patrol(factory, d1 + timedelta(1), [], Coverage(fetched_urls=frozenset({HOME})))
    assert counts(r2) == (0, 0, 0, 0, 0)
    # Site covered, but only the homepage and c.html re-fetched: the a.html typo and the
    # link on list.html stay open; the stale homepage and the c.html typo are closed.
    r3 = patrol(factory, d1 + timedelta(2), [], Coverage(
        fetched_urls=frozenset({HOME, HOME + "other/c.html#top"}), sites=frozenset({SITE})))
    assert r3.closed == 2
    with factory() as session:
        open_urls = sorted(i.url for i in session.scalars(
            select(Item).where(Item.state == "open")))
    assert open_urls == [HOME + "czj/a.html", HOME + "czj/list.html"]


def test_reconcile_routes_longest_prefix_then_name_then_site(
    factory: sessionmaker[Session],
) -> None:
    findings = [
        typo("czj/ys/2026/x.html"), typo("czj/b.html"), typo("jyj/c.html"),
        Finding(rule="account-stale", severity=Severity.VETO, url="http://127.0.0.1:8002/wx/",
                message="账号 15 天未更新", account="示例公众号"),
    ]
    patrol(factory, date(2026, 11, 2), findings, everything())
    with factory() as session:
        units = {(i.account or i.url.removeprefix(HOME)): i.unit
                 for i in session.scalars(select(Item))}
    assert units == {"czj/ys/2026/x.html": "预算科", "czj/b.html": "财政局",
                     "jyj/c.html": "网站中心", "示例公众号": "宣传部"}


def test_reconcile_deadlines_skip_golden_week(factory: sessionmaker[Session]) -> None:
    patrol(factory, date(2026, 9, 30), [typo(), STALE, SUSPECT], everything())
    with factory() as session:
        deadlines = {i.rule: i.deadline for i in session.scalars(select(Item))}
    # veto: 3 working days after 09-30 = 10-08, 10-09, 10-10 (an adjusted working Saturday).
    assert deadlines == {"homepage-stale": date(2026, 10, 10),
                         "wording-typo": date(2026, 10, 20), "wording-suspect": None}


def test_reconcile_dismissed_stays_dismissed_and_allowlist_honoured(
    factory: sessionmaker[Session],
) -> None:
    d1 = date(2026, 11, 2)
    other_site = Finding(rule="wording-typo", severity=Severity.DEDUCT, url="http://x.test/",
                         message="错别字", site="别的站", text="按装")
    patrol(factory, d1, [typo(), SUSPECT, other_site], everything())
    admin = Actor("o", "admin")
    with factory.begin() as session:
        ids = {i.rule + (i.site or ""): i.id for i in session.scalars(select(Item))}
        actions.dismiss(session, ids["wording-suspect" + SITE], admin, "此处用法正确", "item",
                        datetime(2026, 11, 2, 10))
        actions.dismiss(session, ids["wording-typo" + SITE], admin, "专有名称", "site",
                        datetime(2026, 11, 2, 10))
        allow = allowlist(session)
    assert allow.allows(typo("any/page.html"))
    assert not allow.allows(other_site)
    r2 = patrol(factory, d1 + timedelta(1), [typo("new/page.html"), SUSPECT, other_site],
                everything())
    assert r2.allowed == 1 and r2.new == 0
    with factory() as session:
        assert session.get(Item, ids["wording-suspect" + SITE]).state == "dismissed"
        assert session.get(Item, ids["wording-typo别的站"]).state == "open"


def test_fingerprint_ignores_fragment_port_index_and_tracking() -> None:
    base = typo("czj/")
    for variant in ("czj/index.html", "czj/#x", "czj/?utm_source=wx&spm=1"):
        assert fingerprint(typo(variant)) == fingerprint(base)
    same_port = Finding(rule="wording-typo", severity=Severity.DEDUCT,
                        url="HTTPS://Example.gov.cn:443/a", message="", site=SITE, text="按装")
    assert fingerprint(same_port) == fingerprint(
        Finding(rule="wording-typo", severity=Severity.DEDUCT, url="https://example.gov.cn/a",
                message="other", site=SITE, text="按装"))
    assert fingerprint(typo("czj/?id=2")) != fingerprint(typo("czj/?id=3"))
    # One item per broken target and site, whichever page cites it first.
    assert fingerprint(broken()) == fingerprint(broken("other.html"))
    other_target = Finding(rule="link-broken", severity=Severity.DEDUCT, url=HOME,
                           message="", site=SITE, target=HOME + "gone2.pdf")
    assert fingerprint(other_target) != fingerprint(broken())


def test_reconcile_post_and_letter_items_close_only_when_reread(
    factory: sessionmaker[Session],
) -> None:
    mirror = "http://127.0.0.1:8002/wx/"
    post_typo = Finding(rule="wording-typo", severity=Severity.DEDUCT, url=mirror + "p/1",
                        message="错别字", account="示例公众号", text="按装")
    old_post = Finding(rule="wording-typo", severity=Severity.DEDUCT, url=mirror + "p/0",
                       message="错别字", account="示例公众号", text="按装")
    letter = Finding(rule="interaction-overdue", severity=Severity.VETO,
                     url=HOME + "hd/letter?id=7", message="来信 120 天未回复", site=SITE)
    accounts = frozenset({"示例公众号"})
    patrol(factory, date(2026, 11, 2), [post_typo, old_post, letter],
           Coverage(frozenset({HOME}), frozenset({SITE}), accounts))
    day = date(2026, 11, 3)
    with factory.begin() as session:
        run = Run(as_of=day, started_at=datetime(2026, 11, 3, 2))
        session.add(run)
        session.flush()
        # The mirror now lists p/1 (fixed) but no longer p/0; the letter list shows letter 7.
        session.add(PostRow(run_id=run.id, account="示例公众号", url=mirror + "p/1"))
        session.add(LetterRow(run_id=run.id, site=SITE, url=HOME + "hd/letter?id=7"))
        session.flush()
        result = reconcile(session, run.id, [], Coverage(frozenset({HOME}), frozenset({SITE}),
                                                         accounts),
                           SETTINGS, day, datetime(2026, 11, 3, 3))
    assert result.closed == 2
    with factory() as session:
        still = [i.url for i in session.scalars(select(Item).where(Item.state == "open"))]
    assert still == [mirror + "p/0"]
