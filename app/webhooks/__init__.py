"""Event webhooks for finance systems: transactional outbox, subscriptions, delivery worker."""
