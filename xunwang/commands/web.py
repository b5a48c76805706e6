"""``xunwang web``: the rectification list alone (no scheduler), for a quick look or a proxy."""

from __future__ import annotations

import click
import uvicorn

from core.errors import XunwangError
from scheduler.logs import configure_logging
from store.migrate import upgrade
from store.session import make_engine, make_sessionmaker
from web.app import create_app
from xunwang.commands.options import build_settings, config_options


def register(group: click.Group) -> None:
    group.add_command(web)


@click.command()
@config_options
@click.option("--host", default=None, help="监听地址（默认 [web] host）。")
@click.option("--port", default=None, type=int, help="监听端口（默认 [web] port）。")
def web(config_path: str | None, db_url: str | None, host: str | None, port: int | None) -> None:
    """启动网页列表（登录、问题、导出），按 Ctrl-C 结束；先迁移数据库。

    Add users first with ``xunwang users add``.

    示例：

        xunwang web --config xunwang.toml --port 8600
    """
    configure_logging()
    changes = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    settings = build_settings(config_path, db_url, web=changes or None)
    engine = make_engine(settings.db.url)
    upgrade(engine)
    app = create_app(settings, session_factory=make_sessionmaker(engine))
    click.echo(f"巡网整改清单: http://{settings.web.host}:{settings.web.port}/items")
    server = uvicorn.Server(uvicorn.Config(
        app, host=settings.web.host, port=settings.web.port, lifespan="off",
        timeout_graceful_shutdown=10, proxy_headers=False,  # [web] trusted_proxies decides
        log_config=None,  # our key=value lines, masked like every other log line
    ))
    try:
        server.run()
    except SystemExit as exit_:
        if exit_.code:
            raise XunwangError(
                f"web: cannot serve on {settings.web.host}:{settings.web.port} "
                "(port in use?); pass --port"
            ) from None
    finally:
        engine.dispose()
