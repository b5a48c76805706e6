"""The demo site group: a district government's websites and accounts with planted problems.

``DemoSite`` serves, on 127.0.0.1 threads (HTTP/1.1 keep-alive), five ports:

- ``portal`` (云溪区人民政府门户网站) and ``dept`` (云溪区教育局网站): two configured sites with
  news, notice/policy and must-update columns, pagination (index.html, index_1.html … with
  下一页), a GBK column (list page says ``charset=gbk`` in the header; its articles say it
  only in ``<meta>``), a column filled by JavaScript from ``/zcjd/list.json``, a 领导信箱,
  attachments (DOCX, XLSX, PDF), static pages, robots.txt and a custom 404 page;
- ``external``: out-of-scope targets (fine, 403 bot blocking, 429, 503, slow, too slow);
- ``mirrors``: account mirrors (RSS 2.0, Atom, HTML list, JS-rendered list) and post pages;
- ``closed``: a bound, never-listening port, so connecting to it is refused.

Everything is generated on the fly from ``(as_of, seed, state)``: dates are relative to
``as_of`` (a patrol ``--as-of`` that day reproduces the manifest), articles are a pure
function of their id, so ``articles=20000`` starts as fast as 300. ``set_state`` switches
live between ``initial``, ``fixed`` (the 404 link removed, the typo corrected, the phone
masked, the blank 规划计划 column filled; one new problem: an outdated term 环保局 in a
recent 要闻), ``regressed`` (like fixed, with the typo back) and ``attacked`` (like fixed,
after a break-in: links hidden by a class of the homepage's own ``<style>``, gambling spam in
a 要闻 body, a partner link whose domain is now parked (域名出售), a script from a host no
earlier patrol saw, and a homepage that redirects Baiduspider off-site; each security rule
fires once per plant; ``security-script-changed`` needs an earlier patrol in the same
database, so patrol another state first). Demo handlers see the request's User-Agent.

Manifest conventions (``DemoSite.manifest()``), one dict per finding, in the findings
JSON shape of RULES.md with only the identifying fields:

- keys: ``rule``, ``severity``, ``site`` or ``account`` (configured name), ``url``, plus
  ``target`` (link rules, the absolute resolved URL), ``column`` (column rules, the
  column's name as in the navigation and page title), ``text`` (wording: the lexicon term
  as matched; privacy: the number masked with ``*`` per RULES.md, e.g. ``330106********1231``,
  ``139****5678``, ``622202******7894``). No ``message``/``evidence``/``suggestion``.
- ``url``: for a link finding the first page (sorted as strings) that links the target,
  so a target in the portal template (``/images/wza.png``) is ONE finding at the
  homepage; for column findings the column's first page (``/slug/index.html``); for
  site-level findings (homepage-stale, columns-veto, site-identity) the homepage; for a
  problem in an attachment the attachment's URL; for a letter its detail page; for
  account-level findings the mirror URL; for a post the post's own page.
- Each planted term/number appears once, in one article body (never in a title, so list
  pages and the homepage stay clean). Traps (must NOT be reported): 国家工商行政管理总局 in a
  2017 政策文件 article; an 18-digit number failing GB 11643; a landline; a 25-digit run
  containing a mobile-like substring; a 16-digit non-Luhn number; an article saying
  "404件"; a 1 s slow page; 部门动态 updated exactly 14 days ago; a reply after 80 days; a
  letter older than 365 days; an account last posting exactly 10 days ago; an external
  403 only as link-suspect.
- Sorted by (rule, site|account, url, target, column, text).
- ``as_of`` must be 2020-01-01 or later (the outdated-term trap is fixed on 2017-09-01).
"""

from xunwang.demo.site import STATES, DemoSite

__all__ = ["STATES", "DemoSite"]
