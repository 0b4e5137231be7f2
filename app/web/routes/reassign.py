"""Claims waiting for a deactivated approver, and handing each to another approver (admins).

Which claims wait and who may take them over are the claim service's rules; a refusal comes
back beside the claim it concerns.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from app.auth import service as auth_service
from app.auth.names import display_names
from app.claims import service
from app.claims.schemas import ReassignBody
from app.problems import AppError
from app.web.claim_lists import listed_claims
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form
from app.web.forms import FormErrors, refused
from app.web.page_call import AdminPage, AdminPost, PageCall, see_other
from app.web.substitute_present import approvers

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 100


def _page(
    page: PageCall,
    *,
    failed: uuid.UUID | None = None,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
) -> Response:
    session = page.session
    claims, _ = listed_claims(page, awaiting="inactive", limit=PAGE_SIZE)
    users, _ = auth_service.list_users(session, cursor=None, limit=200)
    people = {c.claimant for c in claims} | {c.awaiting_approver for c in claims}
    context = {
        "claims": claims,
        "names": display_names(session, people),
        "approvers": approvers(users),
        "failed": failed,
        "values": values or {},
        "done": page.query("done"),
    }
    # The box is for a refusal about the claim itself (no longer waiting, say), not a field.
    errors = errors or FormErrors()
    return render_form(page, "admin/reassign.html", context, errors, box_field_refusals=False)


@router.get("/admin/reassign")
def waiting_claims(page: AdminPage) -> Response:
    return _page(page)


@router.post("/admin/reassign/{claim_id}")
def reassign(post: AdminPost, claim_id: uuid.UUID) -> Response:
    body, errors = post.parse(ReassignBody)
    if body is not None:
        try:
            service.reassign_approver(
                post.session, post.actor, claim_id, body.approver_id, body.level
            )
        except AppError as exc:
            if exc.status == 404:
                raise
            errors = refused(exc, post.lang)
    if errors:
        return _page(post, failed=claim_id, values=post.form, errors=errors)
    return see_other("/admin/reassign?done=1")
