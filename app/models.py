"""Imports every table so that metadata is complete for Alembic and the tests."""

from app.auth.models import ApiToken, EmployeeProfile, User, UserEntity
from app.entities.models import LegalEntity

__all__ = ["ApiToken", "EmployeeProfile", "LegalEntity", "User", "UserEntity"]
