"""Load test of `eventscribe serve`: the list endpoint under 200 concurrent requests.

1. builds a synthetic SQLite store of 100k canonical events (bulk INSERT into the store's
   ``events`` table, after the store created its schema — no extraction involved);
2. starts ``eventscribe serve`` on a free loopback port as a subprocess;
3. fires REQUESTS requests at ``GET /api/events``, all at once (httpx async, at most
   CONCURRENCY in flight), with a mix of filters, page sizes and offsets;
4. prints errors and latency percentiles (and ``--json`` writes them to a file).

Loopback only, a fixed number of requests, a timeout on each: it stops by itself.

    .venv/bin/python bench/api_load.py [--events 100000] [--requests 200] [--concurrency 200]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TYPES = ["ASSAULT", "PROTEST", "COERCE", "ACCUSE", "THREATEN", "REQUEST", "CONSULT", "AGREE",
         "MOBILIZE", "SANCTION", "SUPPORT", "AID", "REJECT", "RETREAT", "CONCEDE", "COOPERATE"]
COUNTRIES = [("NGA", 9.1, 8.7), ("IRQ", 33.2, 43.7), ("UKR", 48.4, 31.2), ("SYR", 34.8, 39.0),
             ("COD", -2.9, 23.6), ("IND", 21.0, 78.0), ("MEX", 23.6, -102.5), ("COL", 4.6, -74.1),
             ("PAK", 30.4, 69.3), ("SOM", 5.2, 46.2), ("MMR", 21.9, 95.9), ("PER", -9.2, -75.0)]
ACTORS = ["police", "gunmen", "protesters", "soldiers", "rebels", "government", "militia", "students"]


def build_store(path: Path, n_events: int, seed: int = 7) -> float:
    """Create the schema with Store, then bulk-insert ``n_events`` random events. Returns seconds."""
    from sqlalchemy import insert

    from eventscribe.store import Store, events

    t0 = time.perf_counter()
    rng = random.Random(seed)
    day0 = dt.date(2020, 1, 1)
    now = dt.datetime(2024, 1, 1)
    with Store(str(path)) as store, store.engine.begin() as conn:
        batch = []
        for i in range(n_events):
            iso, lat, lon = rng.choice(COUNTRIES)
            start = day0 + dt.timedelta(days=rng.randrange(1800))
            killed = rng.choice([None, None, 0, 1, 2, 5, 12])
            batch.append({
                "type": rng.choice(TYPES), "date_start": start, "date_end": start, "date_precision": "day",
                "country": iso, "location": f"Place {i % 997}", "lat": lat + rng.uniform(-3, 3),
                "lon": lon + rng.uniform(-3, 3), "geo_precision": "place",
                "actor": rng.choice(ACTORS), "target": rng.choice(ACTORS + [None]),
                "fatalities_low": killed, "fatalities_best": killed, "fatalities_high": killed,
                "n_articles": rng.randint(1, 4), "n_sources": rng.randint(1, 3),
                "evidence": "synthetic", "first_seen": now, "updated_at": now,
            })
            if len(batch) == 10_000:
                conn.execute(insert(events), batch)
                batch = []
        if batch:
            conn.execute(insert(events), batch)
    return time.perf_counter() - t0


def request_mix(n: int, seed: int = 11) -> list[dict]:
    """Query strings of the kind the web page and API clients send."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = i % 5
        if kind == 0:
            out.append({"limit": 100, "offset": rng.randrange(0, 90_000, 100)})
        elif kind == 1:
            out.append({"type": rng.choice(TYPES), "limit": 1000})
        elif kind == 2:
            out.append({"country": rng.choice(COUNTRIES)[0], "since": "2022-01-01", "until": "2022-06-30"})
        elif kind == 3:
            out.append({"format": "geojson", "limit": 1000, "type": "ASSAULT", "since": "2023-01-01"})
        else:
            out.append({"actor": rng.choice(ACTORS), "limit": 50})
    return out


async def fire(base: str, queries: list[dict], concurrency: int, timeout: float) -> tuple[list[float], list[str]]:
    """Send all queries at once (at most ``concurrency`` in flight); latencies in seconds."""
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout, trust_env=False) as client:
        async def one(params: dict) -> None:
            async with sem:
                t0 = time.perf_counter()
                try:
                    res = await client.get("/api/events", params=params)
                    body = res.json()
                    if res.status_code != 200 or "total" not in body:
                        errors.append(f"{res.status_code} {params}: {str(body)[:200]}")
                except Exception as exc:  # noqa: BLE001 - count every failure, keep going
                    errors.append(f"{type(exc).__name__} {params}: {exc}")
                latencies.append(time.perf_counter() - t0)

        await asyncio.gather(*(one(q) for q in queries))
    return latencies, errors


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "eventscribe.cli", "serve", "--db", str(db), "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env={**os.environ, "EVENTSCRIBE_API_TOKEN": ""})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=5, trust_env=False).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process has used: a cost per request that,
    unlike latency, does not depend on what else runs on the machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    ap.add_argument("--db", help="reuse/keep this SQLite file (built when missing)")
    ap.add_argument("--json", help="also write the results to this JSON file")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="es-api-load-") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "load.db"
        build_s = None
        if not db.exists():
            build_s = build_store(db, args.events)
            print(f"built {args.events} events in {build_s:.1f} s ({db})")
        port = free_port()
        proc = start_server(db, port)
        try:
            base = f"http://127.0.0.1:{port}"
            asyncio.run(fire(base, request_mix(10), 10, args.timeout))  # warm-up: imports, caches
            cpu0, t0 = server_cpu(proc.pid), time.perf_counter()
            lat, errors = asyncio.run(fire(base, request_mix(args.requests), args.concurrency, args.timeout))
            wall, cpu = time.perf_counter() - t0, server_cpu(proc.pid) - cpu0
        finally:
            proc.terminate()
            proc.wait(10)
    result = {
        "events": args.events, "requests": args.requests, "concurrency": args.concurrency,
        "errors": len(errors), "wall_s": round(wall, 2), "throughput_rps": round(len(lat) / wall, 1),
        "p50_ms": round(percentile(lat, 50) * 1000), "p95_ms": round(percentile(lat, 95) * 1000),
        "max_ms": round(max(lat) * 1000), "build_s": round(build_s, 1) if build_s else None,
        "server_cpu_ms_per_request": round(cpu / len(lat) * 1000, 1),
        "cpus": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 1),
    }
    for e in errors[:10]:
        print("error:", e)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
