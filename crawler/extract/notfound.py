"""Soft 404s: error wording, and similarity to the site's own not-found page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html

from crawler.extract.layout import collapse

_GONE = r"(?:页面|网页|文章|信息|内容|资源|文件|稿件|链接|栏目)(?:已|已经)?(?:被)?(?:删除|不存在|失效|下线|撤销|过期|找不到|未找到)"
# Conservative on purpose: an error_like page is dropped by the spider as a soft 404.
_ERROR_TITLE = re.compile(
    rf"\b(?:404|403|500|502|503)\b|not\s*found|forbidden|internal\s*server\s*error|{_GONE}"
    r"|找不到(?:该|此|您要的|你要的)?(?:页面|网页)|页面出错|出错了|错误页|访问出错|系统错误|服务器错误|禁止访问|无权访问|访问受限",
    re.I,
)
_ERROR_BODY = re.compile(
    rf"{_GONE}|找不到(?:该|此|您|你)?(?:要|所)?(?:访问|请求|查找)?的?(?:页面|网页|内容|资源)"
    r"|404\s*(?:not\s*found|错误|页面)|not\s*found|抱歉.{0,10}(?:不存在|找不到|无法访问)"
    r"|您(?:所)?访问的(?:页面|网页|地址)(?:不存在|已|出错|有误)",
    re.I,
)
_SHORT_BODY = 600
_CONTENT_LIKE = 2000  # a probe answer this long without error wording is real content
_NORMALISE = re.compile(r"[\s\d\W_]+", re.UNICODE)
SHINGLE = 4
THRESHOLD = 0.8


def _says_error(line: str) -> bool:
    """A title or heading that is an error message, not one that mentions an error."""
    for part in re.split(r"\s*[-_|｜—–:：]+\s*", line):
        m = _ERROR_TITLE.search(part)
        if m and len(m.group(0)) * 2 >= len(part.strip()):
            return True
    return False


def looks_like_error(root: html.HtmlElement, title: str, text: str, *, article: bool = False) -> bool:
    """True when the title, the h1 or a short body reads like an error page.

    Conservative: the spider drops such a page as a soft 404. ``article`` (the page shows a
    发布日期 label) keeps a short notice that mentions 链接失效 from counting by its body.
    """
    if len(text) > 3 * _SHORT_BODY:
        return False
    h1 = next(root.iter("h1"), None)
    heading = collapse(h1.text_content()) if h1 is not None else ""
    if _says_error(title) or (heading and _says_error(heading)):
        return True
    if article:
        return False
    m = _ERROR_BODY.search(text)
    return m is not None and (len(text) <= 150 or m.start() < 120)


def _shingles(title: str, text: str) -> frozenset[str]:
    flat = _NORMALISE.sub("", f"{title} {text}")
    if len(flat) <= SHINGLE:
        return frozenset({flat}) if flat else frozenset()
    return frozenset(flat[i: i + SHINGLE] for i in range(len(flat) - SHINGLE + 1))


@dataclass(frozen=True)
class NotFoundProfile:
    """What a site's own not-found page looks like (character shingles of title + text).

    Many sites answer an unknown URL with their homepage (a redirect or a 200 copy). A probe
    that reads like real content - long, with no error wording - gives an unusable profile
    that matches nothing, or every fetch of the homepage would count as a soft 404.
    """

    title: str
    shingles: frozenset[str]
    threshold: float = THRESHOLD
    usable: bool = True

    @classmethod
    def from_page(cls, title: str, text: str) -> NotFoundProfile:
        wording = bool(_ERROR_TITLE.search(title) or _ERROR_BODY.search(text[:5000]))
        return cls(
            title=title.strip(), shingles=_shingles(title, text[:20000]),
            usable=wording or len(text) <= _CONTENT_LIKE,
        )

    def similarity(self, title: str, text: str) -> float:
        other = _shingles(title, text[:20000])
        if not self.shingles or not other:
            return 1.0 if self.shingles == other and title.strip() == self.title else 0.0
        return len(self.shingles & other) / len(self.shingles | other)

    def matches(self, title: str, text: str) -> bool:
        """True when the page is (nearly) the site's not-found page."""
        return self.usable and self.similarity(title, text) >= self.threshold
