"""``xunwang serve``: the scheduler and the web list in one process, until SIGTERM."""

from __future__ import annotations

import logging
import signal
from types import FrameType
from typing import Any

import click
import uvicorn

from core.errors import ConfigError, XunwangError
from core.settings import EXAMPLE_SECRET_KEYS, Settings
from scheduler.logs import configure_logging, log_event
from scheduler.service import Service
from store.session import make_engine
from web.app import create_app
from xunwang.commands.options import config_options, settings_with_notice

log = logging.getLogger("xunwang.serve")


def register(group: click.Group) -> None:
    group.add_command(serve)


@click.command()
@config_options
@click.option("--log-level", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]))
def serve(config_path: str | None, db_url: str | None, log_level: str) -> None:
    """运行日常服务：定时巡检、首页探测、摘要邮件、数据清理和网页列表。

    Migrates the database schema first (upgrades need nothing else). SIGTERM or Ctrl-C stops it cleanly: running crawls
    are ended, the jobs record their outcome, the process exits with status 0.

    示例：

        xunwang serve --config /etc/xunwang/xunwang.toml
    """
    configure_logging(log_level)
    settings = settings_with_notice(config_path, db_url, lambda db, config: log_event(
        log, "database_created", database=db, config=config))
    refuse_example_secret(settings)
    run_service(settings)


def refuse_example_secret(settings: Settings) -> None:
    """The README's example key would let anyone who read it forge a login session."""
    if settings.web.secret_key.get_secret_value() in EXAMPLE_SECRET_KEYS:
        raise ConfigError(
            f"{settings.source}: web.secret_key is the example value; set a random one, e.g. "
            "XUNWANG_WEB__SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )


def run_service(settings: Settings) -> None:
    """Serve until a signal; the scheduler never runs inside a forked web worker."""
    stopping: list[int] = []
    server: uvicorn.Server | None = None

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        # uvicorn restores this handler and re-raises the signal after its own shutdown
        stopping.append(signum)
        if server is not None:
            server.should_exit = True

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    engine = make_engine(settings.db.url)
    service = Service(settings, engine=engine)
    try:
        service.start()
        app = create_app(settings, session_factory=service.factory)
        server = uvicorn.Server(_uvicorn_config(app, settings))
        log_event(log, "serve_started", host=settings.web.host, port=settings.web.port)
        if not stopping:
            _run_web(server, settings)
    finally:
        service.stop()
        engine.dispose()
        log_event(log, "serve_stopped", signal=stopping[0] if stopping else None)


def _uvicorn_config(app: Any, settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(
        app, host=settings.web.host, port=settings.web.port, log_config=None,
        access_log=True, lifespan="off", timeout_graceful_shutdown=10,
        proxy_headers=False,  # the app reads X-Forwarded-For per [web] trusted_proxies
    )


def _run_web(server: uvicorn.Server, settings: Settings) -> None:
    try:
        server.run()
    except SystemExit as exit_:
        if exit_.code:
            raise XunwangError(
                f"web: cannot serve on {settings.web.host}:{settings.web.port} "
                "(port in use?); set [web] port"
            ) from None
