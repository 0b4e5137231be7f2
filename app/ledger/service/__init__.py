"""The ledger's commands: its part of posting (booking, paying and reversing, which app/posting
runs with the archive record in one transaction) and closing or reopening a period."""

from app.ledger.service.closing import set_period_status
from app.ledger.service.posting_steps import (
    BookingPlan,
    PaymentPlan,
    ReversalPlan,
    already_reversed,
    announce_booking,
    announce_payment,
    announce_reversal,
    finish_booking,
    finish_payment,
    plan_booking,
    plan_payment,
    plan_reversal,
)

__all__ = [
    "BookingPlan",
    "PaymentPlan",
    "ReversalPlan",
    "already_reversed",
    "announce_booking",
    "announce_payment",
    "announce_reversal",
    "finish_booking",
    "finish_payment",
    "plan_booking",
    "plan_payment",
    "plan_reversal",
    "set_period_status",
]
