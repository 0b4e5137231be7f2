"""Refusing query parameters an API route does not declare.

A misspelt or unsupported filter (`GET /invoices?train_number=G1234`) used to be ignored, so the
caller got every row and believed it filtered. One router-wide dependency compares the query
string with what the matched route (its own parameters and its dependencies') declares.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.problems import AppError


class UnknownQueryParameters(AppError):
    status, slug = 422, "validation-error"


async def reject_unknown_query(request: Request) -> None:
    """422 `validation-error` naming each query parameter the route does not take (async: it
    reads nothing but the request, so it needs no hop to the thread pool)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    unknown = sorted(set(request.query_params) - declared_query_names(route))
    if unknown:
        raise UnknownQueryParameters(
            f"Unknown query parameter(s): {', '.join(unknown)}.",
            errors=[{"field": name, "message": "unknown query parameter"} for name in unknown],
        )


# Routes compare by path, not identity, and are unhashable: keyed by id, the route kept alive.
_DECLARED: dict[int, tuple[APIRoute, frozenset[str]]] = {}


def declared_query_names(route: APIRoute) -> frozenset[str]:
    """The query names the route reads, through every dependency; computed once per route."""
    known = _DECLARED.get(id(route))
    if known is not None and known[0] is route:
        return known[1]
    names: set[str] = set()
    pending: list[Dependant] = [route.dependant]
    while pending:
        dependant = pending.pop()
        names.update(field.alias for field in dependant.query_params)
        pending.extend(dependant.dependencies)
    declared = frozenset(names)
    _DECLARED[id(route)] = (route, declared)
    return declared
