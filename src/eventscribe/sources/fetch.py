"""HTTP: one client per ``read_sources`` call with a per-request timeout, retries with backoff,
a delay between two requests to one host and a cap on the body's size.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from .common import HEAD_BYTES, HOST_DELAY, RETRY_BACKOFF, URL_RE, USER_AGENT, Unreadable, human_size, one_line, sniff


@dataclass
class _Fetched:
    url: str
    content_type: str
    charset: str | None
    body: bytes


class Fetcher:
    """httpx client with a per-request timeout, retries with backoff and a size cap."""

    RETRY_STATUS = frozenset({429, 500, 502, 503, 504})

    def __init__(self, timeout: float, retries: int, max_bytes: int, host_delay: float = HOST_DELAY) -> None:
        import httpx

        self.timeout = timeout
        self.retries = max(0, retries)
        self.max_bytes = max_bytes
        self.host_delay = host_delay
        self._last_request: dict[str, float] = {}
        self._client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                "application/atom+xml,application/xml;q=0.9,*/*;q=0.5",
            },
        )

    def close(self) -> None:
        self._client.close()

    def get(self, url: str) -> _Fetched:
        """The response body, or Unreadable with why it could not be had."""
        import httpx

        if not URL_RE.match(url):
            raise Unreadable("only http and https addresses are fetched")
        attempts = self.retries + 1
        problem = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(RETRY_BACKOFF * 2 ** (attempt - 1))
            self._wait_for_host(url)
            try:
                with self._client.stream("GET", url) as response:
                    if response.status_code in self.RETRY_STATUS:
                        problem = f"HTTP {response.status_code} {response.reason_phrase}".strip()
                        continue
                    if response.status_code >= 400:
                        raise Unreadable(f"HTTP {response.status_code} {response.reason_phrase}".strip())
                    body = self._read_body(response)
                    ctype = response.headers.get("content-type", "")
                    return _Fetched(str(response.url), ctype.split(";")[0].strip().lower(), response.charset_encoding, body)
            except httpx.TimeoutException:
                problem = f"timed out after {self.timeout:g} s"
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise Unreadable(f"invalid URL ({one_line(exc)})") from None
            except httpx.TransportError as exc:
                problem = "cannot connect: " + re.sub(r"^\[Errno -?\d+\]\s*", "", one_line(exc))
            except httpx.HTTPError as exc:
                raise Unreadable(f"cannot fetch ({one_line(exc)})") from None
        tries = f" (gave up after {attempts} attempts)" if attempts > 1 else ""
        raise Unreadable(f"{problem}{tries}")

    def _wait_for_host(self, url: str) -> None:
        """At most one request per ``host_delay`` seconds to any one host."""
        from urllib.parse import urlsplit

        host = (urlsplit(url).hostname or "").lower()
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self.host_delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last_request[host] = time.monotonic()

    def _read_body(self, response: Any) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise Unreadable(f"response is {human_size(int(declared))}, over the {human_size(self.max_bytes)} limit")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise Unreadable(f"response is over the {human_size(self.max_bytes)} limit")
            chunks.append(chunk)
        return b"".join(chunks)


def response_kind(fetched: _Fetched) -> str:
    ctype = fetched.content_type
    if any(t in ctype for t in ("rss", "atom")):
        return "feed"
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if ctype.startswith(("image/", "audio/", "video/", "font/")) or ctype in ("application/pdf", "application/zip"):
        return "binary"
    if ctype == "text/plain":
        return "text"
    return sniff(fetched.body[:HEAD_BYTES]) if fetched.body else "text"
