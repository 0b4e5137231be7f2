"""Accounting periods: every month with its state, and closing or reopening one after a
confirmation step (a page with the consequences, then a post that says it was confirmed)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.auth.actor import Actor
from app.auth.models import Role
from app.auth.names import display_names
from app.auth.principal import Principal
from app.config import SettingsDep
from app.db import SessionDep
from app.kit.dates import business_today
from app.ledger.calendar import period_calendar
from app.ledger.closing import set_period_status
from app.ledger.periods import check_period_text
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.forms import FormFields
from app.web.i18n import request_lang
from app.web.period_present import PeriodRow, period_rows
from app.web.present import problem_view
from app.web.scope import Scope, scope_of, this_month
from app.web.session import require_web_roles
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
LedgerWebUser = Annotated[
    Principal, Depends(require_web_roles(Role.FINANCE, Role.AUDITOR, Role.ADMIN))
]
CONFIRMED = "yes"


def _rows(session: Session, principal: Principal, scope: Scope) -> list[PeriodRow]:
    periods = period_calendar(session, principal, scope.entity_id, today=business_today())
    names = display_names(session, {p.closed_by for p in periods})
    return period_rows(periods, principal, names, this_month())


def _periods_page(
    request: Request,
    session: Session,
    principal: Principal,
    entity: uuid.UUID | None,
    error: AppError | None = None,
) -> Response:
    scope = scope_of(session, principal, entity)
    context = {
        "rows": _rows(session, principal, scope),
        "scope": scope,
        "entity_q": _entity_query(scope),
        "done": request.query_params.get("done"),
        "done_period": request.query_params.get("period", ""),
        "problem": problem_view(request_lang(request), error) if error else None,
    }
    status_code = error.status if error else 200
    return render(
        request, "finance/periods.html", context, principal=principal, status_code=status_code
    )


def _entity_query(scope: Scope) -> str:
    # Only a user of several entities picks one; the others' links stay short.
    return f"entity={scope.entity_id}" if len(scope.entities) > 1 else ""


@router.get("/finance/periods")
def periods_page(
    request: Request, session: SessionDep, principal: LedgerWebUser, entity: uuid.UUID | None = None
) -> Response:
    return _periods_page(request, session, principal, entity)


def _confirm_page(
    request: Request,
    session: Session,
    principal: Principal,
    entity: uuid.UUID | None,
    period: str,
    *,
    close: bool,
) -> Response:
    try:
        check_period_text(period)
    except AppError as exc:
        return _periods_page(request, session, principal, entity, exc)
    scope = scope_of(session, principal, entity)
    row = next((r for r in _rows(session, principal, scope) if r.period.period == period), None)
    context: dict[str, Any] = {
        "row": row,
        "period": period,
        "close": close,
        "scope": scope,
        "entity_q": _entity_query(scope),
        "confirmed": CONFIRMED,
    }
    return render(request, "finance/period_confirm.html", context, principal=principal)


def _change_state(
    request: Request,
    session: Session,
    actor: Actor,
    entity: uuid.UUID | None,
    period: str,
    form: dict[str, Any],
    *,
    close: bool,
) -> Response:
    if form.get("confirm") != CONFIRMED:
        return _confirm_page(request, session, actor.principal, entity, period, close=close)
    try:
        set_period_status(session, actor, entity=entity, period=period, close=close)
    except AppError as exc:
        return _periods_page(request, session, actor.principal, entity, exc)
    done = "closed" if close else "reopened"
    entity_part = f"&entity={entity}" if entity else ""
    return RedirectResponse(
        f"/finance/periods?done={done}&period={period}{entity_part}", status_code=303
    )


def _add_change_pages(change: str, *, close: bool, roles: tuple[Role, ...]) -> None:
    """The confirmation page of `change` (close or reopen) and its post, for `roles`."""
    # A default, not an Annotated hint: postponed hints are read from the module, not this scope.
    may_change = Depends(require_web_roles(*roles))

    def confirm(
        request: Request,
        session: SessionDep,
        *,
        principal: Principal = may_change,
        period: str,
        entity: uuid.UUID | None = None,
    ) -> Response:
        return _confirm_page(request, session, principal, entity, period, close=close)

    def change_period(
        request: Request,
        session: SessionDep,
        settings: SettingsDep,
        *,
        principal: Principal = may_change,
        _csrf: CsrfChecked,
        period: str,
        form: FormFields,
        entity: uuid.UUID | None = None,
    ) -> Response:
        actor = Actor(principal, audit_key(settings))
        return _change_state(request, session, actor, entity, period, form, close=close)

    path = f"/finance/periods/{{period}}/{change}"
    router.add_api_route(path, confirm, methods=["GET"], name=f"confirm_{change}")
    router.add_api_route(path, change_period, methods=["POST"], name=f"{change}_period")


# The same roles as the API: finance closes a month, only an admin reopens one.
_add_change_pages("close", close=True, roles=(Role.FINANCE,))
_add_change_pages("reopen", close=False, roles=(Role.ADMIN,))
