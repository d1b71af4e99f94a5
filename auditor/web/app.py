"""The Starlette application of ``audit serve``: pages, downloads, review actions.

Starlette (not FastAPI): the pages are server-rendered forms, so an OpenAPI layer and
pydantic would be weight without use; Starlette gives routing, Jinja2 templates, a test
client and upload parsing (python-multipart) and is what FastAPI itself is built on.
Every page reads the store and the audit records the batches kept, and renders documents
with the CLI's renderers; nothing here decides what an item or a score is.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from auditor.findings.review import CONFIRMED, DISMISSED, RECHECK_LABELS, REVIEW_LABELS, Review
from auditor.findings.verdict import PARTIAL, PARTIAL_LABEL, SCORED, SCORED_LABEL, UNAUDITABLE_LABEL, UNAUDITABLE_STATUS
from auditor.render import RenderOptions, ReportRenderer, get_renderer
from auditor.render import records as rec
from auditor.store.db import StoreError, now
from auditor.store.export import to_xlsx
from auditor.store.queries import export_rows, versions
from auditor.store.store import Store
from auditor.web import lastyear, listing
from auditor.web.jobs import Workspace
from auditor.web.uploads import MAX_FILES, MAX_UPLOAD_BYTES, Incoming, UploadRefused, expand, save

VERDICT_LABELS = {SCORED: SCORED_LABEL, PARTIAL: PARTIAL_LABEL, UNAUDITABLE_STATUS: UNAUDITABLE_LABEL}
CSRF_COOKIE = "audit_csrf"
TOKEN_COOKIE = "audit_token"
_BATCH_FILES = {"index": "index.html", "xlsx": "summary.xlsx", "bulletin": "通报.docx"}
_DOCUMENTS = {"md": ("markdown", "text/markdown; charset=utf-8"), "docx": ("docx", "application/octet-stream")}
_STATUS_TEXT = {
    400: "请求有误",
    401: "需要访问令牌",
    403: "请求被拒绝",
    404: "找不到页面",
    405: "不支持的请求方式",
    411: "请求缺少长度",
    413: "上传内容过大",
    500: "服务器内部错误",
}

_env = Environment(loader=PackageLoader("auditor.web", "templates"), autoescape=select_autoescape(default=True))
_env.globals.update(RECHECK_LABELS=RECHECK_LABELS, REVIEW_LABELS=REVIEW_LABELS, VERDICTS=VERDICT_LABELS, rec=rec)


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered with the CSRF token every form carries."""
    html = _env.get_template(template).render(csrf=request.state.csrf, request=request, **context)
    return HTMLResponse(html, status_code=status)


def _error(request: Request, status: int, detail: str) -> HTMLResponse:
    if not hasattr(request.state, "csrf"):
        request.state.csrf = ""
    return page(request, "error.html", status, title=_STATUS_TEXT.get(status, "出错了"), detail=detail)


def fail(status: int, detail: str) -> HTTPException:
    """An error shown as a Chinese page with ``detail``."""
    return HTTPException(status, detail)


# --- middleware ---------------------------------------------------------------------------


class Guard(BaseHTTPMiddleware):
    """The access token (when the server is not on loopback) and the CSRF cookie of every page."""

    def __init__(self, app: Any, token: str | None) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request.state.csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        if self.token:
            given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return _error(request, 401, "请在地址后加上 ?token=启动时给出的令牌 再打开。")
        response = await call_next(request)
        if self.token and request.query_params.get("token"):
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
        if CSRF_COOKIE not in request.cookies:
            response.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict")
        return response


