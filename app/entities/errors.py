"""Problems raised by legal entity management."""

from app.problems import Conflict


class DuplicateEntity(Conflict):
    slug = "duplicate-entity"
