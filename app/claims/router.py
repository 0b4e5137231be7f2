"""HTTP endpoints for claims, approval substitutes and per-entity claim policy."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response, status
from fastapi.responses import JSONResponse

from app.audit.deps import AuditKeyDep
from app.auth.actor import Actor
from app.auth.deps import AdminActor, AdminUser, CurrentUser, actor_with, require_roles
from app.auth.models import Role
from app.auth.principal import Principal
from app.claims import policy_store, queries, service, substitutes
from app.claims.schemas import (
    ApproveBody,
    BulkApproveBody,
    ClaimCreate,
    ClaimOut,
    ClaimPatch,
    ClaimPolicyIn,
    ClaimPolicyOut,
    ClaimState,
    ItemRef,
    JustificationBody,
    ReassignBody,
    RejectBody,
    SubstituteCreate,
    SubstituteOut,
    TransitionNote,
)
from app.claims.views import ClaimVouchers
from app.db import SessionDep
from app.kit.bulk import BulkResult
from app.kit.idempotency import Idempotent
from app.kit.pagination import CursorQuery, LimitQuery, Page

router = APIRouter(tags=["claims"])

# Auditors never write; everyone else acts on claims as claimant, approver or finance.
Writer = Annotated[
    Principal,
    Depends(require_roles(Role.EMPLOYEE, Role.APPROVER, Role.FINANCE, Role.ADMIN)),
]
WriterActor = Annotated[
    Actor, Depends(actor_with(Role.EMPLOYEE, Role.APPROVER, Role.FINANCE, Role.ADMIN))
]
OptionalNote = Annotated[TransitionNote | None, Body()]

TRANSITION_RESPONSES: dict[int | str, dict[str, str]] = {
    403: {"description": "forbidden or self-approval"},
    404: {"description": "not-found: no such claim within your sight"},
    409: {
        "description": "invalid-state, blocking-findings, warnings-not-acknowledged, "
        "item-already-claimed, item-not-claimable"
    },
    422: {"description": "validation-error or no-approver"},
}


def _claim_vouchers(request: Request) -> ClaimVouchers:
    """The ledger's voucher lookup, which app/main.py puts on the app: claims cannot import it."""
    vouchers: ClaimVouchers = request.app.state.claim_vouchers
    return vouchers


ClaimVouchersDep = Annotated[ClaimVouchers, Depends(_claim_vouchers)]


@router.post("/claims", status_code=status.HTTP_201_CREATED, responses=TRANSITION_RESPONSES)
def create_claim(session: SessionDep, actor: WriterActor, body: ClaimCreate) -> ClaimOut:
    return service.create_claim(session, actor, body)


