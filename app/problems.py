"""RFC 9457 problem details: the AppError base, the problem catalogue and the exception handlers."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger("railclaim.problems")

PROBLEM_MEDIA_TYPE = "application/problem+json"

# slug -> (title, explanation served at /problems/<slug>)
CATALOGUE: dict[str, tuple[str, str]] = {
    "validation-error": (
        "The request is not valid",
        "One or more fields are missing or wrong; "
        "`errors` lists each field and what is wrong with it.",
    ),
    "unauthorized": ("Authentication required", "Send a valid bearer token."),
    "invalid-credentials": ("Wrong username or password", "The login was refused."),
    "account-locked": ("Account temporarily locked", "Too many failed logins; try again later."),
    "account-disabled": (
        "Account deactivated",
        "An administrator deactivated this account; its logins and tokens no longer work.",
    ),
    "forbidden": ("Not allowed", "Your roles do not permit this action."),
    "csrf-failed": (
        "The form's CSRF token is missing or wrong",
        "Web forms carry a token tied to your login session; reload the page and submit again.",
    ),
    "not-found": ("Not found", "No such resource, or it is outside what you may see."),
    "method-not-allowed": ("Method not allowed", "This resource does not accept that method."),
    "too-large": ("Too large", "The request body or file exceeds the configured size limit."),
    "no-verified-checkpoint": (
        "No verified checkpoint",
        "`archive verify --since-last` needs a full verify that passed before it.",
    ),
    "request-timeout": (
        "Request timeout",
        "The request body arrived slower than RAILCLAIM_BODY_TIMEOUT_SECONDS allows.",
    ),
    "unsupported-media-type": (
        "Unsupported media type",
        "Send the content type this endpoint expects.",
    ),
    "conflict": ("Conflict", "The request conflicts with the current state."),
    "duplicate-entity": (
        "Legal entity already exists",
        "A legal entity with this 统一社会信用代码 is already registered.",
    ),
    "duplicate-username": ("Username taken", "Another user already has this username."),
    "duplicate-invoice": (
        "This invoice is already stored",
        "The same file, or another file of the same invoice number, exists; "
        "`existing_invoice_id` names it if you may read it, else `existing_invoice` says "
        "`another-entity` or `not-visible`.",
    ),
    "ticket-already-claimed": (
        "This ticket is already held by another document",
        "A ticket is reimbursed once: by its e-invoice or by its paper voucher. "
        "`existing_invoice_id` or `existing_paper_voucher_id` names the holder if you may read "
        "it, else `existing_invoice` or `existing_paper_voucher` says `another-entity` or "
        "`not-visible`.",
    ),
    "item-already-claimed": (
        "This document is already in a claim",
        "An invoice or paper voucher belongs to one claim at a time, whatever its state; remove "
        "it from the other draft first. `existing_claim_id` names the claim when known.",
    ),
    "item-not-claimable": (
        "This document cannot be claimed",
        "Void and red-letter documents are not reimbursed; `reason` says which applies.",
    ),
    "blocking-findings": (
        "The claim has blocking findings",
        "Policy findings of severity `block` prevent this step; `findings` lists them.",
    ),
    "warnings-not-acknowledged": (
        "Warnings must be acknowledged",
        "The claim has `warn` findings; approve again with `acknowledge_warnings: true`.",
    ),
    "no-approver": (
        "Nobody can approve this claim",
        "The claimant has no manager (or no second-level manager above the entity's "
        "threshold) and the entity names no fallback approver.",
    ),
    "self-approval": ("Nobody approves their own claim", "Another approver must decide."),
    "buyer-mismatch": (
        "The invoice's buyer is not one of your entities",
        "The buyer name and "
        "统一社会信用代码 must match a legal entity you work for; personal titles "
        "are refused.",
    ),
    "unreadable-file": ("The file cannot be read", "The file is damaged, truncated or unsafe."),
    "encrypted-file": ("The file is encrypted", "Upload the file as 12306 delivered it."),
    "not-a-railway-invoice": (
        "This is not a railway e-invoice",
        "Only 电子发票（铁路电子客票） are taken here.",
    ),
    "unsupported-format": ("Unsupported file format", "Send PDF, OFD, XML (XBRL) or ZIP files."),
    "paper-after-transition": (
        "Paper vouchers ended on 2025-09-30",
        "Paper 报销凭证 are valid "
        "only for travel dates up to 2025-09-30; later trips need the "
        "e-invoice.",
    ),
    "duplicate-paper-voucher": (
        "Paper voucher already registered",
        "A paper voucher with this serial number is registered.",
    ),
    "invalid-state": (
        "Not allowed in the current state",
        "The object's state does not permit this action; `detail` says which state it is in.",
    ),
    "period-closed": (
        "The accounting period is closed",
        "Post into an open period, or ask an admin to reopen it.",
    ),
    "paper-original-missing": (
        "A paper original has not been received",
        "Finance books a paper voucher only after its physical original arrived.",
    ),
    "segregation-of-duties": (
        "Segregation of duties forbids this",
        "Who approved a claim may not book it; who booked it may not pay it.",
    ),
    "idempotency-key-reused": (
        "This Idempotency-Key was used with another request",
        "Use a new key for a different request.",
    ),
    "request-in-progress": (
        "A request with this Idempotency-Key is in progress",
        "Wait for it and repeat the request to get its response.",
    ),
    "retention-active": (
        "Archived items are under retention",
        "会计档案管理办法: vouchers and their originals are kept 30 years from the end of their "
        "fiscal year; nothing archived is deleted before `retention_until`.",
    ),
    "stored-file-missing": (
        "The stored original is missing",
        "The database records a file the storage no longer holds; it must be restored from the "
        "archive or a backup. The event is logged and counted in /metrics.",
    ),
    "stored-file-damaged": (
        "The stored original is damaged",
        "The stored bytes no longer match the SHA-256 recorded at upload, so they are not served; "
        "the original must be restored from the archive or a backup.",
    ),
    "busy": ("Busy", "The service is overloaded for a moment; retry after the Retry-After delay."),
    "http-error": ("HTTP error", "The request could not be served."),
    "internal-error": (
        "Internal error",
        "Something failed on our side. Quote the request id when you report it.",
    ),
}


class AppError(Exception):
    """A domain error that knows its HTTP status and problem type; extensions go into the body."""

    status: int = 400
    slug: str = "http-error"
    title: str | None = None

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(detail or self.__class__.__name__)
        self.detail = detail
        self.extensions = extensions


class NotFound(AppError):
    status, slug = 404, "not-found"


class Unauthorized(AppError):
    status, slug = 401, "unauthorized"


class Forbidden(AppError):
    status, slug = 403, "forbidden"


class Conflict(AppError):
    status, slug = 409, "conflict"


class ValidationProblem(AppError):
    """A 422 raised by a service for a field the schema could not judge (e.g. a check digit)."""

    status, slug = 422, "validation-error"

    def __init__(self, field: str, message: str, *, code: str | None = None) -> None:
        # `code` names the rule broken, so pages can say it in the user's language.
        error = {"field": field, "message": message} | ({"code": code} if code else {})
        super().__init__(message, errors=[error])


def problem_response(
    status: int,
    slug: str,
    *,
    title: str | None = None,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"/problems/{slug}",
        "title": title or CATALOGUE.get(slug, ("Error", ""))[0],
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update(extensions)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


_STATUS_SLUGS = {
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    408: "request-timeout",
    413: "too-large",
    415: "unsupported-media-type",
    409: "conflict",
}


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "body"


def problem_body(exc: AppError) -> dict[str, Any]:
    """The problem+json body of an AppError, for responses and for per-item batch results."""
    body: dict[str, Any] = {
        "type": f"/problems/{exc.slug}",
        "title": exc.title or CATALOGUE.get(exc.slug, ("Error", ""))[0],
        "status": exc.status,
    }
    if exc.detail:
        body["detail"] = exc.detail
    body.update(exc.extensions)
    return body


async def _app_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse(
        problem_body(exc), status_code=exc.status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _field_name(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    return problem_response(
        422, "validation-error", detail="The request has invalid or missing fields.", errors=errors
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = _STATUS_SLUGS.get(exc.status_code, "http-error")
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(exc.status_code, slug, detail=detail, headers=headers)


async def _unhandled(request: Request, _exc: Exception) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None)
    logger.exception("unhandled error", extra={"request_id": request_id})
    return problem_response(
        500, "internal-error", detail="An unexpected error occurred.", request_id=request_id
    )


def is_database_busy(exc: Exception) -> bool:
    """SQLite's single write lock timed out under a burst: overload, not a bug."""
    return "database is locked" in str(exc)


