"""``xunwang check-text`` over real files made here: text, HTML, .docx, .pdf and stdin."""

from __future__ import annotations

import json
from pathlib import Path

import docx
from click.testing import CliRunner

from crawler.extract.draft import read_draft
from xunwang.cli import main
from xunwang.demo import attachments

AS_OF = ["--as-of", "2026-12-01"]


def _run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check-text", *args, *AS_OF], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF (Helvetica text lines)."""
    ops = ["BT", "/F1 12 Tf", "72 720 Td", "14 TL", *(f"({line}) Tj T*" for line in lines), "ET"]
    return attachments.pdf_of("\n".join(ops).encode())


def test_text_file_json_has_file_line_column_and_exit_0(tmp_path: Path) -> None:
    draft = tmp_path / "通知.txt"
    draft.write_text("关于开展检查的通知\n近日中华人民共合国发布，请按装。\n", encoding="utf-8")
    code, out, _ = _run(str(draft), "--json")
    assert code == 0
    found = json.loads(out)
    assert [(f["rule"], f["line"], f["column"]) for f in found] == [
        ("wording-severe", 2, 3), ("wording-typo", 2, 14)]
    assert all(f["file"] == str(draft) for f in found)
    assert found[1]["suggestion"] == "安装" and "【按装】" in found[1]["context"]


def test_readable_report_names_line_context_and_suggestion(tmp_path: Path) -> None:
    draft = tmp_path / "a.txt"
    draft.write_text("第一段。\n项目已按装完毕。", encoding="utf-8")
    code, out, _ = _run(str(draft))
    assert code == 0
    assert "第 2 行第 4 列" in out and "上下文：第一段。 项目已【按装】完毕。" in out and "建议：安装" in out
    clean = tmp_path / "b.txt"
    clean.write_text("本站今日正常发布通知。", encoding="utf-8")
    assert "未发现问题" in _run(str(clean))[1]


def test_html_counts_lines_in_its_extracted_text_one_block_a_line(tmp_path: Path) -> None:
    page = tmp_path / "draft.html"
    page.write_text("<html><head><title>通知</title><style>p{}</style></head><body>"
                    "<h1>关于 <b>检查</b> 的通知</h1><p>第一段。</p><p>近日<span>台湾总统</span>表示</p>"
                    "<script>var a='按装';</script></body></html>", encoding="utf-8")
    code, out, _ = _run(str(page), "--json")
    found = json.loads(out)
    assert code == 0 and [(f["rule"], f["line"], f["column"]) for f in found] == [
        ("wording-severe", 4, 3)]  # title, h1, p, p; the script is not text
    assert read_draft(page.read_bytes(), str(page))[0].splitlines()[3] == "近日台湾总统表示"


def test_docx_paragraphs_are_lines(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("关于补贴发放的公示")
    document.add_paragraph("领取人：李某，电话 13912345678。")
    document.add_paragraph("请各单位再接再励。")
    path = tmp_path / "公示.docx"
    document.save(str(path))
    code, out, _ = _run(str(path), "--json")
    found = json.loads(out)
    assert code == 0
    assert [(f["rule"], f["line"], f["column"], f["text"]) for f in found] == [
        ("privacy-phone", 2, 11, "139****5678"), ("wording-typo", 3, 5, "再接再励")]
    assert "13912345678" not in out


def test_pdf_text_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "list.pdf"
    path.write_bytes(_pdf(["Contact list", "Zhang 13812345678 office"]))
    code, out, _ = _run(str(path), "--json")
    found = json.loads(out)
    assert code == 0
    assert [(f["rule"], f["line"], f["column"]) for f in found] == [("privacy-phone", 2, 7)]


def test_stdin_is_dash_and_several_files_are_one_json_list(tmp_path: Path) -> None:
    other = tmp_path / "b.txt"
    other.write_text("按装", encoding="utf-8")
    code, out, _ = _run("-", str(other), "--json", stdin="台湾总统".encode())
    found = json.loads(out)
    assert code == 0 and [(f["file"], f["rule"]) for f in found] == [
        ("-", "wording-severe"), (str(other), "wording-typo")]


def test_fail_on_and_unreadable_input_exit_codes(tmp_path: Path) -> None:
    draft = tmp_path / "a.txt"
    draft.write_text("按装", encoding="utf-8")
    assert _run(str(draft), "--fail-on", "deduct")[0] == 1
    assert _run(str(draft), "--fail-on", "veto")[0] == 0
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("按装".encode("gbk"))
    code, out, err = _run(str(broken), str(gbk), str(draft), str(tmp_path / "missing.txt"))
    assert code == 2
    assert "broken.docx：附件无法读取" in err and "gbk.txt：不是 UTF-8 文本" in err
    assert "missing.txt：无法读取" in err
    assert "建议：安装" in out  # the readable file is still reported
    assert len(err.strip().splitlines()) == 3
