"""Problems raised by legal entity management."""

from app.problems import Conflict


class DuplicateEntity(Conflict):
    slug = "duplicate-entity"
    title = "Legal entity already exists"
    explanation = "A legal entity with this 统一社会信用代码 is already registered."
