"""Filter forms sent by GET: parsed in the handler, so a wrong value re-renders the same form.

FastAPI's typed query parameters refuse a bad value before the handler runs, which leaves the
browser on an error page with nothing to correct. A page instead takes its filters through
`query_form(Model)`: the model (the same validated types as the API), the values as typed and
the field errors, which the page shows beside the fields with status 422.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from fastapi import Request
from pydantic import BaseModel

from app.problems import AppError
from app.web.forms import FormErrors, parse_form, refused
from app.web.i18n import Lang, request_lang

M = TypeVar("M", bound=BaseModel)
# Not filters: the language switch and the pager travel along on every page.
_NOT_FILTERS = frozenset({"lang", "cursor"})


@dataclass
class QueryForm(Generic[M]):
    values: dict[str, str]
    data: M | None
    errors: FormErrors = field(default_factory=FormErrors)
    lang: Lang = "zh-CN"

    @property
    def status_code(self) -> int:
        return 422 if self.errors else 200

    def refuse(self, exc: AppError) -> None:
        """A service's 422 about these filters joins the field errors; anything else is raised."""
        if exc.status != 422 or not exc.extensions.get("errors"):
            raise exc
        self.errors = refused(exc, self.lang)
        self.data = None


def query_form(model: type[M]) -> Callable[[Request], QueryForm[M]]:
    """A dependency: the request's query string parsed into `model`, errors kept, not raised."""

    def dependency(request: Request) -> QueryForm[M]:
        lang = request_lang(request)
        values = {k: v for k, v in request.query_params.items() if k not in _NOT_FILTERS}
        data, errors = parse_form(model, dict(values), lang)
        return QueryForm(values=values, data=data, errors=errors, lang=lang)

    return dependency