@router.get("/claims")
def list_claims(
    session: SessionDep,
    principal: CurrentUser,
    vouchers: ClaimVouchersDep,
    state: ClaimState | None = None,
    awaiting: Annotated[
        queries.Awaiting | None,
        Query(
            description="`me`: claims waiting for your decision; `inactive` (admins): claims "
            "waiting for a deactivated approver, to reassign"
        ),
    ] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[ClaimOut]:
    return Page.of(
        queries.list_claims(
            session,
            principal,
            state=state,
            awaiting=awaiting,
            cursor=cursor,
            limit=limit,
            vouchers=vouchers,
        )
    )


@router.get("/claims/{claim_id}", responses=TRANSITION_RESPONSES)
def read_claim(
    session: SessionDep, principal: CurrentUser, vouchers: ClaimVouchersDep, claim_id: uuid.UUID
) -> ClaimOut:
    return queries.read_claim(session, principal, claim_id, vouchers=vouchers)


@router.patch("/claims/{claim_id}", responses=TRANSITION_RESPONSES)
def update_draft_claim(
    session: SessionDep,
    actor: WriterActor,
    claim_id: uuid.UUID,
    body: ClaimPatch,
) -> ClaimOut:
    """The claimant changes the title and/or purpose of a draft."""
    return service.update_draft(session, actor, claim_id, body)


@router.delete(
    "/claims/{claim_id}", status_code=status.HTTP_204_NO_CONTENT, responses=TRANSITION_RESPONSES
)
def delete_draft_claim(session: SessionDep, actor: WriterActor, claim_id: uuid.UUID) -> Response:
    """The claimant deletes a draft; its documents become available again."""
    service.delete_draft(session, actor, claim_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/claims/bulk-approve", response_model_exclude_none=True)
def bulk_approve(session: SessionDep, actor: WriterActor, body: BulkApproveBody) -> BulkResult:
    """Each claim is approved (or refused) as `POST /claims/{id}/approve` would."""
    return service.bulk_approve_claims(session, actor, body)


@router.post("/claims/{claim_id}/reassign", responses=TRANSITION_RESPONSES)
def reassign_claim_approver(
    session: SessionDep, admin: AdminActor, claim_id: uuid.UUID, body: ReassignBody
) -> ClaimOut:
    """Admins hand a level still to approve to another approver (see `awaiting=inactive`)."""
    return service.reassign_approver(session, admin, claim_id, body.approver_id, body.level)


@router.post("/claims/{claim_id}/items", responses=TRANSITION_RESPONSES)
def add_claim_item(
    session: SessionDep,
    actor: WriterActor,
    claim_id: uuid.UUID,
    body: ItemRef,
) -> ClaimOut:
    return service.add_item(session, actor, claim_id, body)


@router.delete("/claims/{claim_id}/items/{item_id}", responses=TRANSITION_RESPONSES)
def remove_claim_item(
    session: SessionDep,
    actor: WriterActor,
    claim_id: uuid.UUID,
    item_id: uuid.UUID,
) -> ClaimOut:
    return service.remove_item(session, actor, claim_id, item_id)


@router.patch("/claims/{claim_id}/items/{item_id}", responses=TRANSITION_RESPONSES)
def justify_claim_item(
    session: SessionDep,
    actor: WriterActor,
    claim_id: uuid.UUID,
    item_id: uuid.UUID,
    body: JustificationBody,
) -> ClaimOut:
    """Sets or (with null) clears an item's justification in a draft."""
    return service.set_item_justification(session, actor, claim_id, item_id, body.justification)


@router.post("/claims/{claim_id}/submit", responses=TRANSITION_RESPONSES)
def submit_claim(
    session: SessionDep,
    actor: WriterActor,
    claim_id: uuid.UUID,
    body: OptionalNote = None,
) -> ClaimOut:
    comment = body.comment if body else None
    return service.submit_claim(session, actor, claim_id, comment)


@router.post("/claims/{claim_id}/withdraw", response_model=ClaimOut, responses=TRANSITION_RESPONSES)
def withdraw_claim(
    session: SessionDep,
    actor: WriterActor,
    idempotent: Idempotent,
    claim_id: uuid.UUID,
    body: OptionalNote = None,
) -> ClaimOut | JSONResponse:
    """Honours `Idempotency-Key` (SPEC): a repeat answers what the first request answered."""
    comment = body.comment if body else None
    return idempotent.run(
        user_id=actor.id,
        payload={"comment": comment},
        action=lambda: service.withdraw_claim(session, actor, claim_id, comment),
    )


@router.post("/claims/{claim_id}/approve", responses=TRANSITION_RESPONSES)
def approve_claim(
    session: SessionDep,
    actor: WriterActor,
    claim_id: uuid.UUID,
    body: Annotated[ApproveBody | None, Body()] = None,
) -> ClaimOut:
    decision = body or ApproveBody()
    return service.approve_claim(session, actor, claim_id, decision)


@router.post("/claims/{claim_id}/reject", responses=TRANSITION_RESPONSES)
def reject_claim(
    session: SessionDep,
    actor: WriterActor,
    claim_id: uuid.UUID,
    body: RejectBody,
) -> ClaimOut:
    return service.reject_claim(session, actor, claim_id, body.reason)


@router.post(
    "/approval-substitutes", status_code=status.HTTP_201_CREATED, tags=["approval substitutes"]
)
def create_substitute(
    session: SessionDep, key: AuditKeyDep, principal: Writer, body: SubstituteCreate
) -> SubstituteOut:
    return substitutes.create_substitute(session, principal, body, audit_key=key)


@router.get("/approval-substitutes", tags=["approval substitutes"])
def list_substitutes(
    session: SessionDep, principal: CurrentUser, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> Page[SubstituteOut]:
    return Page.of(substitutes.list_substitutes(session, principal, cursor=cursor, limit=limit))


@router.delete(
    "/approval-substitutes/{substitute_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["approval substitutes"],
)
def delete_substitute(
    session: SessionDep, key: AuditKeyDep, principal: Writer, substitute_id: uuid.UUID
) -> Response:
    substitutes.delete_substitute(session, principal, substitute_id, audit_key=key)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/entities/{entity_id}/claim-policy", tags=["claim policy"])
def read_claim_policy(
    session: SessionDep, principal: CurrentUser, entity_id: uuid.UUID
) -> ClaimPolicyOut:
    return policy_store.read_policy(session, principal, entity_id)


@router.put("/entities/{entity_id}/claim-policy", tags=["claim policy"])
def replace_claim_policy(
    session: SessionDep,
    key: AuditKeyDep,
    admin: AdminUser,
    entity_id: uuid.UUID,
    body: ClaimPolicyIn,
) -> ClaimPolicyOut:
    return policy_store.replace_policy(session, admin, entity_id, body, audit_key=key)
