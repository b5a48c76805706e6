"""The ``xunwang`` command line: thin click commands over library functions."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import click

from core.errors import XunwangError
from xunwang import __version__

# Every command, in the order `xunwang --help` lists them, with the module whose
# ``register`` adds it. A module is imported only when its command runs (or help lists
# it): `xunwang crawl` spent ~2 s of CPU importing every command, the web app included.
COMMANDS = (
    ("rules", "rules"), ("crawl", "crawl"), ("demo-site", "demo_site"), ("patrol", "patrol"),
    ("check-text", "check_text"), ("demo", "demo"), ("serve", "serve"), ("status", "status"),
    ("web", "web"), ("users", "users"), ("tokens", "tokens"), ("export", "export"),
    ("items", "items"), ("digest", "digest"), ("check-report", "check_report"),
    ("yearbook", "yearbook"),
)


def command_module(module: str) -> ModuleType:
    return importlib.import_module(f"xunwang.commands.{module}")


class _Group(click.Group):
    """Loads each command's module on first use; turns any XunwangError into one line on
    stderr and exit status 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, _ in COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            module = dict(COMMANDS).get(cmd_name)
            if module is None:
                return None
            command_module(module).register(self)
            _chinese_help(self.commands[cmd_name])
        return self.commands.get(cmd_name)

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


_chinese_help(main)
