"""Admin settings pages: the claim policy of each legal entity, and webhook subscriptions with
their deliveries (the secret of a new subscription is shown once)."""

from __future__ import annotations

import uuid
from typing import Any, get_args

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.auth import service as auth_service
from app.auth.principal import Principal
from app.claims import policy_store
from app.claims.schemas import ClaimPolicyIn
from app.config import SettingsDep
from app.db import SessionDep
from app.kit.pagination import CursorQuery
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form
from app.web.forms import FormErrors, FormFields, parse_form, refused
from app.web.i18n import request_lang
from app.web.scope import scope_of
from app.web.session import AdminWebUser
from app.webhooks import service as webhooks
from app.webhooks.schemas import EventType, SubscriptionCreate

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 50


def _policy_page(
    request: Request,
    session: Session,
    principal: Principal,
    entity: uuid.UUID | None,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
) -> Response:
    scope = scope_of(session, principal, entity)
    policy = policy_store.read_policy(session, principal, scope.entity_id)
    users, _ = auth_service.list_users(session, cursor=None, limit=200)
    context = {
        "scope": scope,
        "policy": policy,
        "values": values if values is not None else _policy_values(policy.model_dump(mode="json")),
        "approvers": [u for u in users if scope.entity_id in u.entity_ids and u.is_active],
        "saved": request.query_params.get("saved"),
    }
    return render_form(request, "admin/policy.html", principal, context, errors or FormErrors())


@router.get("/admin/policy")
def policy_page(
    request: Request, session: SessionDep, principal: AdminWebUser, entity: uuid.UUID | None = None
) -> Response:
    return _policy_page(request, session, principal, entity)


@router.post("/admin/policy/{entity_id}")
def save_policy(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AdminWebUser,
    _csrf: CsrfChecked,
    entity_id: uuid.UUID,
    form: FormFields,
) -> Response:
    # An unticked checkbox is absent from the form: segregation switched off.
    fields = {**form, "segregation_of_duties": form.get("segregation_of_duties") == "on"}
    # The cabin-letter table's three inputs are named `cabin_classes.<class>`.
    fields["cabin_classes"] = {
        name.removeprefix(CABINS): fields.pop(name)
        for name in list(fields)
        if name.startswith(CABINS)
    }
    data, errors = parse_form(ClaimPolicyIn, fields, request_lang(request))
    try:
        if data is None:
            return _policy_page(request, session, principal, entity_id, form, errors)
        policy_store.replace_policy(
            session, principal, entity_id, data, audit_key=audit_key(settings)
        )
    except AppError as exc:
        return _policy_page(
            request, session, principal, entity_id, form, refused(exc, request_lang(request))
        )
    return RedirectResponse(f"/admin/policy?entity={entity_id}&saved=1", status_code=303)


CABINS = "cabin_classes."


def _policy_values(policy: dict[str, Any]) -> dict[str, Any]:
    """The policy as the form's inputs name it: the cabin table's classes one input each."""
    cabins = policy.pop("cabin_classes")
    return {**policy, **{f"{CABINS}{name}": letters for name, letters in cabins.items()}}


def _webhooks_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    created: Any = None,
) -> Response:
    subscriptions, next_cursor = webhooks.list_subscriptions(
        session, cursor=request.query_params.get("cursor"), limit=PAGE_SIZE
    )
    context = {
        "subscriptions": subscriptions,
        "next_cursor": next_cursor,
        "event_types": get_args(EventType),
        "values": values or {},
        "created": created,
    }
    return render_form(request, "admin/webhooks.html", principal, context, errors or FormErrors())


@router.get("/admin/webhooks")
def webhooks_page(request: Request, session: SessionDep, principal: AdminWebUser) -> Response:
    return _webhooks_page(request, session, principal)


@router.post("/admin/webhooks")
def create_webhook(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AdminWebUser,
    _csrf: CsrfChecked,
    form: FormFields,
) -> Response:
    types = form.get("event_types") or []
    fields = {**form, "event_types": types if isinstance(types, list) else [types]}
    data, errors = parse_form(SubscriptionCreate, fields, request_lang(request))
    if data is None:
        return _webhooks_page(request, session, principal, values=form, errors=errors)
    try:
        created = webhooks.create_subscription(
            session, data, actor=principal.user, settings=settings
        )
    except AppError as exc:
        return _webhooks_page(
            request, session, principal, values=form, errors=refused(exc, request_lang(request))
        )
    # Rendered, not redirected: the secret must never travel in a URL.
    return _webhooks_page(request, session, principal, created=created)


@router.post("/admin/webhooks/{subscription_id}/delete")
def delete_webhook(
    session: SessionDep,
    settings: SettingsDep,
    principal: AdminWebUser,
    _csrf: CsrfChecked,
    subscription_id: uuid.UUID,
) -> Response:
    webhooks.delete_subscription(session, subscription_id, actor=principal.user, settings=settings)
    return RedirectResponse("/admin/webhooks", status_code=303)


def _deliveries_page(
    request: Request,
    session: Session,
    principal: Principal,
    subscription_id: uuid.UUID,
    cursor: str | None,
    error: AppError | None = None,
) -> Response:
    subscription = webhooks.get_subscription(session, subscription_id)
    deliveries, next_cursor = webhooks.list_deliveries(
        session, subscription_id, status=None, cursor=cursor, limit=PAGE_SIZE
    )
    context = {"subscription": subscription, "deliveries": deliveries, "next_cursor": next_cursor}
    errors = refused(error, request_lang(request)) if error else FormErrors()
    return render_form(request, "admin/deliveries.html", principal, context, errors)


@router.get("/admin/webhooks/{subscription_id}")
def deliveries_page(
    request: Request,
    session: SessionDep,
    principal: AdminWebUser,
    subscription_id: uuid.UUID,
    cursor: CursorQuery = None,
) -> Response:
    return _deliveries_page(request, session, principal, subscription_id, cursor)


@router.post("/admin/webhooks/{subscription_id}/deliveries/{delivery_id}/retry")
def retry_delivery(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AdminWebUser,
    _csrf: CsrfChecked,
    subscription_id: uuid.UUID,
    delivery_id: uuid.UUID,
) -> Response:
    try:
        webhooks.retry_delivery(
            session, subscription_id, delivery_id, actor=principal.user, settings=settings
        )
    except AppError as exc:
        return _deliveries_page(request, session, principal, subscription_id, None, exc)
    return RedirectResponse(f"/admin/webhooks/{subscription_id}?retried=1", status_code=303)
