"""New-media account mirrors: RSS 2.0, Atom, a plain HTML list and a JS-rendered list.

Each post also has its own page with the full text; findings inside a post point there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape

from xunwang.demo import numbers, texts

CST = timezone(timedelta(hours=8))
POSTS = 8


@dataclass(frozen=True)
class AccountSpec:
    name: str
    platform: str
    slug: str
    style: str  # rss | atom | html | scripted
    newest_age: int
    gap: int = 3
    planted: tuple[tuple[int, str, str, str], ...] = ()  # (post, sentence, rule, text)

    @property
    def mirror_path(self) -> str:
        leaf = {"rss": "rss.xml", "atom": "atom.xml"}.get(self.style, "index.html")
        return f"/{self.platform}/{self.slug}/{leaf}"

    def post_path(self, number: int) -> str:
        return f"/{self.platform}/{self.slug}/p/{number}.html"

    def post_time(self, number: int, as_of: date) -> datetime:
        day = as_of - timedelta(days=self.newest_age + number * self.gap)
        return datetime(day.year, day.month, day.day, 9, 30, tzinfo=CST)


ACCOUNTS = (
    AccountSpec("云溪发布", "wechat", "yxfb", "rss", 1,
                planted=((2, "全区各单位要认真布署今冬明春火灾防控工作。", "wording-typo", "布署"),)),
    AccountSpec("云溪政务微博", "weibo", "yxzw", "atom", 0, gap=2,
                planted=((1, f"如有疑问请联系社区工作人员，电话{numbers.ACCOUNT_MOBILE}。",
                          "privacy-phone", numbers.mask_phone(numbers.ACCOUNT_MOBILE)),)),
    AccountSpec("云溪教育", "douyin", "yxjy", "html", 20),
    AccountSpec("云溪文旅", "toutiao", "yxwl", "scripted", 2),
    AccountSpec("云溪卫健", "wechat", "yxwj", "rss", 120, gap=10),
    AccountSpec("云溪融媒", "weibo", "yxrm", "atom", 10, gap=4),  # 10 days is not stale
)
DOWN_MIRROR_PATH = "/wechat/yxgx/rss.xml"


def _post_text(account: AccountSpec, number: int) -> tuple[str, list[str]]:
    base = 50_000 + sum(map(ord, account.slug)) * 100 + number
    body = texts.paragraphs(base, 11)[:3]
    for index, sentence, _rule, _text in account.planted:
        if index == number:
            body.append(sentence)
    return texts.title("news", base, 11, date(2024, 1, 1)), body


def post_page(account: AccountSpec, number: int, as_of: date) -> str | None:
    if not 0 <= number < POSTS:
        return None
    title, body = _post_text(account, number)
    paras = "".join(f"<p>{escape(p)}</p>" for p in body)
    when = account.post_time(number, as_of)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}'
            f'</title></head><body><h1>{escape(title)}</h1><div class="meta">{account.name}　'
            f'发布时间：{when:%Y-%m-%d %H:%M}</div><div class="content">{paras}</div></body></html>')


def mirror(account: AccountSpec, base: str, as_of: date) -> tuple[str, str]:
    """(body, content type) of the account's mirror page or feed."""
    posts = [(n, *_post_text(account, n), account.post_time(n, as_of)) for n in range(POSTS)]
    if account.style == "rss":
        items = "".join(
            f"<item><title>{escape(t)}</title><link>{base}{account.post_path(n)}</link>"
            f"<guid>{base}{account.post_path(n)}</guid><pubDate>{format_datetime(w)}</pubDate>"
            f"<description>{escape(b[0])}</description></item>" for n, t, b, w in posts)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'
                f"{account.name}</title><link>{base}{account.mirror_path}</link><description>"
                f"{account.name}公众号文章</description>{items}</channel></rss>",
                "application/rss+xml; charset=utf-8")
    if account.style == "atom":
        entries = "".join(
            f'<entry><title>{escape(t)}</title><link href="{base}{account.post_path(n)}"/>'
            f"<id>{base}{account.post_path(n)}</id><updated>{w.isoformat()}</updated>"
            f"<summary>{escape(b[0])}</summary></entry>" for n, t, b, w in posts)
        updated = posts[0][3].isoformat()
        return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>{account.name}</title><id>{base}{account.mirror_path}</id>"
                f"<updated>{updated}</updated>{entries}</feed>",
                "application/atom+xml; charset=utf-8")
    if account.style == "html":
        rows = "".join(f'<li><a href="{account.post_path(n)}">{escape(t)}</a>'
                       f'<span class="date">{w:%Y-%m-%d}</span></li>' for n, t, _b, w in posts)
        listing = f'<ul class="list">{rows}</ul>'
    else:
        listing = ('<ul class="list" id="posts"></ul><script>fetch("posts.json").then(function(r)'
                   '{return r.json();}).then(function(d){var ul=document.getElementById("posts");'
                   'd.items.forEach(function(it){var li=document.createElement("li");'
                   'li.innerHTML=\'<a href="\'+it.url+\'"></a><span class="date"></span>\';'
                   'li.firstChild.textContent=it.title;li.lastChild.textContent=it.date;'
                   "ul.appendChild(li);});});</script>")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{account.name}'
            f"</title></head><body><h1>{account.name}</h1>{listing}</body></html>",
            "text/html; charset=utf-8")


def posts_json(account: AccountSpec, as_of: date) -> str:
    items = [{"title": _post_text(account, n)[0], "url": account.post_path(n),
              "date": f"{account.post_time(n, as_of):%Y-%m-%d}"} for n in range(POSTS)]
    return json.dumps({"items": items}, ensure_ascii=False)
