"""Security headers on every response: CSP, no sniffing, framing only by ourselves, referrers."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script or style anywhere: the pages load /static/js and /static/css only. Frames
# and objects may show our own PDFs (the invoice preview); nothing may frame us but ourselves.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'self'; "
    "frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)
BASE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    # SAMEORIGIN, not DENY: the invoice page frames its own PDF preview.
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)
HSTS = b"max-age=31536000"


class SecurityHeadersMiddleware:
    """Adds the headers unless a response already set its own value."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Every page runs under the CSP; the API docs (app/apidocs) send their own variant.
        extra = [*BASE_HEADERS, (b"content-security-policy", CONTENT_SECURITY_POLICY.encode())]
        if scope.get("scheme") == "https":
            # Over TLS (directly, or behind a proxy uvicorn trusts): browsers stay on https.
            extra.append((b"strict-transport-security", HSTS))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _value in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
