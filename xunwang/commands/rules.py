"""``xunwang rules``: the rule catalogue, and one rule's full explanation."""

from __future__ import annotations

import unicodedata

import click

from checks.model import SEVERITY_LABELS
from checks.registry import RULES, rule


def _pad(text: str, width: int) -> str:
    """Pad to a terminal width: CJK characters take two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def register(group: click.Group) -> None:
    group.add_command(rules)


@click.command()
@click.option("--explain", "explain", metavar="ID", default=None,
              help="显示一条规则的完整说明。")
def rules(explain: str | None) -> None:
    """列出全部规则：编号、严重程度、指标、名称。

    示例：

        xunwang rules
        xunwang rules --explain homepage-stale
    """
    if explain:
        found = rule(explain)
        click.echo(f"{found.id}  {SEVERITY_LABELS[found.severity]}（{found.severity}）  "
                   f"指标：{found.indicator}  {found.title}\n")
        click.echo(found.doc)
        return
    width = max(len(r.id) for r in RULES)
    click.echo(f"{_pad('编号', width)}  {_pad('严重程度', 18)}  {_pad('指标', 14)}  名称")
    for item in RULES:
        label = f"{SEVERITY_LABELS[item.severity]}（{item.severity}）"
        click.echo(f"{item.id:<{width}}  {_pad(label, 18)}  {_pad(item.indicator, 14)}  {item.title}")
