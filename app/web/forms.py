"""Form posts into the API's request models, with field errors a page can show beside inputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from app.problems import AppError, ValidationProblem
from app.web.i18n import Lang
from app.web.validation_texts import validation_message

M = TypeVar("M", bound=BaseModel)


async def _form_fields(request: Request) -> dict[str, Any]:
    """Text fields of the posted form; repeated names (checkboxes) become lists."""
    form = await request.form()
    fields: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        fields[key] = values if len(values) > 1 else (values[0] if values else "")
    return fields


FormFields = Annotated[dict[str, Any], Depends(_form_fields)]


@dataclass
class FormErrors:
    """What went wrong with a post: per field, and for the whole form (a service refusal)."""

    fields: dict[str, str] = field(default_factory=dict)
    problem: AppError | None = None

    def __bool__(self) -> bool:
        return bool(self.fields or self.problem)

    @property
    def status_code(self) -> int:
        """The page's status: a refusal's own, 422 for field errors alone, else 200."""
        if self.problem is not None:
            return self.problem.status
        return 422 if self.fields else 200


def _field_of(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "form"


def parse_form(model: type[M], data: dict[str, Any], lang: Lang) -> tuple[M | None, FormErrors]:
    """The model, or field errors in `lang`; blank optional inputs count as absent."""
    cleaned = {k: v for k, v in data.items() if v != "" and k != "csrf_token"}
    try:
        return model.model_validate(cleaned), FormErrors()
    except ValidationError as exc:
        errors = {_field_of(tuple(e["loc"])): validation_message(lang, e) for e in exc.errors()}
        return None, FormErrors(fields=errors)


def refused(exc: AppError, lang: Lang) -> FormErrors:
    """A service refusal as form errors; a 422 with field errors marks those fields.

    A service names the rule it applied in `code` (the same namespace as pydantic's types);
    without one, Chinese pages say the field is invalid rather than print the English sentence.
    """
    fields = {
        str(e.get("field")): _service_message(lang, e)
        for e in exc.extensions.get("errors", [])
        if isinstance(e, dict)
    }
    return FormErrors(fields=fields, problem=exc)


def _service_message(lang: Lang, error: dict[str, Any]) -> str:
    if "code" in error or lang != "en":
        return validation_message(lang, {"type": error.get("code", ""), "ctx": {}})
    return str(error.get("message"))


def as_problem(errors: FormErrors) -> AppError:
    """Field errors of a one-field form as the refusal its page shows in the problem box."""
    if errors.problem is not None:
        return errors.problem
    field_name, message = next(iter(errors.fields.items()), ("form", "invalid"))
    problem = ValidationProblem(field_name, message)
    # Already in the page's language: the problem box prints it as it is.
    problem.extensions["errors"] = [{"field": field_name, "message": message, "text": message}]
    return problem
