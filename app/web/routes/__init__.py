"""The web interface's routers, one module per area; pages are tagged so errors render as HTML."""
