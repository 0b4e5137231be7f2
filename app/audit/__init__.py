"""The append-only audit log: events chained with HMAC-SHA256, their listing and verification."""
