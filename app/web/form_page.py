"""A page holding a form: field errors beside the inputs, a refusal in the box above, the status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from starlette.responses import Response

from app.auth.principal import Principal
from app.problems import AppError
from app.web.forms import FormErrors
from app.web.i18n import Lang, request_lang
from app.web.present import problem_view
from app.web.templating import render

ProblemView = Callable[[Lang, AppError], dict[str, Any]]


def render_form(
    request: Request,
    template: str,
    principal: Principal,
    context: dict[str, Any],
    errors: FormErrors,
    *,
    box_field_refusals: bool = True,
    shown_as: ProblemView = problem_view,
) -> Response:
    """`context` with the form's errors; `box_field_refusals=False` leaves a refusal that names
    fields beside them only, so the box shows just the other kinds."""
    boxed = errors.problem if box_field_refusals or not errors.fields else None
    context = {
        **context,
        "errors": errors.fields,
        "problem": shown_as(request_lang(request), boxed) if boxed else None,
    }
    return render(request, template, context, principal=principal, status_code=errors.status_code)
