"""Accounting periods: every month with its state, and closing or reopening one after a
confirmation step (a page with the consequences, then a post that says it was confirmed)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends
from sqlmodel import Session
from starlette.responses import Response

from app.auth.models import Role
from app.auth.names import display_names
from app.auth.principal import Principal
from app.kit.dates import business_today
from app.ledger.calendar import period_calendar
from app.ledger.periods import check_period_text
from app.ledger.service import set_period_status
from app.problems import AppError
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_refusal
from app.web.page_call import FormPost, LedgerPage, PageCall, form_post, page_call, see_other
from app.web.period_present import PeriodRow, period_rows
from app.web.scope import Scope, scope_of, this_month

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
CONFIRMED = "yes"


def _rows(session: Session, principal: Principal, scope: Scope) -> list[PeriodRow]:
    periods = period_calendar(session, principal, scope.entity_id, today=business_today())
    names = display_names(session, {p.closed_by for p in periods})
    return period_rows(periods, principal, names, this_month())


def _periods_page(
    page: PageCall, entity: uuid.UUID | None, error: AppError | None = None
) -> Response:
    scope = scope_of(page.session, page.principal, entity)
    context = {
        "rows": _rows(page.session, page.principal, scope),
        "scope": scope,
        "entity_q": _entity_query(scope),
        "done": page.query("done"),
        "done_period": page.query("period") or "",
    }
    return render_refusal(page, "finance/periods.html", context, error)


def _entity_query(scope: Scope) -> str:
    # Only a user of several entities picks one; the others' links stay short.
    return f"entity={scope.entity_id}" if len(scope.entities) > 1 else ""


@router.get("/finance/periods")
def periods_page(page: LedgerPage, entity: uuid.UUID | None = None) -> Response:
    return _periods_page(page, entity)


def _confirm_page(
    page: PageCall, entity: uuid.UUID | None, period: str, *, close: bool
) -> Response:
    try:
        check_period_text(period)
    except AppError as exc:
        return _periods_page(page, entity, exc)
    scope = scope_of(page.session, page.principal, entity)
    rows = _rows(page.session, page.principal, scope)
    context: dict[str, Any] = {
        "row": next((r for r in rows if r.period.period == period), None),
        "period": period,
        "close": close,
        "scope": scope,
        "entity_q": _entity_query(scope),
        "confirmed": CONFIRMED,
    }
    return page.render("finance/period_confirm.html", context)


def _change_state(
    post: FormPost, entity: uuid.UUID | None, period: str, *, close: bool
) -> Response:
    if post.form.get("confirm") != CONFIRMED:
        return _confirm_page(post, entity, period, close=close)
    try:
        set_period_status(post.session, post.actor, entity=entity, period=period, close=close)
    except AppError as exc:
        return _periods_page(post, entity, exc)
    done = "closed" if close else "reopened"
    entity_part = f"&entity={entity}" if entity else ""
    return see_other(f"/finance/periods?done={done}&period={period}{entity_part}")


def _add_change_pages(change: str, *, close: bool, roles: tuple[Role, ...]) -> None:
    """The confirmation page of `change` (close or reopen) and its post, for `roles`."""
    # Defaults, not Annotated hints: postponed hints are read from the module, not this scope.
    may_see, may_change = Depends(page_call(*roles)), Depends(form_post(FormPost, *roles))

    def confirm(
        period: str, entity: uuid.UUID | None = None, *, page: PageCall = may_see
    ) -> Response:
        return _confirm_page(page, entity, period, close=close)

    def change_period(
        period: str, entity: uuid.UUID | None = None, *, post: FormPost = may_change
    ) -> Response:
        return _change_state(post, entity, period, close=close)

    path = f"/finance/periods/{{period}}/{change}"
    router.add_api_route(path, confirm, methods=["GET"], name=f"confirm_{change}")
    router.add_api_route(path, change_period, methods=["POST"], name=f"{change}_period")


# The same roles as the API: finance closes a month, only an admin reopens one.
_add_change_pages("close", close=True, roles=(Role.FINANCE,))
_add_change_pages("reopen", close=False, roles=(Role.ADMIN,))
