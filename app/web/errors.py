"""Errors on web pages: a page in words (from the problem's title and detail), never a stack.

The API's problem+json handlers stay in charge of everything else; these wrap them and answer
with HTML only for the web's page routes, and for unknown paths a browser asked to see.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from app.problems import CATALOGUE, AppError
from app.web.i18n import Lang, problem_hint, problem_title, request_lang
from app.web.problem_texts import PROBLEMS
from app.web.validation_texts import validation_message

logger = logging.getLogger("railclaim.web")

Handler = Callable[[Request, Exception], Awaitable[Response]]
WEB_PAGE_TAG = "web-page"
_API_PREFIXES = ("/api/", "/static/", "/problems/", "/healthz", "/readyz", "/metrics", "/docs")


def is_page_request(request: Request) -> bool:
    """A web page route, or an unmatched path a browser navigated to."""
    route = request.scope.get("route")
    if route is not None:
        return WEB_PAGE_TAG in (getattr(route, "tags", None) or [])
    accepts_html = "text/html" in request.headers.get("accept", "")
    return accepts_html and not request.url.path.startswith(_API_PREFIXES)


def _problem_of(exc: Exception) -> tuple[int, str, str, str | None]:
    """(status, slug, English title, detail) of any exception a handler receives."""
    if isinstance(exc, AppError):
        title = exc.title or CATALOGUE.get(exc.slug, ("Error", ""))[0]
        return exc.status, exc.slug, title, exc.detail
    if isinstance(exc, RequestValidationError):
        return 422, "validation-error", CATALOGUE["validation-error"][0], None
    if isinstance(exc, StarletteHTTPException):
        slug = {404: "not-found", 403: "forbidden", 405: "method-not-allowed"}.get(
            exc.status_code, "http-error"
        )
        detail = exc.detail if isinstance(exc.detail, str) else None
        return exc.status_code, slug, CATALOGUE.get(slug, ("Error", ""))[0], detail
    return 500, "internal-error", CATALOGUE["internal-error"][0], None


def _validation_detail(lang: Lang, exc: Exception) -> str | None:
    """Which query or form fields were wrong and why, in the page's language."""
    if not isinstance(exc, RequestValidationError):
        return None
    return "；".join(f"{e['loc'][-1]}：{validation_message(lang, e)}" for e in exc.errors())


def _prose_detail(lang: Lang, slug: str, status: int, detail: str | None) -> str | None:
    # A 500's own message may hold internals: only the request id is shown. The detail is an
    # English sentence: a Chinese page shows it only when it has no words of its own.
    if status >= 500 or (lang != "en" and slug in PROBLEMS):
        return None
    return detail


def error_page(request: Request, exc: Exception) -> Response:
    # Imported here: templating imports the web modules that import this one.
    from app.web.session import optional_principal_of
    from app.web.templating import render

    status, slug, title, detail = _problem_of(exc)
    if status == 401:
        # A post's target cannot be replayed by a redirect: after login, back to the dashboard.
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        login_url = f"/login?next={quote(target, safe='')}" if request.method == "GET" else "/login"
        return RedirectResponse(login_url, status_code=303)
    lang = request_lang(request)
    context: dict[str, Any] = {
        "status": status,
        "slug": slug,
        "title": problem_title(lang, slug, title),
        "hint": problem_hint(lang, slug),
        "detail": _validation_detail(lang, exc) or _prose_detail(lang, slug, status, detail),
        "request_id": getattr(request.state, "request_id", None),
    }
    principal = optional_principal_of(request)
    return render(request, "error.html", context, principal=principal, status_code=status)


def _html_or(api_handler: Handler) -> Handler:
    async def handler(request: Request, exc: Exception) -> Response:
        if not is_page_request(request):
            return await api_handler(request, exc)
        if not isinstance(exc, AppError | StarletteHTTPException | RequestValidationError):
            logger.exception("unhandled error on a page", exc_info=exc)
        return error_page(request, exc)

    return handler


def install_error_pages(app: FastAPI) -> None:
    """Wraps the problem+json handlers already installed (install_problem_handlers first)."""
    for exc_class in (AppError, RequestValidationError, StarletteHTTPException, Exception):
        api_handler = cast(Handler, app.exception_handlers[exc_class])
        app.add_exception_handler(exc_class, _html_or(api_handler))
