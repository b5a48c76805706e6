"""``xunwang crawl``: crawl sites and store what the rules need (no checks)."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    group.add_command(crawl)


@click.command()
@click.argument("urls", nargs=-1)
def crawl(urls: tuple[str, ...]) -> None:
    """Crawl URLs (placeholder until the crawler lands)."""
    raise click.UsageError("the crawler is not built yet")
