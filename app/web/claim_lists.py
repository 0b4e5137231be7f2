"""The lists of claims the pages show: within the user's sight, newest first, with the ids of
the vouchers the ledger booked for each (the web's defaults for the claims query)."""

from __future__ import annotations

from app.claims import queries
from app.claims.schemas import ClaimOut
from app.ledger.queries import voucher_ids_by_claim
from app.web.page_call import PageCall


def listed_claims(
    page: PageCall,
    *,
    limit: int,
    cursor: str | None = None,
    state: str | None = None,
    awaiting: queries.Awaiting | None = None,
) -> tuple[list[ClaimOut], str | None]:
    """One page of the claims in `state` (any without), or of those awaiting a decision of the
    user (`me`) or of a deactivated approver (`inactive`); and the cursor of the next page."""
    return queries.list_claims(
        page.session,
        page.principal,
        state=state,
        awaiting=awaiting,
        cursor=cursor,
        limit=limit,
        vouchers=voucher_ids_by_claim,
    )
