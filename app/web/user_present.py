"""The user forms: a new user's posted form as a UserCreate; for the edit form, a user's current
fields as form values, and a posted form as a UserUpdate.

An edit form sends every field: a blank profile input clears that field (null), unticked role
and entity boxes mean none, so what the admin sees on the page is what the user becomes.
"""

from __future__ import annotations

from typing import Any

from app.auth.schemas import UserOut
from app.web.forms import FormErrors
from app.web.i18n import Lang
from app.web.validation_texts import validation_message

# Profile inputs of the edit form; employment type is a select that always has a value.
CLEARABLE_PROFILE_FIELDS = (
    "passenger_name",
    "id_last4",
    "grade",
    "department",
    "cost_centre",
    "manager_id",
)
PROFILE_FIELDS = (*CLEARABLE_PROFILE_FIELDS, "employment_type")
EMPLOYMENT_TYPES = (("contract", "劳动合同"), ("dispatched", "劳务派遣"), ("other", "其他"))


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if v]
    return [value] if value else []


def user_payload(form: dict[str, Any]) -> dict[str, Any]:
    """The flat user form as UserCreate's shape: lists for checkboxes, a nested profile."""
    payload: dict[str, Any] = {
        key: form[key] for key in ("username", "display_name", "password") if form.get(key)
    }
    payload["roles"] = _as_list(form.get("roles"))
    payload["entity_ids"] = _as_list(form.get("entity_ids"))
    profile = {key: form[key] for key in PROFILE_FIELDS if form.get(key)}
    if set(profile) - {"employment_type"}:
        payload["profile"] = profile
    return payload


def edit_values(user: UserOut) -> dict[str, Any]:
    """The form as it opens: the user's stored fields, as strings the inputs show."""
    values: dict[str, Any] = {
        "display_name": user.display_name,
        "email": user.email or "",
        "language": user.language,
        "roles": list(user.roles),
        "entity_ids": [str(e) for e in user.entity_ids],
        "employment_type": user.profile.employment_type if user.profile else "contract",
    }
    profile = user.profile.model_dump() if user.profile else {}
    for name in CLEARABLE_PROFILE_FIELDS:
        value = profile.get(name)
        values[name] = "" if value is None else str(value)
    return values


def update_payload(form: dict[str, Any]) -> dict[str, Any]:
    """UserUpdate's shape: blanks clear optional fields; a blank display name stays a blank."""
    profile: dict[str, Any] = {
        name: (form.get(name) or None) for name in CLEARABLE_PROFILE_FIELDS if name in form
    }
    if form.get("employment_type"):
        profile["employment_type"] = form["employment_type"]
    payload: dict[str, Any] = {
        "display_name": form.get("display_name", ""),
        "roles": _as_list(form.get("roles")),
        "entities": _as_list(form.get("entity_ids")),
        "email": form.get("email") or None,
        "profile": profile,
    }
    if form.get("language"):
        payload["language"] = form["language"]
    return payload


def blank_display_name(form: dict[str, Any], lang: Lang) -> FormErrors:
    # The form drops blank inputs as "not sent"; a name left empty is a mistake, not a no-op.
    if str(form.get("display_name", "")).strip():
        return FormErrors()
    return FormErrors(fields={"display_name": validation_message(lang, {"type": "missing"})})


def password_errors(form: dict[str, Any], lang: Lang) -> FormErrors:
    """The repeat must match: a typo in a password nobody can see would lock the user out."""
    if form.get("password", "") == form.get("password_repeat", ""):
        return FormErrors()
    message = validation_message(lang, {"type": "passwords_differ"})
    return FormErrors(fields={"password_repeat": message})
