"""The pre-publication check in the web: the form (paste or upload) and ``POST /api/check``.

Both run ``checks.pretext.check_text`` (the engine of ``xunwang check-text``) over the
draft as read by ``crawler.extract.draft.read_draft``; the API answers with the JSON of
RULES.md ("Pre-publication check"), authorized by an API token (``xunwang tokens add``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from checks.identifiers import mask_text
from checks.lexicon import Lexicon
from checks.model import SEVERITY_LABELS
from checks.pretext import TextFinding, check_text, normalized, spans
from checks.runner import load_lexicon
from core.errors import XunwangError
from crawler.extract.draft import read_draft
from web.app_state import AppState, app_state, checked_csrf
from web.auth import SessionData
from web.tokens import authorized

router = APIRouter()
MAX_DRAFT_BYTES = 20 * 1024 * 1024
_KIND_LABELS = {"text": "文本", "html": "HTML", "docx": "Word 文档（.docx）", "pdf": "PDF 文档"}


@dataclass(frozen=True)
class Segment:
    text: str
    finding: TextFinding | None = None
    number: int = 0


def _lexicon(request: Request, ctx: AppState) -> Lexicon:
    """The lexicon of the config, loaded once per app."""
    found: Lexicon | None = getattr(request.app.state, "check_lexicon", None)
    if found is None:
        found = load_lexicon(ctx.settings)
        request.app.state.check_lexicon = found
    return found


def segments(text: str, found: list[TextFinding], as_of: date) -> list[Segment]:
    """The (masked) draft cut into plain runs and highlighted hits."""
    shown = mask_text(normalized(text), as_of)
    numbers = {id(f): n for n, f in enumerate(found, start=1)}
    out: list[Segment] = []
    last = 0
    for start, end, finding in spans(text, found, as_of):
        if start > last:
            out.append(Segment(shown[last:start]))
        out.append(Segment(shown[start:end], finding, numbers[id(finding)]))
        last = end
    if last < len(shown):
        out.append(Segment(shown[last:]))
    return out


@router.get("/check")
def check_form(request: Request) -> Response:
    ctx = app_state(request)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
    return ctx.page("check.html", viewer, draft="", result=None, error="")


@router.post("/check")
async def check_submit(
    request: Request,
    _csrf: Annotated[SessionData, Depends(checked_csrf)],
    text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    ctx = app_state(request)
    body = await file.read(MAX_DRAFT_BYTES + 1) if file is not None and file.filename else b""
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
    as_of = ctx.as_of()
    error = ""
    result: dict[str, Any] | None = None
    try:
        if len(body) > MAX_DRAFT_BYTES:
            raise XunwangError(f"文件超过 {MAX_DRAFT_BYTES // 1024 // 1024} MB，请拆分后再检查")
        if body and file is not None:
            name = file.filename or "上传文件"
            draft, kind = read_draft(body, name, file.content_type or "")
        elif text.strip():
            name, (draft, kind) = "粘贴的文本", read_draft(text.encode("utf-8"), "-", "")
        else:
            raise XunwangError("请粘贴文本或选择要上传的文件")
        found = check_text(draft, ctx.settings, as_of, lexicon=_lexicon(request, ctx))
        result = {"name": name, "kind": _KIND_LABELS.get(kind, kind), "findings": found,
                  "segments": segments(draft, found, as_of),
                  "lines": normalized(draft).count("\n") + 1 if draft else 0}
    except XunwangError as problem:
        error = str(problem)
    return ctx.page("check.html", viewer, status=400 if error else 200, draft=text,
                    result=result, error=error, labels=SEVERITY_LABELS)


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-token", "").strip()


@router.post("/api/check")
async def api_check(request: Request) -> Response:
    """The draft in the body (text, HTML, .docx or .pdf, or JSON ``{"text": …}``)."""
    ctx = app_state(request)
    presented = _bearer(request)
    with ctx.transaction() as session:
        name = authorized(session, presented, ctx.clock()) if presented else None
    if name is None:
        return JSONResponse({"error": "缺少或无效的 API 令牌（Authorization: Bearer …）"}, 401,
                            headers={"WWW-Authenticate": "Bearer"})
    body = await request.body()
    if len(body) > MAX_DRAFT_BYTES:
        return JSONResponse({"error": f"内容超过 {MAX_DRAFT_BYTES // 1024 // 1024} MB"}, 413)
    as_of = ctx.as_of()
    if request.query_params.get("as_of"):
        try:
            as_of = date.fromisoformat(request.query_params["as_of"])
        except ValueError:
            return JSONResponse({"error": "as_of 应为 YYYY-MM-DD 格式的日期"}, 400)
    ctype = request.headers.get("content-type", "")
    filename = request.query_params.get("filename", "-")
    try:
        if ctype.split(";")[0].strip().lower() == "application/json":
            data = json.loads(body.decode("utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("text", data.get("html")), str):
                return JSONResponse({"error": "JSON 正文应为 {\"text\": \"…\"} 或 {\"html\": \"…\"}"}, 400)
            draft, _ = (read_draft(data["html"].encode("utf-8"), "draft.html", "text/html")
                        if isinstance(data.get("html"), str)
                        else (normalized(data["text"]), "text"))
        else:
            draft, _ = read_draft(body, filename, ctype)
    except (XunwangError, UnicodeDecodeError, ValueError) as problem:
        return JSONResponse({"error": f"无法读取内容：{problem}"}, 400)
    found = check_text(draft, ctx.settings, as_of, lexicon=_lexicon(request, ctx))
    return JSONResponse([f.to_json() for f in found])
