"""A page holding a form: field errors beside the inputs, a refusal in the box above, the status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from app.problems import AppError
from app.web.forms import FormErrors
from app.web.i18n import Lang
from app.web.page_call import PageCall
from app.web.present import problem_view

ProblemView = Callable[[Lang, AppError], dict[str, Any]]


def render_form(
    page: PageCall,
    template: str,
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
        "problem": shown_as(page.lang, boxed) if boxed else None,
    }
    return page.render(template, context, status_code=errors.status_code)


def render_refusal(
    page: PageCall,
    template: str,
    context: dict[str, Any],
    error: AppError | None,
    *,
    shown_as: ProblemView = problem_view,
) -> Response:
    """The page with `error`, if any, explained in its problem box and answered with its status."""
    context = {**context, "problem": shown_as(page.lang, error) if error else None}
    return page.render(template, context, status_code=error.status if error else 200)
