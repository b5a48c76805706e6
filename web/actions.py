"""POST forms that change an item; each is one short transaction, then a redirect back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rectification import actions
from rectification.actor import ActionError, InvalidTransition, ItemNotFound, PermissionDenied
from web.app_state import Viewer, app_state, checked_csrf
from web.auth import SessionData

router = APIRouter()
Csrf = Annotated[SessionData, Depends(checked_csrf)]
Text = Annotated[str, Form()]

Change = Callable[[Session, Viewer], None]


def _act(request: Request, item_id: int, change: Change) -> Response:
    """Run ``change`` in one transaction; a plain ActionError (bad input) is shown as 400."""
    ctx = app_state(request)
    try:
        with ctx.transaction() as session:
            viewer = ctx.require_viewer(request, session)
            change(session, viewer)
    except (PermissionDenied, ItemNotFound, InvalidTransition):
        raise
    except ActionError as error:
        return ctx.page("error.html", None, status=400, message=str(error), back=item_id)
    done = request.url.path.rsplit("/", 1)[-1]
    return RedirectResponse(f"/items/{item_id}?done={done}", status_code=303)


@router.post("/items/{item_id}/confirm")
def confirm(request: Request, item_id: int, _c: Csrf, note: Text = "") -> Response:
    ctx = app_state(request)
    return _act(request, item_id, lambda s, v: actions.confirm(
        s, item_id, v.actor, note, ctx.clock(), config=ctx.settings.rectification))


@router.post("/items/{item_id}/fix")
def mark_fixed(request: Request, item_id: int, _c: Csrf, note: Text = "") -> Response:
    ctx = app_state(request)
    return _act(request, item_id, lambda s, v: actions.mark_fixed(
        s, item_id, v.actor, note, ctx.clock()))


@router.post("/items/{item_id}/dismiss")
def dismiss(
    request: Request, item_id: int, _c: Csrf, reason: Text = "", scope: Text = "item",
) -> Response:
    ctx = app_state(request)
    return _act(request, item_id, lambda s, v: actions.dismiss(
        s, item_id, v.actor, reason, scope, ctx.clock()))


@router.post("/items/{item_id}/approve-dismissal")
def approve_dismissal(request: Request, item_id: int, _c: Csrf, note: Text = "") -> Response:
    ctx = app_state(request)
    return _act(request, item_id, lambda s, v: actions.approve_dismissal(
        s, item_id, v.actor, note, ctx.clock()))


@router.post("/items/{item_id}/refuse-dismissal")
def refuse_dismissal(request: Request, item_id: int, _c: Csrf, note: Text = "") -> Response:
    ctx = app_state(request)
    return _act(request, item_id, lambda s, v: actions.refuse_dismissal(
        s, item_id, v.actor, note, ctx.clock()))


@router.post("/items/{item_id}/reopen")
def reopen(request: Request, item_id: int, _c: Csrf, note: Text = "") -> Response:
    ctx = app_state(request)
    return _act(request, item_id, lambda s, v: actions.reopen(
        s, item_id, v.actor, note, ctx.clock(), config=ctx.settings.rectification))


@router.post("/items/{item_id}/close")
def close(request: Request, item_id: int, _c: Csrf, note: Text = "") -> Response:
    ctx = app_state(request)
    return _act(request, item_id, lambda s, v: actions.close(
        s, item_id, v.actor, note, ctx.clock()))


@router.post("/items/{item_id}/reassign")
def reassign(
    request: Request, item_id: int, _c: Csrf, unit: Text = "", reason: Text = "",
) -> Response:
    ctx = app_state(request)
    units = {u.name for u in ctx.settings.units}
    return _act(request, item_id, lambda s, v: actions.reassign(
        s, item_id, v.actor, unit, reason, ctx.clock(), units=units))


@router.post("/items/{item_id}/deadline")
def change_deadline(
    request: Request, item_id: int, _c: Csrf, deadline: Text = "", reason: Text = "",
) -> Response:
    ctx = app_state(request)

    def change(session: Session, viewer: Viewer) -> None:
        try:
            day = date.fromisoformat(deadline)
        except ValueError:
            raise ActionError(f"整改时限 {deadline!r} 不是日期，请用 YYYY-MM-DD") from None
        actions.change_deadline(session, item_id, viewer.actor, day, reason, ctx.clock())

    return _act(request, item_id, change)
