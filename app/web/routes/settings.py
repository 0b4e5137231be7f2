"""Admin settings pages: the claim policy of each legal entity, and webhook subscriptions with
their deliveries (the secret of a new subscription is shown once)."""

from __future__ import annotations

import uuid
from typing import Any, get_args

from fastapi import APIRouter
from starlette.responses import Response

from app.auth import service as auth_service
from app.claims import policy_store
from app.claims.schemas import ClaimPolicyIn
from app.kit.pagination import CursorQuery
from app.problems import AppError
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form
from app.web.forms import FormErrors, refused
from app.web.page_call import AdminPage, AdminPost, PageCall, see_other
from app.web.scope import scope_of
from app.webhooks import service as webhooks
from app.webhooks.schemas import EventType, SubscriptionCreate

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 50


def _policy_page(
    page: PageCall,
    entity: uuid.UUID | None,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
) -> Response:
    session = page.session
    scope = scope_of(session, page.principal, entity)
    policy = policy_store.read_policy(session, page.principal, scope.entity_id)
    users, _ = auth_service.list_users(session, cursor=None, limit=200)
    context = {
        "scope": scope,
        "policy": policy,
        "values": values if values is not None else _policy_values(policy.model_dump(mode="json")),
        "approvers": [u for u in users if scope.entity_id in u.entity_ids and u.is_active],
        "saved": page.query("saved"),
    }
    return render_form(page, "admin/policy.html", context, errors or FormErrors())


@router.get("/admin/policy")
def policy_page(page: AdminPage, entity: uuid.UUID | None = None) -> Response:
    return _policy_page(page, entity)


@router.post("/admin/policy/{entity_id}")
def save_policy(post: AdminPost, entity_id: uuid.UUID) -> Response:
    def replace(data: ClaimPolicyIn) -> object:
        return policy_store.replace_policy(
            post.session, post.principal, entity_id, data, audit_key=post.actor.audit_key
        )

    return post.submit(
        ClaimPolicyIn,
        replace,
        again=lambda errors: _policy_page(post, entity_id, post.form, errors),
        then=lambda _policy: see_other(f"/admin/policy?entity={entity_id}&saved=1"),
        data=_policy_fields(post.form),
    )


CABINS = "cabin_classes."


def _policy_fields(form: dict[str, Any]) -> dict[str, Any]:
    """The form as ClaimPolicyIn's shape: the checkbox a boolean, the cabin table one mapping."""
    # An unticked checkbox is absent from the form: segregation switched off.
    fields = {**form, "segregation_of_duties": form.get("segregation_of_duties") == "on"}
    # The cabin-letter table's three inputs are named `cabin_classes.<class>`.
    fields["cabin_classes"] = {
        name.removeprefix(CABINS): fields.pop(name)
        for name in list(fields)
        if name.startswith(CABINS)
    }
    return fields


def _policy_values(policy: dict[str, Any]) -> dict[str, Any]:
    """The policy as the form's inputs name it: the cabin table's classes one input each."""
    cabins = policy.pop("cabin_classes")
    return {**policy, **{f"{CABINS}{name}": letters for name, letters in cabins.items()}}


def _webhooks_page(
    page: PageCall,
    *,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    created: Any = None,
) -> Response:
    subscriptions, next_cursor = webhooks.list_subscriptions(
        page.session, cursor=page.query("cursor"), limit=PAGE_SIZE
    )
    context = {
        "subscriptions": subscriptions,
        "next_cursor": next_cursor,
        "event_types": get_args(EventType),
        "values": values or {},
        "created": created,
    }
    return render_form(page, "admin/webhooks.html", context, errors or FormErrors())


@router.get("/admin/webhooks")
def webhooks_page(page: AdminPage) -> Response:
    return _webhooks_page(page)


@router.post("/admin/webhooks")
def create_webhook(post: AdminPost) -> Response:
    types = post.form.get("event_types") or []
    return post.submit(
        SubscriptionCreate,
        post.by_user(webhooks.create_subscription),
        again=lambda errors: _webhooks_page(post, values=post.form, errors=errors),
        # Rendered, not redirected: the secret must never travel in a URL.
        then=lambda created: _webhooks_page(post, created=created),
        data={**post.form, "event_types": types if isinstance(types, list) else [types]},
    )


@router.post("/admin/webhooks/{subscription_id}/delete")
def delete_webhook(post: AdminPost, subscription_id: uuid.UUID) -> Response:
    webhooks.delete_subscription(
        post.session, subscription_id, actor=post.principal.user, settings=post.settings
    )
    return see_other("/admin/webhooks")


def _deliveries_page(
    page: PageCall,
    subscription_id: uuid.UUID,
    cursor: str | None,
    error: AppError | None = None,
) -> Response:
    subscription = webhooks.get_subscription(page.session, subscription_id)
    deliveries, next_cursor = webhooks.list_deliveries(
        page.session, subscription_id, status=None, cursor=cursor, limit=PAGE_SIZE
    )
    context = {"subscription": subscription, "deliveries": deliveries, "next_cursor": next_cursor}
    errors = refused(error, page.lang) if error else FormErrors()
    return render_form(page, "admin/deliveries.html", context, errors)


@router.get("/admin/webhooks/{subscription_id}")
def deliveries_page(
    page: AdminPage, subscription_id: uuid.UUID, cursor: CursorQuery = None
) -> Response:
    return _deliveries_page(page, subscription_id, cursor)


@router.post("/admin/webhooks/{subscription_id}/deliveries/{delivery_id}/retry")
def retry_delivery(post: AdminPost, subscription_id: uuid.UUID, delivery_id: uuid.UUID) -> Response:
    try:
        webhooks.retry_delivery(
            post.session,
            subscription_id,
            delivery_id,
            actor=post.principal.user,
            settings=post.settings,
        )
    except AppError as exc:
        return _deliveries_page(post, subscription_id, None, exc)
    return see_other(f"/admin/webhooks/{subscription_id}?retried=1")
