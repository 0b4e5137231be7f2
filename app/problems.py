"""RFC 9457 problem details: the AppError base, the problem catalogue and the exception handlers."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger("railclaim.problems")

PROBLEM_MEDIA_TYPE = "application/problem+json"

# slug -> (title, explanation served at /problems/<slug>). Filled by the AppError subclasses: the
# one class that introduces a problem type writes its status, slug, title and explanation once.
CATALOGUE: dict[str, tuple[str, str]] = {}


def describe_problem(slug: str, title: str, explanation: str) -> None:
    """Adds a problem type to the catalogue; a slug is described once, by one class."""
    if slug in CATALOGUE:
        raise TypeError(f"The problem type {slug!r} is described twice.")
    CATALOGUE[slug] = (title, explanation)


def describe_renamed(old: str, new: str) -> None:
    """Keeps a renamed problem type's page: it names the type answers now carry instead."""
    title = f"Renamed: {old} is now {new}"
    describe_problem(old, title, f"Responses now carry the type /problems/{new}.")
    RENAMED[old] = new


# old slug -> the slug that replaced it; both pages answer, the old one pointing to the new.
RENAMED: dict[str, str] = {}


class AppError(Exception):
    """A domain error that knows its HTTP status and problem type; extensions go into the body.

    A subclass with an `explanation` introduces its slug: its title and explanation are the
    catalogue's. One that only reuses a slug may give a title of its own, else the catalogue's."""

    status: int = 400
    slug: str = "http-error"
    title: str | None = None
    explanation: ClassVar[str] = "The request could not be served."

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__
        if "slug" in own and "title" not in own:
            cls.title = None  # not the parent's title: the one its slug has in the catalogue
        if "explanation" in own:
            if cls.title is None:
                raise TypeError(f"{cls.__name__} introduces {cls.slug!r} without a title.")
            describe_problem(cls.slug, cls.title, cls.explanation)

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(detail or self.__class__.__name__)
        self.detail = detail
        self.extensions = extensions


describe_problem(AppError.slug, "HTTP error", AppError.explanation)


class NotFound(AppError):
    status, slug = 404, "not-found"
    title = "Not found"
    explanation = "No such resource, or it is outside what you may see."


class Unauthorized(AppError):
    status, slug = 401, "unauthorized"
    title = "Authentication required"
    explanation = "Send a valid bearer token."


class Forbidden(AppError):
    status, slug = 403, "forbidden"
    title = "Not allowed"
    explanation = "Your roles do not permit this action."


class Conflict(AppError):
    status, slug = 409, "conflict"
    title = "Conflict"
    explanation = "The request conflicts with the current state."


class ValidationProblem(AppError):
    """A 422 raised by a service for a field the schema could not judge (e.g. a check digit)."""

    status, slug = 422, "validation-error"
    title = "The request is not valid"
    explanation = (
        "One or more fields are missing or wrong; "
        "`errors` lists each field and what is wrong with it."
    )

    def __init__(self, field: str, message: str, *, code: str | None = None) -> None:
        # `code` names the rule broken, so pages can say it in the user's language.
        error = {"field": field, "message": message} | ({"code": code} if code else {})
        super().__init__(message, errors=[error])


class MethodNotAllowed(AppError):
    status, slug = 405, "method-not-allowed"
    title = "Method not allowed"
    explanation = "This resource does not accept that method."


class RequestTimeout(AppError):
    status, slug = 408, "request-timeout"
    title = "Request timeout"
    explanation = "The request body arrived slower than RAILCLAIM_BODY_TIMEOUT_SECONDS allows."


class TooLarge(AppError):
    status, slug = 413, "too-large"
    title = "Too large"
    explanation = "The request body or file exceeds the configured size limit."


class UnsupportedMediaType(AppError):
    status, slug = 415, "unsupported-media-type"
    title = "Unsupported media type"
    explanation = "Send the content type this endpoint expects."


class InternalError(AppError):
    status, slug = 500, "internal-error"
    title = "Internal error"
    explanation = "Something failed on our side. Quote the request id when you report it."


class Busy(AppError):
    status, slug = 503, "busy"
    title = "Busy"
    explanation = "The service is overloaded for a moment; retry after the Retry-After delay."


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


# The problem type of a bare HTTP status (routing, body limits), from the classes that name it.
_STATUS_SLUGS = {
    cls.status: cls.slug
    for cls in (
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        RequestTimeout,
        TooLarge,
        UnsupportedMediaType,
        Conflict,
    )
}


def slug_for_status(status: int) -> str:
    """The problem type of an HTTP error that no AppError raised (routing, body limits)."""
    return _STATUS_SLUGS.get(status, AppError.slug)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "body"


def _field_error(error: Any) -> dict[str, str]:
    loc = tuple(error["loc"])
    if error.get("type") == "json_invalid":
        # Its location is a character offset, no field: name the body and say where.
        where = f" at character {loc[-1]}" if loc and isinstance(loc[-1], int) else ""
        return {"field": "body", "message": f"the body is not valid JSON{where}"}
    return {"field": _field_name(loc), "message": error["msg"]}


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
    errors = [_field_error(e) for e in exc.errors()]
    return problem_response(
        422, "validation-error", detail="The request has invalid or missing fields.", errors=errors
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = slug_for_status(exc.status_code)
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
