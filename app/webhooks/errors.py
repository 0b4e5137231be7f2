"""Problems raised by webhook management."""

from app.problems import Conflict


class DeliveryNotDead(Conflict):
    slug = "invalid-state"
    title = "Only a dead delivery can be retried"
