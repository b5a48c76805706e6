"""Scrapy settings of a crawl: what Scrapy would start that a patrol must not have."""

from __future__ import annotations

import asyncio

import pytest
from scrapy.extension import ExtensionManager
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler

from core.settings import load_settings
from crawler.config import scrapy_settings


@pytest.mark.parametrize("render", [False, True])
def test_crawl_starts_no_remote_control_server(render: bool) -> None:
    """Scrapy's RemoteControl runs Python code sent to a localhost port: never in a patrol."""
    settings = load_settings(None, environ={}, overrides={
        "sites": [{"name": "测试区政府", "url": "http://127.0.0.1:9/"}]})

    async def loaded() -> list[str]:  # the extension wants a running event loop
        crawler = get_crawler(Spider, scrapy_settings(settings, render=render))
        return [type(ext).__name__ for ext in ExtensionManager.from_crawler(crawler).middlewares]

    names = asyncio.run(loaded())
    assert "CoreStats" in names  # the manager did load extensions
    assert "RemoteControl" not in names
