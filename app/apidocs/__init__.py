"""The interactive API docs (/docs, /redoc) from packaged files: no CDN, no inline script."""
