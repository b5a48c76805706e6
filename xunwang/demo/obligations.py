"""The demo's content-obligation cases: policy documents, their interpretations, a report.

Portal 政策文件 entries 0-2 (the ones of the last 365 days) get fixed titles: entry 0 is
interpreted by 政策解读 entry 0 named by its title (一图读懂《…》), entry 1 by 政策解读 entry 1
named by its 文号 (云政发〔Y〕3号), entry 2 by nothing. Neither pair links the other and the
interpretations come weeks later: late + unlinked twice, missing once. The portal's 年报
column holds last year's 政府信息公开工作年度报告, whose overview restates one number wrongly
(办结 41 件; the table says 42): one annual-report-inconsistent. The education bureau (a
department) publishes no report: annual-report-missing once its deadline (31 January) passed.
"""

from __future__ import annotations

from datetime import date

from xunwang.demo.columns import PORTAL, ColumnSpec

REPORT_SLUG = "nb"
REPORT_KEY = "正文|办结|0"  # the finding's ``text``: the restated number that is wrong
POLICY_TITLES = (
    "云溪区人民政府关于印发《云溪区促进消费十条措施》的通知",
    "云溪区人民政府关于加强城市精细化管理的意见（云政发〔{year}〕3号）",
    "云溪区人民政府办公室关于做好春季森林防火工作的通知",
)
READING_TITLES = ("一图读懂《云溪区促进消费十条措施》", "云政发〔{year}〕3号文件解读")


def report_title(day: date) -> str:
    return f"云溪区{day.year - 1}年政府信息公开工作年度报告"


def title_for(column: ColumnSpec, index: int, day: date, policy_day: date | None) -> str | None:
    """A fixed title for the planted entries; None for every other (generated) one."""
    if column.site != PORTAL:
        return None
    if column.slug == "zcwj" and index < len(POLICY_TITLES):
        return POLICY_TITLES[index].format(year=day.year)
    if column.slug == "zcjd" and index < len(READING_TITLES) and policy_day is not None:
        return READING_TITLES[index].format(year=policy_day.year)
    if column.slug == REPORT_SLUG and index == 0:
        return report_title(day)
    return None


_APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_ROWS = (
    ("一、本年新收政府信息公开申请数量", "", "", (40, 2, 0, 0, 1, 1, 44)),
    ("二、上年结转政府信息公开申请数量", "", "", (3, 0, 0, 0, 0, 0, 3)),
    ("三、本年度办理结果", "（一）予以公开", "", (20, 1, 0, 0, 0, 1, 22)),
    ("三、本年度办理结果", "（二）部分公开", "", (5, 0, 0, 0, 0, 0, 5)),
    ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", (1, 0, 0, 0, 0, 0, 1)),
    ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息", (8, 1, 0, 0, 1, 0, 10)),
    ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请", (4, 0, 0, 0, 0, 0, 4)),
    ("三、本年度办理结果", "（七）总计", "", (38, 2, 0, 0, 1, 1, 42)),
    ("四、结转下年度继续办理", "", "", (5, 0, 0, 0, 0, 0, 5)),
)
_REVIEWS = (2, 1, 0, 0, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)


def report_body(year: int) -> str:
    """The report's content: sections 一 to 六, tables with merged cells, one wrong number."""
    head = ('<table border="1"><tr><td rowspan="2" colspan="3"></td><th colspan="7">申请人情况</th></tr>'
            "<tr>" + "".join(f"<th>{a}</th>" for a in _APPLICANTS) + "</tr>")
    rows = []
    results = sum(1 for r in _ROWS if r[0].startswith("三"))
    for index, (top, middle, low, values) in enumerate(_ROWS):
        cells = ""
        if not middle:
            cells = f'<td colspan="3">{top}</td>'
        else:
            if _ROWS[index - 1][0] != top:
                cells += f'<td rowspan="{results}">{top}</td>'
            cells += f"<td>{middle}</td><td>{low}</td>" if low else f'<td colspan="2">{middle}</td>'
        rows.append("<tr>" + cells + "".join(f"<td>{v}</td>" for v in values) + "</tr>")
    reviews = ('<table border="1"><tr><th colspan="5" rowspan="2">行政复议</th><th colspan="10">行政诉讼</th></tr>'
               '<tr><th colspan="5">未经复议直接起诉</th><th colspan="5">复议后起诉</th></tr>'
               "<tr>" + "<th>结果维持</th><th>结果纠正</th><th>其他结果</th><th>尚未审结</th><th>总计</th>" * 3
               + "</tr><tr>" + "".join(f"<td>{v}</td>" for v in _REVIEWS) + "</tr></table>")
    paragraphs = (
        "一、总体情况",
        f"{year}年，云溪区全年共收到政府信息公开申请44件，上年结转3件，办结41件，结转下年度继续办理5件。",
        "二、主动公开政府信息情况",
        "全年主动公开政府信息2316条，其中规范性文件5件。",
        "三、收到和处理政府信息公开申请情况",
    )
    tail = (
        "四、政府信息公开行政复议、行政诉讼情况",
        "REVIEWS",
        "五、存在的主要问题及改进情况",
        "政策解读形式较为单一，多以文字形式发布；下一步将增加图解、视频解读。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。政务公开工作纳入年度绩效考核，开展社会评议1次，未发生责任追究情况。",
    )
    parts = [f"<p>{p}</p>" for p in paragraphs] + [head + "".join(rows) + "</table>"]
    parts += [reviews if p == "REVIEWS" else f"<p>{p}</p>" for p in tail]
    return "".join(parts)
