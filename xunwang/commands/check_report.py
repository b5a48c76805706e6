"""``xunwang check-report FILE``: an annual report checked before it is published.

The rules are ``checks.annual_report.check_report`` (the function ``check-text`` can call
for a document that looks like an annual report); reading the file is
``crawler.extract.tables.document_content``, the extraction a patrol uses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from checks.annual_report import check_report, looks_like_report, parse_report
from checks.model import SEVERITY_LABELS, Finding
from checks.registry import title
from core.errors import CheckError, FetchError
from crawler.extract.attachments import attachment_kind
from crawler.extract.tables import document_content

_KINDS = {"html": "html", "htm": "html", "shtml": "html", "xhtml": "html", "docx": "docx",
          "pdf": "pdf", "txt": "txt", "text": "txt", "md": "txt"}


def _kind(path: Path, body: bytes) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in _KINDS:
        return _KINDS[suffix]
    if body[:5] == b"%PDF-":
        return "pdf"
    if body[:2] == b"PK":
        return "docx"
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    kind = attachment_kind(path.name)
    if kind is not None and kind not in ("docx", "pdf", "txt"):
        raise CheckError(f"{path}: 不支持的文件类型 {kind}（支持 .html .docx .pdf .txt）")
    return "txt"


def read_report(path: Path) -> tuple[str, tuple[Any, ...]]:
    """The text and tables of a report file; CheckError in one line when it cannot be read."""
    try:
        body = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as error:
        raise CheckError(f"{path}: 无法读取文件（{error.strerror or error}）") from None
    try:
        return document_content(body, _kind(path, body))
    except FetchError as error:
        raise CheckError(f"{path}: {error}") from None


def register(group: click.Group) -> None:
    group.add_command(check_report_command)


def _line(finding: Finding) -> str:
    return f"  [{SEVERITY_LABELS[finding.severity]}] {title(finding.rule)}：{finding.message}"


@click.command("check-report")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(["government", "department"]), default=None,
              help="报告机关：government（人民政府，须写考核、评议、追究情况）或 department（部门）；"
                   "默认按 --name，未给出时按人民政府从严检查。")
@click.option("--name", default="", help="报告机关名称，如“某区人民政府”（用于判断 --kind）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出问题（每个问题一个对象）。")
def check_report_command(file: Path, kind: str | None, name: str, as_json: bool) -> None:
    """发布前检查政府信息公开工作年度报告（.html / .docx / .pdf / .txt）。

    核对 2021 年新格式第三、四部分表格的合计关系、正文复述的件数，以及条例第五十条要求的各
    部分是否齐全。发现问题也以 0 退出；文件无法读取时以 2 退出。

    示例：

        xunwang check-report 2023年报.docx
        xunwang check-report report.html --json
    """
    text, tables = read_report(file)
    findings = check_report(text, tables, kind=kind, name=name, url=str(file))  # type: ignore[arg-type]
    if as_json:
        click.echo(json.dumps([{**f.to_json(), "file": str(file)} for f in findings],
                              ensure_ascii=False, indent=2))
        return
    report = parse_report(text, tables)
    click.echo(f"{file}：")
    if not looks_like_report(text):
        click.echo("  注意：这份文件看起来不像政府信息公开工作年度报告。")
    if not report.found_applications:
        click.echo("  注意：未找到第三部分“收到和处理政府信息公开申请情况”表格，未核对其数字。")
    if not report.found_reviews:
        click.echo("  注意：未找到第四部分“行政复议、行政诉讼情况”表格，未核对其数字。")
    click.echo(f"  已核对 {len(report.relations)} 处数字关系。")
    if not findings:
        click.echo("  未发现问题。")
        return
    click.echo(f"  发现 {len(findings)} 个问题：")
    for finding in findings:
        click.echo(_line(finding))
