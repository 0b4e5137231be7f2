"""Approval substitutes: an approver names who decides for them on which dates, and ends it.

Admins may name anyone's. Eligibility (an active approver of every entity of the approver) is the
substitute service's rule; its 422 comes back as words beside the field on the same form.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.responses import Response

from app.auth import service as auth_service
from app.auth.models import Role
from app.claims import substitutes
from app.claims.schemas import SubstituteCreate
from app.kit.dates import business_today
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form
from app.web.forms import FormErrors
from app.web.page_call import FormPost, PageCall, form_post, page_call, see_other
from app.web.substitute_present import approvers, candidates, default_range, substitute_rows

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 100
SUBSTITUTE_NAMERS = (Role.APPROVER, Role.ADMIN)
SubstitutePage = Annotated[PageCall, Depends(page_call(*SUBSTITUTE_NAMERS))]
SubstitutePost = Annotated[FormPost, Depends(form_post(FormPost, *SUBSTITUTE_NAMERS))]


def _page(
    page: PageCall, *, values: dict[str, Any] | None = None, errors: FormErrors | None = None
) -> Response:
    today = business_today()
    rows, _ = substitutes.list_substitutes(
        page.session, page.principal, cursor=None, limit=PAGE_SIZE
    )
    users, _ = auth_service.list_users(page.session, cursor=None, limit=200)
    context = {
        "rows": substitute_rows(rows, users, page.principal, today),
        "candidates": candidates(users, page.principal),
        "approvers": approvers(users),
        "values": values if values is not None else default_range(today),
        "done": page.query("done"),
    }
    # A refusal about a field is shown beside it; another kind in the box above the form.
    errors = errors or FormErrors()
    return render_form(
        page, "approvals/substitutes.html", context, errors, box_field_refusals=False
    )


@router.get("/approval-substitutes")
def substitutes_page(page: SubstitutePage) -> Response:
    return _page(page)


@router.post("/approval-substitutes")
def name_substitute(post: SubstitutePost) -> Response:
    def name(data: SubstituteCreate) -> object:
        return substitutes.create_substitute(
            post.session, post.principal, data, audit_key=post.actor.audit_key
        )

    return post.submit(
        SubstituteCreate,
        name,
        again=lambda errors: _page(post, values=post.form, errors=errors),
        then=lambda _substitute: see_other("/approval-substitutes?done=named"),
    )


@router.post("/approval-substitutes/{substitute_id}/end")
def end_substitute(post: SubstitutePost, substitute_id: uuid.UUID) -> Response:
    """Ends the arrangement by removing it; the audit log keeps when it was named and ended."""
    substitutes.delete_substitute(
        post.session, post.principal, substitute_id, audit_key=post.actor.audit_key
    )
    return see_other("/approval-substitutes?done=ended")
