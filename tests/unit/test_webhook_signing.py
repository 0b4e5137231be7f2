"""Webhook signatures: the header format, and what a receiver's verification accepts."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from app.webhooks.signing import signature_header, verify_signature_header

SECRET = "whsec-test-secret-0123456789"
BODY = b'{"data":{"claim_id":"c1"},"id":"e1","type":"claim.paid"}'
T = 1_790_000_000


def test_the_header_is_t_and_the_hmac_of_t_dot_body():
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature_header(SECRET, T, BODY) == f"t={T},v1={expected}"


def test_the_signature_covers_the_timestamp():
    assert (
        signature_header(SECRET, T, BODY).split("v1=")[1]
        != signature_header(SECRET, T + 1, BODY).split("v1=")[1]
    )


def test_a_genuine_header_verifies():
    header = signature_header(SECRET, T, BODY)
    assert verify_signature_header(SECRET, header, BODY, now=T + 10)


@pytest.mark.parametrize(
    ("secret", "body", "now"),
    [
        ("another-secret-entirely", BODY, T),
        (SECRET, BODY.replace(b"c1", b"c2"), T),
        (SECRET, BODY + b" ", T),
        (SECRET, BODY, T + 301),  # replayed later than the tolerance
        (SECRET, BODY, T - 301),
    ],
)
def test_anything_else_does_not_verify(secret: str, body: bytes, now: int):
    header = signature_header(SECRET, T, BODY)
    assert not verify_signature_header(secret, header, body, now=now)


@pytest.mark.parametrize(
    "header",
    ["", "v1=abc", f"t={T}", f"t=soon,v1={'0' * 64}", f"t={T},t={T},v1={'0' * 64}", "garbage"],
)
def test_malformed_headers_do_not_verify(header: str):
    assert not verify_signature_header(SECRET, header, BODY, now=T)


def test_one_of_several_v1_values_may_match_while_a_secret_rotates():
    genuine = signature_header(SECRET, T, BODY)
    old = signature_header("the-previous-secret-value", T, BODY).split(",")[1]
    assert verify_signature_header(SECRET, f"{genuine},{old}", BODY, now=T)
