"""Refusing query parameters an API route does not declare, or gives more often than it takes.

A misspelt or unsupported filter (`GET /invoices?train_number=G1234`) used to be ignored, so the
caller got every row and believed it filtered; a filter given twice (`?period=2026-12&period=
2026-11`) kept its last value only. One router-wide dependency compares the query string with
what the matched route (its own parameters and its dependencies') declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union, get_args, get_origin

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.problems import AppError


class UnknownQueryParameters(AppError):
    status, slug = 422, "validation-error"


async def reject_unknown_query(request: Request) -> None:
    """422 `validation-error` naming each query parameter the route does not take, and each one
    of a single value given several times (async: it reads nothing but the request, so it needs
    no hop to the thread pool)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    declared = declared_query(route)
    given = request.query_params
    unknown = sorted(set(given) - declared.names)
    if unknown:
        raise UnknownQueryParameters(
            f"Unknown query parameter(s): {', '.join(unknown)}.",
            errors=[{"field": name, "message": "unknown query parameter"} for name in unknown],
        )
    repeated = sorted(n for n in set(given) - declared.several if len(given.getlist(n)) > 1)
    if repeated:
        raise UnknownQueryParameters(
            f"Query parameter(s) given more than once: {', '.join(repeated)}.",
            errors=[{"field": name, "message": "given more than once"} for name in repeated],
        )


@dataclass(frozen=True)
class DeclaredQuery:
    names: frozenset[str]  # every query name the route reads
    several: frozenset[str]  # those that take a list of values


# Routes compare by path, not identity, and are unhashable: keyed by id, the route kept alive.
_DECLARED: dict[int, tuple[APIRoute, DeclaredQuery]] = {}


def declared_query(route: APIRoute) -> DeclaredQuery:
    """The query names the route reads, through every dependency; computed once per route."""
    known = _DECLARED.get(id(route))
    if known is not None and known[0] is route:
        return known[1]
    names: set[str] = set()
    several: set[str] = set()
    pending: list[Dependant] = [route.dependant]
    while pending:
        dependant = pending.pop()
        for field in dependant.query_params:
            names.add(field.alias)
            if _takes_several(field.field_info.annotation):
                several.add(field.alias)
        pending.extend(dependant.dependencies)
    declared = DeclaredQuery(frozenset(names), frozenset(several))
    _DECLARED[id(route)] = (route, declared)
    return declared


def _takes_several(annotation: object) -> bool:
    origin = get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return True
    # `list[str] | None` and Optional[...]: a union whose members include a sequence.
    is_union = origin is Union or type(annotation).__name__ == "UnionType"
    return is_union and any(_takes_several(arg) for arg in get_args(annotation))
