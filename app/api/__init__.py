"""HTTP endpoints of the shared domains below auth: they read the caller through auth's deps.

The audit log and the legal entities sit below `auth` (auth records audit events and checks
entities), so their routers cannot live inside them without closing a package cycle; they stand
here, in the entry layer beside `main.py`, which mounts them.
"""
