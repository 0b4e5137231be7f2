"""The dashboard: what awaits me, as counts linking to the lists; spending charts for finance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.auth.models import Role
from app.dashboard.queries import workload
from app.db import SessionDep
from app.invoices import queries
from app.kit.dates import business_today
from app.ledger.spending import recent_periods, spending_by_department, spending_by_period
from app.web.dashboard_present import spending_view, tallies
from app.web.errors import WEB_PAGE_TAG
from app.web.i18n import request_lang
from app.web.present import invoice_row
from app.web.session import WebUser
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
SPENDING_MONTHS = 12
SPENDING_READERS = (Role.FINANCE, Role.ADMIN)


@router.get("/")
def dashboard(request: Request, session: SessionDep, principal: WebUser) -> Response:
    lang = request_lang(request)
    recent, _cursor = queries.list_invoices(
        session, principal, queries.InvoiceFilters(), cursor=None, limit=5
    )
    context: dict[str, Any] = {
        "tallies": tallies(
            lang, workload(session, principal), claims_own=principal.has_role(Role.EMPLOYEE)
        ),
        "recent": [invoice_row(lang, i) for i in recent],
        "spending": None,
    }
    if principal.has_role(*SPENDING_READERS):
        periods = recent_periods(business_today(), SPENDING_MONTHS)
        context["spending"] = spending_view(
            lang,
            spending_by_period(session, principal, periods),
            spending_by_department(session, principal, periods),
        )
        context["spending_range"] = (periods[0], periods[-1])
    return render(request, "dashboard.html", context, principal=principal)
