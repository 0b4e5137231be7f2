"""The printed 报销单: company, department, number, 附件张数 and its vouchers beside the claim."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.auth.names import department_of, display_names
from app.claims.schemas import ClaimOut
from app.entities.names import entity_name
from app.ledger.queries import voucher_numbers
from app.ledger.words import amount_in_words
from app.web.claim_present import VOUCHER_KINDS, claim_view, people_of
from app.web.i18n import Lang, translate


def claim_sheet(session: Session, lang: Lang, claim: ClaimOut) -> dict[str, Any]:
    """The claim page's view plus the header a paper 报销单 carries."""
    return {
        **claim_view(lang, claim, display_names(session, people_of(claim))),
        "total_in_words": amount_in_words(claim.total),
        "entity_name": entity_name(session, claim.entity) or "—",
        "department": department_of(session, claim.claimant) or "—",
        # 附件张数: one attachment per claimed document (e-invoice or paper voucher).
        "attachments": len(claim.items),
        "vouchers": [
            {"number": number, "kind": translate(lang, VOUCHER_KINDS.get(kind, kind))}
            for _id, number, kind in voucher_numbers(session, claim.voucher_ids)
        ],
    }
