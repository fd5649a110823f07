"""`eventscribe serve` started for real, as a subprocess on a free loopback port, for the tests
that need a live server (the browser tests).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(db: Path, log_path: Path, *args: str, env: dict[str, str] | None = None,
                timeout: float = 60) -> Iterator[str]:
    """Run `eventscribe serve --db DB ARGS...` until the block ends; yield its base URL.

    Waits until /api/stats answers 200; fails the test with the server's log when it exits
    or does not answer within `timeout` seconds. Runs without an API token unless `env` sets
    one, and always stops the server (terminate, then kill).
    """
    port = free_port()
    with open(log_path, "w+") as log:
        proc = subprocess.Popen([sys.executable, "-m", "eventscribe.cli", "serve", "--db", str(db), *args,
                                 "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                                stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "EVENTSCRIBE_API_TOKEN": "", **(env or {})})
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    if httpx.get(base + "/api/stats", timeout=2, trust_env=False).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"eventscribe serve did not start: {log.read()[-2000:]}")
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