def busy_response(headers: dict[str, str] | None = None) -> JSONResponse:
    """The 503 `busy` problem of an overloaded database (`headers` added to Retry-After)."""
    return problem_response(
        503,
        "busy",
        detail="The database is busy; retry in a moment.",
        headers={"Retry-After": "1", **(headers or {})},
    )


async def _database_busy(request: Request, exc: Exception) -> JSONResponse:
    if not is_database_busy(exc):
        return await _unhandled(request, exc)
    logger.warning(
        "database busy", extra={"request_id": getattr(request.state, "request_id", None)}
    )
    return busy_response()


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(OperationalError, _database_busy)
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled)


PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; extension members carry ids and field errors.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "`/problems/<slug>`"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "code": {"type": "string", "description": "the rule broken, when known"},
                },
            },
        },
        "request_id": {"type": ["string", "null"]},
    },
    "additionalProperties": True,
}
_PROBLEM_CONTENT = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Makes the OpenAPI document say what the handlers send: every error is problem+json.

    FastAPI documents 422 as its own `HTTPValidationError` JSON, which this service never sends;
    each 4xx/5xx response is rewritten to the Problem schema, and a `default` response covers the
    statuses an operation does not list (401, 403, 404, 413, 500, ...).
    """
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                if str(code)[0] in "45":
                    response["content"] = _PROBLEM_CONTENT
            responses["default"] = {"description": "A problem", "content": _PROBLEM_CONTENT}
    for unused in ("HTTPValidationError", "ValidationError"):
        schema["components"]["schemas"].pop(unused, None)
    return schema


def install_problem_openapi(app: FastAPI) -> None:
    """Post-processes the generated OpenAPI document once, on first request of it."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
