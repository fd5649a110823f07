"""What stands between the API and a hostile client: an ASGI middleware.

Checked before any body is read, in this order:

1. **Back-pressure.** At most ``max_inflight`` requests are admitted at once per process
   (being served or waiting their turn); past that the answer is ``503`` with ``Retry-After``
   at once, instead of a queue that grows until every answer takes half a minute. An admitted
   request yields to the event loop once before it is served, so requests that arrive
   together are all counted before the first of them is worked on: the list views run on the
   loop itself, one at a time, and without that yield the count would never pass one.
2. **The token first.** A write (POST/PUT/PATCH/DELETE under ``/api/``) without a reviewer's
   token with write rights is refused (``403`` read-only server, ``401`` missing or wrong
   token, ``403`` a reviewer who may only read) before its body is read, so an unauthenticated
   client cannot make the server buffer or parse anything. The reviewer found is put in the
   request's state (``request.state.reviewer``) for the review endpoints.
3. **Body size.** A declared ``Content-Length`` over ``max_body`` is ``413`` before reading; a
   chunked body is counted as it arrives and cut off with ``413`` at the limit.

Every response carries a Content-Security-Policy (scripts from the server only; ``/docs`` may
run Swagger UI's inline start-up script), ``X-Content-Type-Options: nosniff``, frame
protection (``X-Frame-Options: DENY`` and ``frame-ancestors 'none'``) and a referrer policy.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_MAX_BODY = 25 * 1024 * 1024  # 100 documents of a few hundred KB; the text limit is 1M chars each
DEFAULT_MAX_INFLIGHT = 256  # a few hundred ms of cached or keyset list pages per process
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_CSP = ("default-src 'self'; script-src 'self'{inline}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'")


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    """The headers every response gets (Swagger UI at /docs starts with an inline script)."""
    return _SECURITY_HEADERS[path == "/docs"]


def _security_headers(inline: bool) -> list[tuple[bytes, bytes]]:
    csp = _CSP.format(inline=" 'unsafe-inline'" if inline else "")
    return [
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
    ]


_SECURITY_HEADERS = {False: _security_headers(False), True: _security_headers(True)}
_SECURITY_NAMES = frozenset(name for name, _ in _SECURITY_HEADERS[False])


class Guard:
    """ASGI middleware: back-pressure, token before body, body size, security headers.

    ``reviewers`` are the server's tokens (:class:`eventscribe.review.Reviewers`; none with
    write rights: a read-only server); ``token`` alone is one writer named ``admin``. ``None``
    for ``max_body`` or ``max_inflight`` turns that check off.
    """

    def __init__(self, app: ASGIApp, *, token: str | None = None, reviewers=None,
                 max_body: int | None = DEFAULT_MAX_BODY,
                 max_inflight: int | None = DEFAULT_MAX_INFLIGHT, token_env: str = "EVENTSCRIBE_API_TOKEN") -> None:
        from .review import Reviewers

        self.app = app
        self.reviewers = reviewers if reviewers is not None else Reviewers.configured(token, env={})
        self.max_body = max_body
        self.max_inflight = max_inflight
        self.token_env = token_env
        self.inflight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(scope.get("path", ""), send)
        if self.max_inflight is not None and self.inflight >= self.max_inflight:
            await _problem(send, 503, "the server is busy: retry in a moment", [(b"retry-after", b"1")])
            return
        self.inflight += 1
        try:
            await asyncio.sleep(0)  # let requests that arrived with this one be counted first
            refusal = self._refuse_before_body(scope)
            if refusal:
                await _problem(send, *refusal)
                return
            await self._serve_with_body_limit(scope, receive, send)
        finally:
            self.inflight -= 1

    def _with_headers(self, path: str, send: Send) -> Send:
        extra = security_headers(path)

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                own = {k.lower() for k, _ in headers if k.lower() in _SECURITY_NAMES}
                message["headers"] = [*headers, *(h for h in extra if h[0] not in own)] if own else [*headers, *extra]
            await send(message)

        return wrapped

    def _refuse_before_body(self, scope: Scope) -> tuple | None:
        """(status, detail, headers) when the request must be refused before reading its body."""
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        if scope.get("method") in WRITE_METHODS and scope.get("path", "").startswith("/api/"):
            if not self.reviewers.any_writer:
                return (403, f"this server is read-only: start it with --token-file or --reviewers "
                             f"(or ${self.token_env}) to allow writes", [])
            auth = headers.get(b"authorization", b"").decode("latin-1")
            scheme, _, given = auth.partition(" ")
            if scheme.lower() != "bearer" or not given.strip():
                return (401, "missing token: send 'Authorization: Bearer <token>'",
                        [(b"www-authenticate", b"Bearer")])
            reviewer = self.reviewers.find(given.strip())
            if reviewer is None:
                return (401, "wrong token", [(b"www-authenticate", b"Bearer")])
            if not reviewer.can_write:
                return (403, f"reviewer {reviewer.name!r} may read but not write", [])
            scope.setdefault("state", {})["reviewer"] = reviewer.name
        declared = headers.get(b"content-length")
        if self.max_body is not None and declared is not None:
            try:
                too_big = int(declared) > self.max_body
            except ValueError:
                return (400, "Content-Length is not a number", [])
            if too_big:
                return (413, f"request body over the {self.max_body:,} byte limit", [])
        return None

    async def _serve_with_body_limit(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count a body as it arrives; at the limit answer 413 ourselves, tell the app the
        client has gone, and drop whatever the app still tries to send."""
        if self.max_body is None or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        received = 0
        started = cut_off = False

        async def counted_receive() -> Message:
            nonlocal received, cut_off
            if cut_off:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    cut_off = True
                    if not started:
                        await _problem(send, 413, f"request body over the {self.max_body:,} byte limit", [])
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if cut_off:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted_receive, tracking_send)


def _has_body(scope: Scope) -> bool:
    """Does the request send a body (a Content-Length above 0, or chunks)? A GET of a list
    page does not, and needs no counting of what it receives."""
    for name, value in scope.get("headers", ()):
        name = name.lower()
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() not in (b"0", b"")):
            return True
    return scope.get("method") in WRITE_METHODS


async def _problem(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]]) -> None:
    """A JSON error in the API's one shape, ``{"detail": "<sentence>"}``."""
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})
