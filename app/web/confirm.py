"""Destructive forms (delete a draft, reverse a voucher) go through only with their box ticked."""

from __future__ import annotations

from typing import Any

from app.problems import AppError
from app.web.forms import FormErrors, as_problem
from app.web.i18n import Lang, translate

CONFIRM_FIELD = "confirm"


def confirmed(form: dict[str, Any]) -> bool:
    # A browser sends a checkbox only when ticked; its value is the template's "yes".
    return form.get(CONFIRM_FIELD) == "yes"


def not_confirmed(lang: Lang) -> AppError:
    """The refusal the page shows when the box was not ticked (a script-free browser's post)."""
    field = translate(lang, "确认")
    return as_problem(FormErrors(fields={field: translate(lang, "请先勾选确认框。")}))
