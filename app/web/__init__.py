"""The browser interface: server-rendered pages over the same service functions as the API.

`install_web(app)` adds the routers, the static files, HTML error pages and security headers.
A new area adds a module under `routes/` whose router is tagged `WEB_PAGE_TAG` (so refusals
render as pages), its templates under `templates/<area>/`, its links to `nav.NAV`, its English
texts to `messages_en` (a test checks every page text has one), and its router to `ROUTERS`.
Handlers only call services: claims, ledger, archive and audit rules live there, not here.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from app.web.errors import install_error_pages
from app.web.routes import (
    account,
    admin,
    approvals,
    audit,
    auth,
    claims,
    dashboard,
    drafts,
    finance_claims,
    invoices,
    ledger,
    paper,
    periods,
    reassign,
    reversal,
    settings,
    substitutes,
    tokens,
    uploads,
    users,
)
from app.web.security_headers import SecurityHeadersMiddleware

STATIC_DIR = Path(__file__).parent / "static"

# Order matters where paths overlap: /invoices/upload before /invoices/{invoice_id}.
ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    dashboard.router,
    uploads.pages,
    uploads.json_api,
    invoices.router,
    paper.router,
    # /claims/new before /claims/{claim_id}.
    claims.router,
    drafts.router,
    approvals.router,
    finance_claims.router,
    # /finance/vouchers/export before /finance/vouchers/{voucher_id}.
    ledger.router,
    periods.router,
    reversal.router,
    audit.router,
    admin.router,
    users.router,
    reassign.router,
    substitutes.router,
    settings.router,
    tokens.router,
    account.router,
)


def install_web(app: FastAPI) -> None:
    """Call after the problem handlers and the other middleware are installed."""
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_pages(app)
    app.add_middleware(SecurityHeadersMiddleware)
