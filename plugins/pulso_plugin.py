"""Pulso's Airflow UI plugin: the *Informes* and *Revisión PQRS* pages (menu *Pulso*).

A FastAPI sub-app mounted by the api-server at /pulso. Thin on purpose: routing, auth and
CSRF here; queries, actions and validation in `pulso.cases.review`, HTML in `pulso.web.pages`.

Auth uses Airflow's own auth manager, never a parallel login:
* identity: `airflow.api_fastapi.core_api.security.get_user` (the UI's `_token` JWT cookie
  or an `Authorization: Bearer` token). Without one, a browser GET is redirected to the
  auth manager's login page (`get_url_login(next_url=...)`); other requests get 401.
* authorisation on every request: reading needs `is_authorized_view(WEBSITE)`; changing a
  case needs `is_authorized_dag(method="PUT")` (SimpleAuthManager: role USER or higher,
  FAB: can_edit on DAGs), so a viewer may read but not confirm.
* CSRF (cookie auth only): POST forms carry a token derived from the session JWT, which a
  cross-site page cannot read (httponly cookie); a foreign Origin or `Sec-Fetch-Site:
  cross-site` is refused too. Bearer-token clients need no token.

Airflow imports inside functions: plugins are also loaded by the scheduler/dag-processor,
which should not pay for (or risk circular imports of) the api-server's modules.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

URL_PREFIX = "/pulso"
app = FastAPI(title="Pulso", docs_url=None, redoc_url=None, openapi_url=None)

_SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                                "form-action 'self'; frame-ancestors 'self'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class _LoginRequired(Exception):
    def __init__(self, login_url: str) -> None:
        self.login_url = login_url


class _SessionExpired(Exception):
    def __init__(self, login_url: str, typed: dict[str, str]) -> None:
        self.login_url, self.typed = login_url, typed


class _Denied(Exception):
    def __init__(self, status: int, title: str, message: str, user: str | None) -> None:
        self.status, self.title, self.message, self.user = status, title, message, user


def _base(request: Request) -> str:
    """Where this sub-app is mounted (API root path + /pulso), for links and forms."""
    return request.scope.get("root_path", "").rstrip("/") or URL_PREFIX


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _auth_manager():
    from airflow.api_fastapi.app import get_auth_manager

    return get_auth_manager()


async def current_user(request: Request) -> Any:
    """The logged-in Airflow user (Airflow's `get_user`), or a redirect to its login page."""
    from airflow.api_fastapi.core_api.security import bearer_scheme, get_user
    from fastapi import HTTPException

    try:
        return await get_user(request, None, await bearer_scheme(request))
    except HTTPException as exc:
        if request.method == "GET" and _wants_html(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise _LoginRequired(_auth_manager().get_url_login(next_url=target)) from exc
        if request.method == "POST" and _wants_html(request):
            # a form sent after the session expired: a Spanish page keeping what was typed
            form = await request.form()
            typed = {k: str(v)[:400] for k, v in form.multi_items() if isinstance(v, str)}
            login = _auth_manager().get_url_login(next_url=f"{_base(request)}/pqrs")
            raise _SessionExpired(login, typed) from exc
        raise


UserDep = Annotated[Any, Depends(current_user)]


def _name(user: Any) -> str:
    return user.get_name() or user.get_id()


def _can_read(user: Any) -> bool:
    from airflow.api_fastapi.auth.managers.models.resource_details import AccessView

    return _auth_manager().is_authorized_view(access_view=AccessView.WEBSITE, user=user)


def _can_write(user: Any) -> bool:
    return _auth_manager().is_authorized_dag(method="PUT", user=user)


def _require_read(user: Any) -> None:
    if not _can_read(user):
        raise _Denied(403, "Acceso denegado", "Su usuario no tiene permiso para ver esta página.",
                      _name(user))


def _csrf_token(request: Request) -> str:
    """HMAC of the session JWT: unique per login, unreadable from another site."""
    from airflow.api_fastapi.auth.managers.base_auth_manager import COOKIE_NAME_JWT_TOKEN

    jwt = request.cookies.get(COOKIE_NAME_JWT_TOKEN, "")
    return hmac.new(b"pulso-csrf-v1", jwt.encode(), hashlib.sha256).hexdigest()


def _require_write(request: Request, user: Any, csrf: str) -> None:
    name = _name(user)
    if not _can_write(user):
        raise _Denied(403, "Acceso denegado", "Su rol permite consultar los casos pero no "
                      "modificarlos. Pida a un administrador el rol adecuado.", name)
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return  # an explicit token is not sent by browsers on their own: no CSRF risk
    origin = request.headers.get("origin")
    cross = request.headers.get("sec-fetch-site") == "cross-site"
    if cross or (origin and origin != "null"
                 and urlsplit(origin).netloc != request.headers.get("host")):
        raise _Denied(403, "Solicitud rechazada", "El formulario no se envió desde Pulso.", name)
    if not csrf or not hmac.compare_digest(csrf, _csrf_token(request)):
        raise _Denied(403, "Solicitud rechazada", "El formulario caducó o no es válido: "
                      "recargue la página e intente de nuevo.", name)


def _ctx():
    """The runtime context: the same warehouse, calendar and time zone as the DAGs."""
    from pulso.context import get_context

    return get_context()


def _engine():
    return _ctx().engine(create=False)  # the UI never creates a warehouse


def _calendar():
    """The entity's business calendar (extra closed days, closing time) for due dates."""
    return _ctx().calendar


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status)


@app.middleware("http")
async def _security_headers(request: Request, call_next):
    response = await call_next(request)
    for k, v in _SECURITY_HEADERS.items():
        response.headers.setdefault(k, v)
    return response


@app.exception_handler(_LoginRequired)
async def _to_login(request: Request, exc: _LoginRequired) -> Response:
    return RedirectResponse(exc.login_url, status_code=303)


@app.exception_handler(_SessionExpired)
async def _expired(request: Request, exc: _SessionExpired) -> Response:
    from pulso.web.pages import session_expired_page

    return _html(session_expired_page(base=_base(request), typed=exc.typed,
                                      login_url=exc.login_url), 401)


@app.exception_handler(RuntimeError)
async def _missing_warehouse(request: Request, exc: RuntimeError) -> Response:
    """A missing warehouse (deleted file, never initialised): a clear page, never new data."""
    from pulso.context import WarehouseMissing

    if not isinstance(exc, WarehouseMissing):
        raise exc
    if not _wants_html(request):
        return JSONResponse({"detail": str(exc)}, status_code=503)
    from pulso.web.pages import error_page

    return _html(error_page(base=_base(request), user=None, title="Bodega no disponible",
                            message=str(exc)), 503)


@app.exception_handler(_Denied)
async def _denied(request: Request, exc: _Denied) -> Response:
    if not _wants_html(request):
        return JSONResponse({"detail": exc.message}, status_code=exc.status)
    from pulso.web.pages import error_page

    return _html(error_page(base=_base(request), user=exc.user, title=exc.title,
                            message=exc.message), exc.status)


@app.get("/", include_in_schema=False)
def index(request: Request, user: UserDep) -> Response:
    _require_read(user)
    return RedirectResponse(f"{_base(request)}/informes", status_code=303)


@app.get("/informes", response_class=HTMLResponse)
def informes(request: Request, user: UserDep) -> Response:
    from pulso.cases import review
    from pulso.web.pages import informes_page

    _require_read(user)
    return _html(informes_page(base=_base(request), user=_name(user),
                               runs=review.report_runs(_engine())))


@app.get("/informes/descargar")
def descargar(request: Request, user: UserDep, kind: str = "", period: str = "",
              file: str = "") -> Response:
    from pulso.cases import review

    _require_read(user)
    try:
        path = review.report_file(_engine(), kind, period, file)
    except review.ReportFileError as exc:
        raise _Denied(404, "Archivo no disponible", str(exc), _name(user)) from None
    return FileResponse(path, filename=path.name)


def _pqrs_response(request: Request, user: Any, *, status: int = 200, error: str | None = None,
                   form: dict[str, str] | None = None) -> Response:
    from pulso.cases import review
    from pulso.web.pages import bulk_notice, notice_for, pqrs_page

    q = request.query_params
    notice = None if error else notice_for(q.get("hecho"), q.get("caso"), q.get("cambio") != "0")
    if not error and q.get("hecho") == "lote":
        try:
            notice = bulk_notice(int(q.get("descartados", "0")), int(q.get("omitidos", "0")))
        except ValueError:
            notice = None
    filters, problems = review.parse_filters(dict(q))
    listing = review.search_cases(_engine(), filters, today=_ctx().today())
    listing.errors = problems
    body = pqrs_page(base=_base(request), user=_name(user), cases=listing.rows,
                     csrf=_csrf_token(request), can_write=_can_write(user), notice=notice,
                     error=error, form=form, listing=listing)
    return _html(body, status)


@app.get("/pqrs", response_class=HTMLResponse)
def pqrs(request: Request, user: UserDep) -> Response:
    _require_read(user)
    return _pqrs_response(request, user)


@app.get("/pqrs/caso", response_class=HTMLResponse)
def caso(request: Request, user: UserDep, id: str = "") -> Response:
    """One case and its history."""
    from pulso.cases import review
    from pulso.web.pages import case_page

    _require_read(user)
    try:
        case = review.case_detail(_engine(), id)
    except review.CaseNotFound:
        raise _Denied(404, "Caso no encontrado", "No existe un caso PQRS con ese "
                      "identificador.", _name(user)) from None
    return _html(case_page(base=_base(request), user=_name(user), case=case))


@app.get("/pqrs/exportar")
def exportar(request: Request, user: UserDep) -> Response:
    """The filtered list (all pages) as an Excel workbook."""
    import tempfile
    from pathlib import Path

    from pulso.cases import review

    _require_read(user)
    filters, _ = review.parse_filters(dict(request.query_params))
    with tempfile.TemporaryDirectory(prefix="pulso-export-") as tmp:
        path = review.export_cases(_engine(), filters, Path(tmp) / "candidatos-pqrs.xlsx",
                                   today=_ctx().today(), tz=_ctx().tz)
        data = path.read_bytes()
    return Response(data, media_type="application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="candidatos-pqrs.xlsx"'})


_FIELD_LABELS = {"radicado": "Radicado", "pqrs_type": "Tipo", "reason": "Motivo",
                 "message_id": "Caso", "actor": "Usuario"}


def _version(value: str) -> int | None:
    """The case version the page showed (absent for API clients that do not send it)."""
    try:
        return int(value) if value.strip() else None
    except ValueError:
        return -1  # never matches: treated as a stale page


def _act(request: Request, user: Any, csrf: str, form: dict[str, str],
         action: Callable[[str], Any]) -> Response:
    """Run one review action; redirect on success (POST/redirect/GET), re-render on error."""
    from pulso.cases import review

    _require_read(user)
    _require_write(request, user, csrf)
    try:
        result = action(_name(user))
    except review.ReviewError as exc:
        status = 404 if isinstance(exc, review.CaseNotFound) else 422
        label = _FIELD_LABELS.get(exc.field or "", "")
        msg = f"{label}: {exc}" if label else str(exc)
        if not _wants_html(request):
            return JSONResponse({"detail": msg, "field": exc.field}, status_code=status)
        return _pqrs_response(request, user, status=status, error=msg, form=form)
    if not _wants_html(request):
        return JSONResponse({"message_id": result.message_id, "action": result.action,
                             "changed": result.changed, "detail": result.detail})
    query = urlencode({"hecho": result.action, "caso": result.message_id,
                       "cambio": int(result.changed)})
    return RedirectResponse(f"{_base(request)}/pqrs?{query}", status_code=303)


@app.post("/pqrs/confirmar")
def confirmar(request: Request, user: UserDep, message_id: Annotated[str, Form()] = "",
              radicado: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
              version: Annotated[str, Form()] = "") -> Response:
    from pulso.cases import review

    return _act(request, user, csrf, {"message_id": message_id, "radicado": radicado},
                lambda actor: review.confirm(_engine(), message_id, radicado, actor,
                                             version=_version(version)))


@app.post("/pqrs/tipo")
def cambiar_tipo(request: Request, user: UserDep, message_id: Annotated[str, Form()] = "",
                 pqrs_type: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
                 version: Annotated[str, Form()] = "") -> Response:
    from pulso.cases import review

    return _act(request, user, csrf, {"message_id": message_id, "pqrs_type": pqrs_type},
                lambda actor: review.retype(_engine(), message_id, pqrs_type, actor,
                                            calendar=_calendar(), version=_version(version)))


@app.post("/pqrs/descartar")
def descartar(request: Request, user: UserDep, message_id: Annotated[str, Form()] = "",
              reason: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
              version: Annotated[str, Form()] = "") -> Response:
    from pulso.cases import review

    return _act(request, user, csrf, {"message_id": message_id, "reason": reason},
                lambda actor: review.discard(_engine(), message_id, reason, actor,
                                             version=_version(version)))


@app.post("/pqrs/descartar-lote")
def descartar_lote(request: Request, user: UserDep,
                   casos: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI form
                   reason: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
                   volver: Annotated[str, Form()] = "") -> Response:
    """Discard the marked cases with one reason (each guarded by the version shown)."""
    from urllib.parse import parse_qsl

    from pulso.cases import review

    _require_read(user)
    _require_write(request, user, csrf)
    items = []
    for value in casos:
        mid, _, ver = value.rpartition("|")
        items.append((mid, _version(ver)) if mid else (value, None))
    try:
        result = review.bulk_discard(_engine(), items, reason, _name(user))
    except review.ReviewError as exc:
        if not _wants_html(request):
            return JSONResponse({"detail": str(exc), "field": exc.field}, status_code=422)
        return _pqrs_response(request, user, status=422, error=f"Descarte en lote: {exc}",
                              form={"reason": reason, "lote": "1"})
    if not _wants_html(request):
        return JSONResponse({"discarded": result.discarded, "skipped": result.skipped})
    keep = {k: v for k, v in parse_qsl(volver) if k in
            {"red", "tipo", "vence", "puntaje", "q", "orden", "por_pagina"}}
    query = urlencode({**keep, "hecho": "lote", "descartados": len(result.discarded),
                       "omitidos": len(result.skipped)})
    return RedirectResponse(f"{_base(request)}/pqrs?{query}", status_code=303)


class PulsoPlugin(AirflowPlugin):
    """Registers the pages and their entries in the *Pulso* menu of the Airflow UI."""

    name = "pulso"
    fastapi_apps = [{"app": app, "url_prefix": URL_PREFIX, "name": "Pulso"}]
    external_views = [
        {"name": "Informes", "href": f"{URL_PREFIX}/informes", "url_route": "pulso-informes",
         "category": "Pulso", "destination": "nav"},
        {"name": "Revisión PQRS", "href": f"{URL_PREFIX}/pqrs", "url_route": "pulso-pqrs",
         "category": "Pulso", "destination": "nav"},
    ]
