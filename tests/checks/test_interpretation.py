"""Policy documents and interpretations: pairing by link, 文号 and title; working-day dates."""

from __future__ import annotations

from datetime import date

from checks.interpretation import core_title, document_number, interpretation_form, pair
from checks.model import Column, Document, Entry
from checks.runner import run_checks
from checks.workdays import working_days_between

from .builders import HOME, SETTINGS, site

AS_OF = date(2023, 12, 20)
POLICY = "关于印发《安居区促进消费若干措施》的通知"


def _policy(published: date, title: str = POLICY, n: int = 1) -> Entry:
    return Entry(title, f"{HOME}zcwj/{n}.html", published)


def _interp(published: date, title: str, n: int = 1) -> Entry:
    return Entry(title, f"{HOME}zcjd/{n}.html", published)


def _site(policies: list[Entry], interps: list[Entry], links: tuple[tuple[str, str, str], ...] = (),
          documents: tuple[Document, ...] = ()) -> object:
    return site(columns=(Column(f"{HOME}zcwj/", "政策文件", False, tuple(policies)),
                         Column(f"{HOME}zcjd/", "政策解读", False, tuple(interps))),
                page_links=links, documents=documents)


def _rules(snapshot: object, as_of: date = AS_OF) -> list[str]:
    return sorted(f.rule for f in run_checks(snapshot, SETTINGS, as_of)  # type: ignore[arg-type]
                  if f.rule.startswith("interpretation-"))


def test_document_numbers_in_their_variants() -> None:
    assert document_number("青政发〔2023〕5号") == "青政发〔2023〕5号"
    assert document_number("青政发[2023]5号") == "青政发〔2023〕5号"
    assert document_number("青政发（2023）第05号") == "青政发〔2023〕5号"
    assert document_number("关于印发若干措施的通知青政发〔2023〕5号") == "青政发〔2023〕5号"
    assert document_number("安居区人民政府公告2023年第3号") == "2023年第3号"
    assert document_number("没有文号的通知") is None


def test_core_title_drops_the_wrapper_and_brackets() -> None:
    assert core_title(POLICY) == "安居区促进消费若干措施"
    assert core_title("安居区人民政府办公室关于加强城市管理的意见") == "加强城市管理"
    assert core_title("关于公布2023年行政许可事项清单的通知") == "2023年行政许可事项清单"


def test_forms_from_title_and_media() -> None:
    assert interpretation_form("一图读懂《若干措施》") == "image"
    assert interpretation_form("视频解读：若干措施") == "video"
    assert interpretation_form("《若干措施》政策解读") == "text"
    assert interpretation_form("《若干措施》政策解读", frozenset({"video"})) == "video"


def test_interpretation_linked_from_the_document_page() -> None:
    policy = _policy(date(2023, 9, 1))
    linked = Entry("答记者问", f"{HOME}news/qa.html", date(2023, 9, 1))  # not in the 解读 column
    snapshot = site(columns=(Column(f"{HOME}zcwj/", "政策文件", False, (policy,)),),
                    page_links=((policy.url, linked.url, "a"),),
                    documents=(Document(linked.url, "page", "《若干措施》问答", "", date(2023, 9, 1)),))
    assert _rules(snapshot) == []
    assert pair(snapshot)[0].interpretation.how == "link"  # type: ignore[arg-type,union-attr]


def test_interpretation_found_by_number_only_is_unlinked() -> None:
    policy = _policy(date(2023, 9, 1), "安居区人民政府关于印发实施方案的通知（安府发〔2023〕12号）")
    interp = _interp(date(2023, 9, 4), "安府发[2023]12号文件解读")
    found = pair(_site([policy], [interp]))  # type: ignore[arg-type]
    assert found[0].interpretation is not None and found[0].interpretation.how == "number"
    assert _rules(_site([policy], [interp])) == ["interpretation-unlinked"]
    back = ((interp.url, policy.url, "a"),)  # the interpretation links its original: fine
    assert _rules(_site([policy], [interp], back)) == []


def test_interpretation_found_by_title_only_with_other_punctuation() -> None:
    policy = _policy(date(2023, 9, 1))
    interp = _interp(date(2023, 9, 1), "图解：安居区 促进消费若干措施")
    found = pair(_site([policy], [interp]))  # type: ignore[arg-type]
    assert found[0].interpretation is not None and found[0].interpretation.how == "title"
    assert found[0].interpretation.form == "image"
    assert _rules(_site([policy], [interp], ((policy.url, interp.url, "a"),))) == []


def test_interpretation_late_counts_working_days_over_national_day() -> None:
    # 2023-09-28 (Thu) to 2023-10-10: 29 Sep - 6 Oct are holidays, 7 and 8 Oct working days
    assert working_days_between(date(2023, 9, 28), date(2023, 10, 10)) == 4
    policy = _policy(date(2023, 9, 28))
    on_time = _interp(date(2023, 10, 7), "《安居区促进消费若干措施》政策解读")
    late = _interp(date(2023, 10, 10), "《安居区促进消费若干措施》政策解读")
    link = ((policy.url, on_time.url, "a"),)
    assert _rules(_site([policy], [on_time], link)) == []
    assert _rules(_site([policy], [late], ((policy.url, late.url, "a"),))) == ["interpretation-late"]


def test_interpretation_missing_too_recent_and_older_than_window() -> None:
    missing = _policy(date(2023, 11, 1))
    assert _rules(_site([missing], [])) == ["interpretation-missing"]
    # 2023-12-15 (Fri) to 2023-12-20 (Wed): 3 working days, not more: too recent to judge
    assert _rules(_site([_policy(date(2023, 12, 15))], [])) == []
    assert _rules(_site([_policy(date(2023, 12, 14))], [])) == ["interpretation-missing"]
    assert _rules(_site([_policy(date(2022, 12, 19))], [])) == []  # 366 days: out of the window
    # an interpretation column's entry is not itself a policy document
    assert _rules(_site([], [_interp(date(2023, 11, 1), "某某解读")])) == []


def test_written_date_and_number_from_the_page() -> None:
    policy = _policy(date(2023, 11, 1), "关于加强城市管理的意见")
    page = Document(policy.url, "page", policy.title,
                    "安府办发〔2023〕7号\n成文日期：2023-10-20\n发布日期：2023-11-01", date(2023, 11, 1))
    found = [f for f in run_checks(_site([policy], [], documents=(page,)), SETTINGS, AS_OF)  # type: ignore[arg-type]
             if f.rule == "interpretation-missing"]
    assert found[0].evidence["number"] == "安府办发〔2023〕7号"
    assert found[0].evidence["written"] == "2023-10-20"


def test_a_link_to_the_interpretation_column_itself_is_no_interpretation() -> None:
    policy = _policy(date(2023, 9, 1))
    column_page = Document(f"{HOME}zcjd/", "page", "政策解读", "", date(2023, 12, 1))
    snapshot = _site([policy], [], ((policy.url, column_page.url, "a"),), (column_page,))
    assert _rules(snapshot) == ["interpretation-missing"]
