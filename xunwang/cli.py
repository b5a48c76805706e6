"""The ``xunwang`` command line: thin click commands over library functions."""

from __future__ import annotations

import importlib
import sys

import click

from core.errors import XunwangError
from xunwang import __version__

# Explicit list of command modules; each defines commands on ``main`` via ``register``.
COMMAND_MODULES = (
    "xunwang.commands.rules",
    "xunwang.commands.crawl",
    "xunwang.commands.demo_site",
    "xunwang.commands.patrol",
    "xunwang.commands.demo",
    "xunwang.commands.serve",
    "xunwang.commands.status",
    "xunwang.commands.web",
    "xunwang.commands.users",
    "xunwang.commands.export",
    "xunwang.commands.items",
    "xunwang.commands.digest",
)


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


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(main)
