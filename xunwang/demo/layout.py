"""The HTML shell of the two demo sites: head, navigation and the footer with site identity."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape

from xunwang.demo.columns import DEPT, PORTAL, Catalog

CSS = b"body{font-family:sans-serif;margin:0}.nav a{margin:0 8px}.list li{list-style:none}"
# A 1x1 transparent PNG: the badge images must be real, fetchable images.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@dataclass(frozen=True)
class SiteLook:
    """What differs between the portal and the department site."""

    key: str
    name: str
    sponsor: str
    gongan: bool
    template_broken_img: bool


LOOKS = {
    PORTAL: SiteLook(PORTAL, "云溪区人民政府门户网站", "云溪区人民政府办公室", True, True),
    DEPT: SiteLook(DEPT, "云溪区教育局", "云溪区教育局", False, False),
}
STATIC_PAGES = {"/jgjj.html": "机构简介", "/lxwm.html": "联系我们"}


@lru_cache(maxsize=64)
def nav(catalog: Catalog, site: str) -> str:
    links = ['<a href="/">首页</a>']
    links += [f'<a href="/{c.slug}/index.html">{c.name}</a>' for c in catalog.site_columns(site)]
    if site == PORTAL:
        links.append('<a href="/ldxx/index.html">领导信箱</a>')
    links += [f'<a href="{path}">{name}</a>' for path, name in STATIC_PAGES.items()]
    return '<div class="nav">' + "".join(links) + "</div>"


@lru_cache(maxsize=64)
def footer(look: SiteLook, external: str) -> str:
    gongan = (
        '<img src="/images/gongan.png" alt="公安备案图标">浙公网安备 33010602001234号'
        if look.gongan else ""
    )
    wza = '<img src="/images/wza.png" alt="无障碍浏览">' if look.template_broken_img else ""
    site_code = "3301060001" if look.key == PORTAL else "3301060012"
    icp = "浙ICP备12034567号-1" if look.key == PORTAL else "浙ICP备12034567号-3"
    return (
        '<div class="footer">'
        f"<p>主办：{look.sponsor}　承办：云溪区大数据发展管理局</p>"
        "<p>地址：云溪区府前路1号　邮编：310000　联系电话：0571-88001234</p>"
        f'<p>网站标识码：{site_code}　<a href="{external}beian/">{icp}</a>　{gongan}</p>'
        f'<p><a href="{external}conac/?sid={site_code}"><img src="/images/dzjg.png" '
        f'alt="党政机关网站标识" title="党政机关"></a>{wza}</p>'
        "</div>"
    )


def document(look: SiteLook, catalog: Catalog, external: str, *, title: str, body: str,
             head: str = "", charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="{charset}">'
        f"<title>{escape(title)}</title>{head}"
        '<link rel="stylesheet" href="/css/main.css"></head><body>'
        f'<div class="header"><a href="/"><h1 class="logo">{look.name}</h1></a></div>'
        f"{nav(catalog, look.key)}<div class=\"main\">{body}</div>"
        f"{footer(look, external)}</body></html>"
    )


def breadcrumb(*parts: tuple[str, str]) -> str:
    links = ['<a href="/">首页</a>'] + [
        f'<a href="{href}">{escape(text)}</a>' if href else escape(text) for href, text in parts
    ]
    return '<div class="position">当前位置：' + " &gt; ".join(links) + "</div>"
