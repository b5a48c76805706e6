"""Each guard protects its span and leaves ordinary text alone."""

from __future__ import annotations

import pytest

from checks.typo.guards import protected


def shown(text: str, names: frozenset[str] = frozenset()) -> str:
    mask = protected(text, names)
    return "".join(ch if flag else "_" for ch, flag in zip(text, mask, strict=True))


@pytest.mark.parametrize(("text", "kept"), [
    ("市委书记王小明主持会议。", "王小明"),  # after a title
    ("刘建国同志出席会议。", "刘建国"),  # before a title
    ("根据浙政办发〔2023〕12号文件精神", "浙政办发〔2023〕12号"),  # 文号 and its abbreviation
    ("合计人民币壹万贰仟元整", "壹万贰仟元整"),  # 大写数字
    ("由杭州某某科技有限公司承建", "由杭州某某科技有限公司"),  # company
    ("城南街道幸福社区召开会议", "城南|幸福"),  # settlements
    ("地址：中山路12号", "中山路"),  # street with a number
    ("绕行锡澄路、澄张线-滨江东路", "锡澄路|澄张线|滨江东路"),  # roads of a route
    ("推荐阅读《平凡的世界》", "平凡的世界"),  # title of a work
    ("前往博视眼科医院就诊", "博视"),  # clinic's trade name
])
def test_guard_protects(text: str, kept: str) -> None:
    got = shown(text)
    for part in kept.split("|"):
        assert part in got, got


def test_official_document_titles_and_running_text_stay_checkable() -> None:
    text = "印发《关于进一步优化营商环境的实施意见》，要求各地认真抓好落实。"
    assert set(shown(text)) == {"_"}


def test_gazetteer_names_are_protected() -> None:
    assert "张家港" in shown("张家港市召开大会", frozenset({"张家港"}))
    assert set(shown("张家港市召开大会")) <= {"_", "张", "家", "港", "市"}
