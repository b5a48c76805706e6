"""Letters (领导信箱/留言/来信/咨询): asked and replied dates and status, on detail and list pages."""

from __future__ import annotations

import re
from datetime import date

from lxml import html

from crawler.extract.dates import scan_dates
from crawler.extract.layout import collapse
from crawler.extract.model import LetterInfo
from crawler.extract.references import normalise_url

_ASK = re.compile(r"(?:来信|留言|提问|写信|咨询|投诉|发信|信件|来件)(?:时间|日期)")
# generic labels ("提交时间") count only on a page that is about letters
_ASK_LOOSE = re.compile(r"(?:提交|诉求|反映|受理|登记)(?:时间|日期)")
_LETTER_WORDS = re.compile(r"来信|信件|留言|咨询|投诉|回复|答复|诉求")
_REPLY = re.compile(r"(?:回复|答复|办理|处理|回信|办结|反馈)(?:时间|日期)")
STATUS = re.compile(
    r"已回复|已答复|已办结|已处理|已反馈|未回复|未答复|未办结|未处理|办理中|处理中|正在办理|待回复|待处理|待办理|已受理|未受理"
)
_TITLE_HEAD = re.compile(r"标题|主题|事项|内容|名称")
_STATUS_HEAD = re.compile(r"状态|是否回复|回复情况|办理情况")
_LETTER_PAGE = re.compile(r"信箱|留言|来信|咨询|投诉|诉求|问政|互动|letter|mailbox|liuyan|xinxiang", re.I)
_LABEL_TAIL = r"[\s:：]{0,8}"
_REPLY_WORD = re.compile(r"(?:回复|答复|办理|处理)(?:内容|意见|单位|结果|情况)")


def _after(label: re.Pattern[str], text: str, as_of: date | None) -> date | None:
    for m in label.finditer(text):
        window = text[m.end(): m.end() + 40]
        window = re.sub(rf"^{_LABEL_TAIL}", "", window)
        dates, _ = scan_dates(window[:24], as_of=as_of)
        if dates:
            return dates[0]
    return None


def _detail(url: str, title: str, text: str, as_of: date | None, letter_page: bool) -> LetterInfo | None:
    """The letter of a detail page: it needs an asked date and a sign of handling."""
    asked = _after(_ASK, text, as_of)
    if asked is None and letter_page:
        asked = _after(_ASK_LOOSE, text, as_of)
    if asked is None:
        return None
    replied = _after(_REPLY, text, as_of)
    status = STATUS.search(text)
    if status is None and replied is None and not _REPLY_WORD.search(text):
        return None  # an ordinary page that happens to mention 咨询时间 is not a letter
    label = status.group(0) if status else ("已回复" if replied else "")
    return LetterInfo(url=url, title=title, asked=asked, replied=replied, status=label)


def _header_map(cells: list[str], letter_page: bool) -> dict[str, int]:
    """Column indexes of a letter table's header row; {} when it is not one."""
    if not letter_page and not any(_LETTER_WORDS.search(cell) for cell in cells):
        return {}
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        generic = cell in ("时间", "日期") or bool(_ASK_LOOSE.search(cell))
        if "asked" not in found and (_ASK.search(cell) or generic):
            found["asked"] = i
        elif "replied" not in found and _REPLY.search(cell):
            found["replied"] = i
        elif "status" not in found and (_STATUS_HEAD.search(cell)):
            found["status"] = i
        elif "title" not in found and _TITLE_HEAD.search(cell):
            found["title"] = i
    return found


def _cell_date(cells: list[str], index: int | None, as_of: date | None) -> date | None:
    if index is None or index >= len(cells):
        return None
    dates, _ = scan_dates(cells[index], as_of=as_of)
    return dates[0] if dates else None


def _table_letters(
    table: html.HtmlElement, base: str, as_of: date | None, letter_page: bool
) -> list[LetterInfo]:
    rows = list(table.iter("tr"))
    letters: list[LetterInfo] = []
    columns: dict[str, int] = {}
    index = 0
    for index, tr in enumerate(rows[:3]):  # noqa: B007 - index used after the loop
        columns = _header_map(
            [collapse(c.text_content()) for c in tr if c.tag in ("td", "th")], letter_page
        )
        if "asked" in columns and {"replied", "status"} & columns.keys():
            break
    else:
        return []
    for tr in rows[index + 1:]:
        cells = [collapse(c.text_content()) for c in tr if c.tag in ("td", "th")]
        links = [a for a in tr.iter("a") if a.get("href")]
        if not links:
            continue
        url = normalise_url(links[0].get("href", ""), base)
        if url is None:
            continue
        title = collapse(links[0].get("title") or links[0].text_content())
        status_cell = cells[columns["status"]] if columns.get("status", 99) < len(cells) else ""
        replied = _cell_date(cells, columns.get("replied"), as_of)
        status = STATUS.search(status_cell) or STATUS.search(" ".join(cells))
        letters.append(LetterInfo(
            url=url, title=title, asked=_cell_date(cells, columns["asked"], as_of), replied=replied,
            status=status.group(0) if status else (status_cell or ("已回复" if replied else "")),
        ))
    return letters


def _row_letters(root: html.HtmlElement, base: str, as_of: date | None) -> list[LetterInfo]:
    """Rows outside tables (li/dd/div) carrying a link, a date and a status word."""
    letters: list[LetterInfo] = []
    for row in root.iter("li", "dd", "dl"):
        text = collapse(row.text_content()).replace("\n", " ")
        status = STATUS.search(text)
        if status is None or len(text) > 300:
            continue
        link = next((a for a in row.iter("a") if a.get("href")), None)
        dates, _ = scan_dates(text, as_of=as_of)
        url = normalise_url(link.get("href", ""), base) if link is not None else None
        if link is None or url is None or not dates:
            continue
        title = collapse(link.get("title") or link.text_content())
        replied = dates[1] if len(dates) > 1 else None
        letters.append(LetterInfo(url, title, dates[0], replied, status.group(0)))
    return letters


_CHROME = re.compile(r"logo|header|head\b|top|banner|nav|menu|site-?name", re.IGNORECASE)


def _subject(root: html.HtmlElement) -> str:
    """The letter's subject: the first heading that is not the site's banner or logo."""
    for heading in root.iter("h1", "h2", "h3"):
        chrome = any(
            _CHROME.search(f"{el.get('class', '')} {el.get('id', '')}")
            for el in (heading, *heading.iterancestors())
        )
        text = collapse(heading.text_content())
        if text and not chrome:
            return text
    return ""


def find_letters(
    root: html.HtmlElement, base: str, *, url: str, title: str, text: str, as_of: date | None
) -> tuple[LetterInfo, ...]:
    """Letters on this page: rows of a letter list, else the single letter of a detail page."""
    letter_page = bool(_LETTER_PAGE.search(title) or _LETTER_PAGE.search(url))
    letters: list[LetterInfo] = []
    for table in root.iter("table"):
        letters.extend(_table_letters(table, base, as_of, letter_page))
    if not letters and letter_page:
        letters = _row_letters(root, base, as_of)
    if not letters:
        single = _detail(url, _subject(root) or title, text, as_of, letter_page)
        if single is not None:
            letters.append(single)
    return tuple({letter.url: letter for letter in letters}.values())
