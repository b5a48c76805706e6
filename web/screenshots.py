"""An item's screenshot: the picture on the item page, served only to who may see the item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from core.settings import Settings, screenshot_dir
from rectification.actor import Actor, ItemNotFound
from rectification.queries import load_item
from store import screenshots as shots
from store.screenshots import ShotRow
from web.app_state import app_state

router = APIRouter()


@dataclass(frozen=True)
class ShotView:
    """What the item page says about its screenshot."""

    url: str  # the route of the image
    thumb_url: str
    taken_at: datetime
    outlined: bool
    covered: int
    page: str  # the page photographed


def item_shot(session: Session, item_id: int, actor: Actor) -> ShotRow | None:
    """The newest screenshot of an item the actor may see (ItemNotFound otherwise)."""
    item = load_item(session, item_id, actor)
    return shots.newest(session, item.fingerprint)


def shot_view(item_id: int, shot: ShotRow | None) -> ShotView | None:
    if shot is None:
        return None
    base = f"/items/{item_id}/screenshot"
    return ShotView(base, f"{base}/thumb" if shot.thumb else base, shot.taken_at,
                    shot.outlined, shot.covered, shot.url)


def shot_file(settings: Settings, name: str) -> Path | None:
    """The file of a stored path, if it exists inside the screenshot folder."""
    if not name:
        return None
    base = screenshot_dir(settings).resolve()
    path = (base / name).resolve()
    return path if path.is_relative_to(base) and path.is_file() else None


def _serve(request: Request, item_id: int, thumb: bool) -> Response:
    ctx = app_state(request)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        shot = item_shot(session, item_id, viewer.actor)
    path = shot_file(ctx.settings, (shot.thumb if thumb else shot.path) if shot else "")
    if path is None:
        raise ItemNotFound(f"问题 {item_id} 没有截图")
    media = "image/jpeg" if path.suffix == ".jpg" else "image/png"
    return FileResponse(path, media_type=media)


@router.get("/items/{item_id}/screenshot")
def screenshot(request: Request, item_id: int) -> Response:
    return _serve(request, item_id, thumb=False)


@router.get("/items/{item_id}/screenshot/thumb")
def screenshot_thumb(request: Request, item_id: int) -> Response:
    return _serve(request, item_id, thumb=True)
