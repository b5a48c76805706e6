"""The ``xunwang`` command line: thin click commands over library functions."""

from __future__ import annotations

import sys

import click

from core.errors import XunwangError
from xunwang import __version__
from xunwang.commands import (
    check_report,
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
    users,
    web,
    yearbook,
)

# Every command module, in the order `xunwang --help` lists them; each adds its commands
# to ``main`` in ``register``.
COMMAND_MODULES = (rules, crawl, demo_site, patrol, demo, serve, status, web, users, export,
                   items, digest, check_report, yearbook)


class _Group(click.Group):
    """Turns any XunwangError into one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except XunwangError as error:
            click.echo(f"错误: {error}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="xunwang")
def main() -> None:
    """巡网 Xunwang: patrol government websites and accounts, and run the rectification loop."""


for _module in COMMAND_MODULES:
    _module.register(main)
