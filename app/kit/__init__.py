"""Small shared building blocks with no domain knowledge."""
