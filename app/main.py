"""Application factory: settings, engine, middleware, problem handlers and routers; no logic."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from app.api.audit import router as audit_router
from app.api.entities import router as entities_router
from app.apidocs.pages import install_api_docs
from app.archive.router import router as archive_router
from app.auth.router import router as auth_router
from app.claims.router import router as claims_router
from app.config import Settings, get_settings
from app.credentials_gate import CredentialsBeforeBodyMiddleware
from app.db import make_engine
from app.invoices.router import router as invoices_router
from app.invoices.verification.factory import get_verification_provider
from app.kit.strict_query import reject_unknown_query
from app.ledger.queries import voucher_ids_by_claim
from app.ledger.router import router as ledger_router
from app.logs import configure_logging
from app.middleware import (
    BodySizeLimitMiddleware,
    BodyTimeoutMiddleware,
    RequestContextMiddleware,
)
from app.ops import router as ops_router
from app.paper.router import router as paper_router
from app.posting.router import router as posting_router
from app.problems import install_problem_handlers, install_problem_openapi
from app.production import refuse_unsafe_production
from app.storage.factory import make_store
from app.web import install_web
from app.webhooks.router import router as webhooks_router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    refuse_unsafe_production(settings)
    configure_logging(settings.log_level, as_json=settings.log_json)

    app = FastAPI(
        title="railclaim",
        version="0.1.0",
        description="Railway e-invoice reimbursement, bookkeeping and archiving.",
        # Our own pages instead of FastAPI's, which load from a CDN (app/apidocs).
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    # Long reads (exports, verification) must not hold SQLite's write lock for their duration.
    app.state.read_engine = make_engine(settings.database_url, sqlite_immediate=False)
    app.state.store = make_store(settings)
    # Claims name the ledger's vouchers without importing the ledger above them.
    app.state.claim_vouchers = voucher_ids_by_claim
    # Built once at startup so a misconfigured provider stops the service before any request.
    app.state.verifier = get_verification_provider(settings)

    install_problem_handlers(app)
    install_problem_openapi(app)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_upload_bytes=settings.max_upload_bytes,
        max_other_bytes=settings.max_json_body_kb * 1024,
    )
    # Each one wraps those added before it: a request meets its id and log, the body's
    # deadline, the credentials check (before any body is read), then the size limit.
    app.add_middleware(CredentialsBeforeBodyMiddleware)
    app.add_middleware(BodyTimeoutMiddleware, seconds=settings.body_timeout_seconds)
    app.add_middleware(RequestContextMiddleware)

    # Unknown query parameters are refused, not ignored (a misspelt filter returned every row).
    api = APIRouter(prefix="/api/v1", dependencies=[Depends(reject_unknown_query)])
    api.include_router(auth_router)
    api.include_router(entities_router)
    api.include_router(audit_router)
    api.include_router(archive_router)
    api.include_router(invoices_router)
    api.include_router(claims_router)
    api.include_router(webhooks_router)
    api.include_router(paper_router)
    api.include_router(ledger_router)
    api.include_router(posting_router)
    app.include_router(api)
    app.include_router(ops_router)
    install_api_docs(app)
    install_web(app)
    return app