def check_csrf(request: Request, form: Any) -> None:
    """Refuse a form whose token is not this browser's (a page of another site posting here)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    given = str(form.get("csrf") or "")
    if not cookie or not hmac.compare_digest(cookie.encode(), given.encode()):
        raise fail(403, "表单已过期或来自其他网站（CSRF 校验失败），请刷新页面后重试。")


# --- helpers --------------------------------------------------------------------------------


def _workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


def _store(request: Request) -> Store:
    return Store(_workspace(request).db)


def _report_id(request: Request) -> int:
    text = request.path_params["report"]
    if not text.isdigit():
        raise fail(404, "没有这份报告。")
    return int(text)


def _current(request: Request, report_id: int) -> dict[str, Any]:
    """A report's audit record with today's decisions on its items (they change after the audit)."""
    record = _workspace(request).record(report_id)
    if record is None:
        raise fail(404, f"没有编号为 {report_id} 的报告记录（只有通过本页面上传审计的报告才有详情页）。")
    with _store(request) as store:
        reviews = store.reviews()
    for finding in record.get("findings") or ():
        decision = reviews.get(str(finding.get("fingerprint")))
        finding["review"] = decision.record() if decision else None
    return record


def _report_renderer(name: str) -> ReportRenderer:
    renderer = get_renderer(name)
    assert isinstance(renderer, ReportRenderer)
    return renderer


def _download(data: bytes, filename: str, media: str) -> Response:
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
    return Response(data, media_type=media, headers=headers)


# --- pages ------------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    return page(request, "upload.html", batches=_workspace(request).batches()[:20], max_files=MAX_FILES)


async def upload(request: Request) -> Response:
    size = request.headers.get("content-length")
    if size is None or not size.isdigit():  # the cap is checked before anything is read
        raise fail(411, "上传请求缺少长度（Content-Length），请用网页上传。")
    if int(size) > MAX_UPLOAD_BYTES:
        raise fail(413, f"上传内容超过 {MAX_UPLOAD_BYTES // 1048576} MB，请分批上传。")
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=50)
    except Exception as exc:  # malformed multipart, too many parts
        raise fail(400, f"无法读取上传内容：{exc}") from None
    check_csrf(request, form)
    incoming = []
    for value in form.getlist("files"):
        if isinstance(value, UploadFile) and value.filename:
            incoming.append(Incoming(value.filename, await value.read()))
    if not incoming:
        raise fail(400, "没有选择文件：请选择报告文件、文件夹或 zip 压缩包。")
    try:
        reports, skipped = expand(incoming)
    except UploadRefused as exc:
        raise fail(400, str(exc)) from None
    if not reports:
        reasons = "；".join(f"{s.name}：{s.reason}" for s in skipped[:5])
        raise fail(400, f"上传的文件中没有可审计的报告。{reasons}")
    ws = _workspace(request)
    state = ws.new_batch(now())
    paths = save(reports, ws.batch_dir(state.id) / "files")
    ws.start(state, paths, skipped)
    return RedirectResponse(f"/batch/{state.id}", status_code=303)


def _batch(request: Request) -> Any:
    state = _workspace(request).load(request.path_params["batch"])
    if state is None:
        raise fail(404, "没有这个批次。")
    return state


async def batch(request: Request) -> Response:
    state = _batch(request)
    ws = _workspace(request)
    with _store(request) as store:
        placeholders = ",".join("?" * len(state.reports)) or "NULL"
        found = store.conn.execute(
            "SELECT r.id, r.run_id, coalesce(r.agency, ''), r.year, r.path, r.verdict, r.score, r.band, r.open_items,"
            " r.dismissed, r.new_items, r.persisting, r.fixed, r.recorded FROM reports r"
            f" WHERE r.id IN ({placeholders}) ORDER BY r.id",
            state.reports,
        ).fetchall()
    files = {kind: ws.run_file(state, name) is not None for kind, name in _BATCH_FILES.items()}
    return page(request, "batch.html", batch=state, rows=[listing.Row(*r) for r in found], files=files)


async def batch_status(request: Request) -> Response:
    state = _batch(request)
    return JSONResponse({"status": state.status, "label": state.label, "done": state.done, "total": state.total})


async def batch_file(request: Request) -> Response:
    state = _batch(request)
    name = _BATCH_FILES.get(request.path_params["kind"])
    path = _workspace(request).run_file(state, name) if name else None
    if path is None:
        raise fail(404, "该批次没有这个文件（批次尚未完成或未生成）。")
    if name == "index.html":
        return FileResponse(path, media_type="text/html; charset=utf-8")
    return FileResponse(path, filename=name)


async def reports(request: Request) -> Response:
    filters = listing.Filters.of(request.query_params)
    with _store(request) as store:
        found, total = listing.rows(store.conn, filters)
        counts = listing.counts(store.conn, filters)
        facets = listing.facets(store.conn)
    return page(
        request, "reports.html", rows=found, total=total, counts=counts, facets=facets, f=filters,
        review_filters=listing.REVIEW_FILTERS,
        levels=listing.LEVELS,
    )  # fmt: skip


async def report(request: Request) -> Response:
    report_id = _report_id(request)
    record = _current(request, report_id)
    with _store(request) as store:
        last_year = lastyear.pairs(store.conn, record)
    saved = request.query_params.get("saved")
    return page(request, "report.html", report_id=report_id, record=record, saved=saved, last_year=last_year)


async def report_page(request: Request) -> Response:
    record = _current(request, _report_id(request))
    return HTMLResponse(_report_renderer("html").render(record, RenderOptions()))


async def rectification(request: Request) -> Response:
    report_id = _report_id(request)
    kind = _DOCUMENTS.get(request.path_params["kind"])
    if kind is None:
        raise fail(404, "没有这种格式（可下载 md 或 docx）。")
    record = _current(request, report_id)
    data = _report_renderer(kind[0]).render(record, RenderOptions())
    stem = Path(rec.source_path(record).replace("\\", "/")).stem or "report"
    return _download(data, f"{stem}-整改清单.{request.path_params['kind']}", kind[1])


async def review(request: Request) -> Response:
    report_id = _report_id(request)
    form = await request.form(max_files=0, max_fields=20)
    check_csrf(request, form)
    record = _current(request, report_id)
    fingerprint = str(form.get("fingerprint") or "")
    if fingerprint not in {str(f.get("fingerprint")) for f in rec.findings(record)}:
        raise fail(400, "这份报告没有这个问题。")
    decision = {"dismiss": DISMISSED, "confirm": CONFIRMED}.get(str(form.get("decision") or ""))
    reason, by = str(form.get("reason") or "").strip(), str(form.get("by") or "").strip()
    if decision is None:
        raise fail(400, "请选择“已确认”或“不属问题”。")
    if not reason or not by:
        raise fail(400, "核实决定须写明理由和核实人。")
    with _store(request) as store:
        store.decide([Review(fingerprint, decision, reason[:500], by[:100], now())])
    return RedirectResponse(f"/report/{report_id}?saved={fingerprint}#item-{fingerprint}", status_code=303)


async def body(request: Request) -> Response:
    name = request.query_params.get("name", "").strip()[:100]
    if not name:
        raise fail(400, "请给出单位名称。")
    with _store(request) as store:
        found = versions(store.conn, name)
        reviews = store.reviews()
    return page(request, "body.html", name=name, versions=found, reviews=reviews)


async def export(request: Request) -> Response:
    with _store(request) as store:
        data = to_xlsx(export_rows(store.conn))
    return _download(data, "审计汇总.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


async def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else ""
    if (status == 404 and not detail) or detail == "Not Found":
        detail = "没有这个页面。"
    return _error(request, status, str(detail))


async def store_error(request: Request, exc: Exception) -> Response:
    return _error(request, 503, str(exc))


async def server_error(request: Request, exc: Exception) -> Response:
    return _error(request, 500, f"处理请求时出错（{type(exc).__name__}），其他页面不受影响。")


def create_app(workspace: Workspace, token: str | None = None) -> Starlette:
    """The application over ``workspace``; with ``token``, every request must carry it."""
    routes = [
        Route("/", home),
        Route("/upload", upload, methods=["POST"]),
        Route("/batch/{batch}", batch),
        Route("/batch/{batch}/status", batch_status),
        Route("/batch/{batch}/file/{kind}", batch_file),
        Route("/reports", reports),
        Route("/report/{report}", report),
        Route("/report/{report}/page", report_page),
        Route("/report/{report}/rectification.{kind}", rectification),
        Route("/report/{report}/review", review, methods=["POST"]),
        Route("/body", body),
        Route("/export.xlsx", export),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, token=token)],
        exception_handlers={HTTPException: http_error, StoreError: store_error, Exception: server_error},
    )
    app.state.workspace = workspace
    return app
