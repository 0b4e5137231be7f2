"""Users, roles, employee profiles, passwords, sessions and API tokens."""
