"""E-mail notifications: an outbox written with the change, and an SMTP sender with retries."""
