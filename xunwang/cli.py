"""The ``xunwang`` command line: thin click commands over library functions."""

from __future__ import annotations

import sys

import click

from core.errors import XunwangError
from xunwang import __version__
from xunwang.commands import (
    check_report,
    check_text,
    crawl,
    demo,
    demo_site,
    digest,
    export,
    items,
    patrol,
    rules,
    serve,
    status,
    tokens,
    users,
    web,
    yearbook,
)

# Every command module, in the order `xunwang --help` lists them; each adds its commands
# to ``main`` in ``register``.
COMMAND_MODULES = (rules, crawl, demo_site, patrol, check_text, demo, serve, status, web, users,
                   tokens, export, items, digest, check_report, yearbook)


class _Group(click.Group):
    """Turns any XunwangError into one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except XunwangError as error:
            click.echo(f"错误: {error}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="xunwang", help="显示版本并退出。")
def main() -> None:
    """巡网 Xunwang：巡检政府网站和政务新媒体，并跟踪问题整改。"""


def _chinese_help(command: click.Command) -> None:
    """Every command's --help option says what it does in Chinese."""
    original = command.get_help_option

    def get_help_option(ctx: click.Context) -> click.Option | None:
        option = original(ctx)
        if option is not None:
            option.help = "显示帮助并退出。"
        return option

    command.get_help_option = get_help_option  # type: ignore[method-assign]
    for sub in getattr(command, "commands", {}).values():
        _chinese_help(sub)


for _module in COMMAND_MODULES:
    _module.register(main)
_chinese_help(main)
