"""Load test of `eventscribe serve` beside datasette on the same SQLite file: one command.

1. builds a synthetic SQLite store of 100k canonical events (bulk INSERT into the store's
   ``events`` table, then ``store.write_summaries``: no extraction involved), or reuses the
   one built before (``--db``, default in the temp folder);
2. starts ``eventscribe serve --workers N`` and ``datasette`` on that file, each on a free
   loopback port;
3. for each concurrency (default 200 and 1,000) and each server, sends that many list
   requests all at once (plain HTTP/1.1 on asyncio streams, a connection each) — the same mix of filters for both: deep pages, a type
   with 1000-event pages, country + period, a 1000-event map view, an actor substring;
4. prints, per server and concurrency, p50/p95/max latency, errors (anything but 200, and 503
   only when it comes with Retry-After), 503s, throughput, the servers' CPU per request (every
   process of the server together: the cost that does not depend on the machine's load), the
   client's CPU and the load average; writes them as a Markdown table (``--table``) and JSON
   (``--json``).

Loopback only, a fixed number of requests, a timeout on each: it stops by itself.

    python bench/api_load.py                       # 100k events, 200 and 1,000, both servers
    python bench/api_load.py --quick               # 200 concurrent only, eventscribe and datasette
    python bench/api_load.py --servers eventscribe --concurrency 200 --paging offset
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
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

TYPES = ["ASSAULT", "PROTEST", "COERCE", "ACCUSE", "THREATEN", "REQUEST", "CONSULT", "AGREE",
         "MOBILIZE", "SANCTION", "SUPPORT", "AID", "REJECT", "RETREAT", "CONCEDE", "COOPERATE"]
COUNTRIES = [("NGA", 9.1, 8.7), ("IRQ", 33.2, 43.7), ("UKR", 48.4, 31.2), ("SYR", 34.8, 39.0),
             ("COD", -2.9, 23.6), ("IND", 21.0, 78.0), ("MEX", 23.6, -102.5), ("COL", 4.6, -74.1),
             ("PAK", 30.4, 69.3), ("SOM", 5.2, 46.2), ("MMR", 21.9, 95.9), ("PER", -9.2, -75.0)]
ACTORS = ["police", "gunmen", "protesters", "soldiers", "rebels", "government", "militia", "students"]
DAY0, DAYS = dt.date(2020, 1, 1), 1800


# --- the store --------------------------------------------------------------------------------

def build_store(path: Path, n_events: int, seed: int = 7) -> float:
    """Create the schema with Store, bulk-insert ``n_events`` random events, write their
    summaries as every event write does. Returns seconds."""
    from sqlalchemy import insert

    from eventscribe.store import Store, events, write_summaries

    t0 = time.perf_counter()
    rng = random.Random(seed)
    now = dt.datetime(2024, 1, 1)
    with Store(str(path)) as store, store.engine.begin() as conn:
        batch = []
        for i in range(n_events):
            iso, lat, lon = rng.choice(COUNTRIES)
            start = DAY0 + dt.timedelta(days=rng.randrange(DAYS))
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
        # a few events an analyst rejected or merged into another: the default list hides them
        conn.execute(events.update().where(events.c.id % 500 == 0).values(review_status="rejected"))
        conn.execute(events.update().where(events.c.id % 700 == 0).values(merged_into=1))
        write_summaries(conn)
    with Store(str(path)) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - t0


def store_positions(path: Path, n: int, seed: int = 13) -> list[tuple[str, int]]:
    """(start date, id) of random events: where a client walking the pages would be."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT date_start, id FROM events WHERE date_start IS NOT NULL").fetchall()
    finally:
        con.close()
    rng = random.Random(seed)
    return [rng.choice(rows) for _ in range(n)]


# --- the requests -----------------------------------------------------------------------------

@dataclass
class Query:
    kind: str
    eventscribe: dict
    datasette: dict


def request_mix(n: int, positions: list[tuple[str, int]], paging: str, seed: int = 11) -> list[Query]:
    """The same questions for both servers, in each one's words."""
    rng = random.Random(seed)
    order = {"_sort": "date_start", "_nocol": "summary", "_shape": "objects"}
    out = []
    for i in range(n):
        kind = i % 5
        if kind == 0:
            day, eid = positions[i % len(positions)]
            ours = {"limit": 100, "cursor": f"{day}_{eid}"} if paging == "cursor" else \
                {"limit": 100, "offset": rng.randrange(0, 90_000, 100)}
            out.append(Query("deep page", ours, {**order, "_size": 100, "_next": f"{day},{eid}"}))
        elif kind == 1:
            t = rng.choice(TYPES)
            out.append(Query("type, 1000", {"type": t, "limit": 1000}, {**order, "type": t, "_size": 1000}))
        elif kind == 2:
            c = rng.choice(COUNTRIES)[0]
            out.append(Query("country + half-year",
                             {"country": c, "since": "2022-01-01", "until": "2022-06-30"},
                             {**order, "country": c, "date_end__gte": "2022-01-01",
                              "date_start__lte": "2022-06-30", "_size": 100}))
        elif kind == 3:
            out.append(Query("map, 1000", {"format": "geojson", "limit": 1000, "type": "ASSAULT", "since": "2023-01-01"},
                             {**order, "type": "ASSAULT", "date_end__gte": "2023-01-01", "lat__notnull": 1,
                              "lon__notnull": 1, "_size": 1000}))
        else:
            a = rng.choice(ACTORS)
            out.append(Query("actor, 50", {"actor": a, "limit": 50},
                             {**order, "_size": 50,
                              "_where": f"(lower(actor) like '%{a}%' or lower(target) like '%{a}%')"}))
    return out


@dataclass
class Shot:
    latency: float
    status: int | None
    error: str | None = None


class _Exchange(asyncio.Protocol):
    """One GET on a connection of its own, as plain HTTP/1.1 on an asyncio protocol: the
    client shares the machine with the servers, so it must cost little per request (httpx
    spent more CPU per request than our server, asyncio's streams a third more than this),
    and it is the same for every server measured. The answer is complete when its declared
    length has arrived (or its last chunk, or the close)."""

    def __init__(self, request: bytes) -> None:
        self.request = request
        self.data = bytearray()
        self.head: tuple[int, dict[str, str], int] | None = None  # status, headers, where the body starts
        self.done = asyncio.get_running_loop().create_future()

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.data += data
        if self.head is None:
            end = self.data.find(b"\r\n\r\n")
            if end < 0:
                return
            status_line, *lines = self.data[:end].decode("latin-1").split("\r\n")
            headers = dict((k.strip().lower(), v.strip()) for k, _, v in (ln.partition(":") for ln in lines if ln))
            self.head = (int(status_line.split()[1]), headers, end + 4)
        length = self.head[1].get("content-length")
        if length is not None and len(self.data) - self.head[2] >= int(length):
            self._finish(bytes(self.data[self.head[2]:self.head[2] + int(length)]))
        elif self.head[1].get("transfer-encoding", "").lower() == "chunked" and self.data.endswith(b"0\r\n\r\n"):
            self._finish(_dechunk(bytes(self.data[self.head[2]:])))

    def connection_lost(self, exc) -> None:
        if self.done.done():
            return
        if self.head is None:
            self.done.set_exception(exc or ConnectionError("closed before an answer"))
        else:
            self._finish(bytes(self.data[self.head[2]:]))

    def _finish(self, body: bytes) -> None:
        if not self.done.done():
            self.done.set_result((self.head[0], self.head[1], body))
        self.transport.close()


def _dechunk(data: bytes) -> bytes:
    out, i = bytearray(), 0
    while True:
        eol = data.index(b"\r\n", i)
        size = int(data[i:eol].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += data[eol + 2:eol + 2 + size]
        i = eol + 2 + size + 2


async def get(host: str, port: int, target: str) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one GET, on a new connection closed after it."""
    request = (f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: gzip\r\n"
               f"Connection: close\r\n\r\n").encode()
    loop = asyncio.get_running_loop()
    transport, exchange = await loop.create_connection(lambda: _Exchange(request), host, port)
    try:
        return await exchange.done
    finally:
        transport.close()


def run(coroutine):
    """asyncio.run on uvloop where installed (as the server runs): less client CPU per request."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


async def fire(base: str, path: str, params: list[dict], timeout: float) -> list[Shot]:
    """Send every request at once, one connection each; the body is read, not parsed."""
    from urllib.parse import urlencode, urlsplit

    where = urlsplit(base)
    shots: list[Shot] = []

    async def one(p: dict) -> None:
        t0 = time.perf_counter()
        try:
            status, headers, body = await asyncio.wait_for(
                get(where.hostname, where.port, f"{path}?{urlencode(p)}"), timeout)
            error = None
            if status == 503 and "retry-after" not in headers:
                error = "503 without Retry-After"
            elif status not in (200, 503) or (status == 200 and not body):
                error = f"{status} {p}: {body[:200]!r}"
            shots.append(Shot(time.perf_counter() - t0, status, error))
        except Exception as exc:  # noqa: BLE001 - count every failure, keep going
            shots.append(Shot(time.perf_counter() - t0, None, f"{type(exc).__name__} {p}: {exc}"))

    await asyncio.gather(*(one(p) for p in params))
    return shots


# --- the servers ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    base: str
    path: str

    def cpu(self) -> float:
        """CPU seconds of the server and all its processes (the workers of serve --workers)."""
        try:
            top = psutil.Process(self.proc.pid)
            procs = [top, *top.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for p in procs:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
        return total

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def start(name: str, cmd: list[str], port: int, probe: str, path: str) -> Server:
    proc = subprocess.Popen(cmd, env={**os.environ, "EVENTSCRIBE_API_TOKEN": ""},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + probe, timeout=5, trust_env=False).status_code == 200:
                return Server(name, proc, base, path)
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"{name} did not start: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")


def start_eventscribe(db: Path, workers: int) -> Server:
    port = free_port()
    return start("eventscribe", [sys.executable, "-m", "eventscribe", "serve", "--db", str(db), "--host", "127.0.0.1",
                                 "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
                 port, "/api/stats", "/api/events")


def start_datasette(db: Path) -> Server:
    """datasette as a user would run it on this file, two settings changed: suggested facets
    off (they cost a query per column per page) and the page-size limit at our 1000."""
    port = free_port()
    exe = Path(sys.executable).with_name("datasette")
    cmd = [str(exe) if exe.exists() else "datasette", "serve", str(db), "--host", "127.0.0.1", "--port", str(port),
           "--setting", "suggest_facets", "off", "--setting", "max_returned_rows", "1000"]
    return start("datasette", cmd, port, f"/{db.stem}.json", f"/{db.stem}/events.json")


# --- one round --------------------------------------------------------------------------------

def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def round_of(server: Server, queries: list[Query], timeout: float) -> dict:
    params = [q.eventscribe if server.name == "eventscribe" else q.datasette for q in queries]
    me = psutil.Process()
    cpu0, client0, t0 = server.cpu(), sum(me.cpu_times()[:2]), time.perf_counter()
    shots = run(fire(server.base, server.path, params, timeout))
    wall = time.perf_counter() - t0
    cpu, client = server.cpu() - cpu0, sum(me.cpu_times()[:2]) - client0
    ok = [s.latency for s in shots if s.status == 200]
    busy = [s for s in shots if s.status == 503 and s.error is None]
    errors = [s.error for s in shots if s.error]
    kinds = Counter("time limit" if "took too long" in e else e.split()[0] for e in errors)
    for e in errors[:5]:
        print(f"  {server.name} error: {e}", file=sys.stderr)
    return {
        "server": server.name, "concurrency": len(queries), "ok": len(ok), "busy_503": len(busy),
        "errors": len(errors), "error_kinds": dict(kinds.most_common()),
        "p50_ms": round(percentile(ok, 50) * 1000) if ok else None,
        "p95_ms": round(percentile(ok, 95) * 1000) if ok else None,
        "max_ms": round(max(ok) * 1000) if ok else None,
        "busy_p95_ms": round(percentile([s.latency for s in busy], 95) * 1000) if busy else None,
        "wall_s": round(wall, 2), "ok_per_s": round(len(ok) / wall, 1),
        "server_cpu_ms_per_request": round(cpu / len(shots) * 1000, 2),
        "server_cpu_ms_per_ok": round(cpu / max(1, len(ok)) * 1000, 2),
        "client_cpu_s": round(client, 2),
        "client_cpu_ms_per_request": round(client / len(shots) * 1000, 2),
        "requests_per_server_cpu_s": round(len(shots) / cpu) if cpu > 0 else None,
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def warm_up(server: Server, queries: list[Query], timeout: float) -> None:
    """Imports, connections and the database pages, with other questions than the measured
    ones (so the measured round starts with cold answer caches)."""
    params = [q.eventscribe if server.name == "eventscribe" else q.datasette for q in queries]
    run(fire(server.base, server.path, params, timeout))


def markdown(rows: list[dict], meta: dict) -> str:
    lines = [f"{meta['events']:,} events, {meta['cpus']} cores, `serve --workers {meta['workers']}`, paging by "
             f"{meta['paging']}, {meta['when']} (load average: 1-minute, at the end of each round)", "",
             "| server | concurrent | 200 | 503 (Retry-After) | errors | p50 ms | p95 ms | max ms | answers/s "
             "| server CPU ms / request | requests / server CPU-s | client CPU ms / request | load avg |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        kinds = ", ".join(f"{k} {n}" for k, n in r["error_kinds"].items())
        errors = f"{r['errors']} ({kinds})" if kinds else "0"
        lines.append(f"| {r['server']} | {r['concurrency']:,} | {r['ok']} | {r['busy_503']} | {errors} | "
                     f"{r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['ok_per_s']} | "
                     f"{r['server_cpu_ms_per_request']} | {r['requests_per_server_cpu_s']} | "
                     f"{r['client_cpu_ms_per_request']} | {r['load_average_1min']} |")
    lines += ["", "errors: TimeoutError = no answer within the timeout; time limit = datasette's 400 \"SQL query "
              "took too long\" (its sql_time_limit_ms, 1 s by default); 503s count apart, each with Retry-After."]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[200, 1000],
                    help="requests sent at once, one round each (default 200 1000)")
    ap.add_argument("--servers", nargs="+", default=["eventscribe", "datasette"], choices=["eventscribe", "datasette"])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="serve --workers (default: cores)")
    ap.add_argument("--paging", choices=["cursor", "offset"], default="cursor",
                    help="how the deep pages are asked of eventscribe (datasette always by its _next keyset)")
    ap.add_argument("--quick", action="store_true", help="a short run: 200 concurrent only")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per request (default 60)")
    ap.add_argument("--db", help="the SQLite file (built when missing; default: one per size in the temp folder)")
    ap.add_argument("--json", help="also write the results to this JSON file")
    ap.add_argument("--table", help="also write the Markdown table to this file")
    args = ap.parse_args()
    if args.quick:
        args.concurrency = [200]

    db = Path(args.db) if args.db else Path(tempfile.gettempdir()) / f"eventscribe-api-load-{args.events}.db"
    build_s = None
    if not db.exists():
        build_s = build_store(db, args.events)
        print(f"built {args.events:,} events in {build_s:.1f} s ({db})", file=sys.stderr)
    else:
        from eventscribe.store import Store

        Store(str(db)).close()  # an older file is upgraded (summaries filled) before serving
        print(f"reusing {db}", file=sys.stderr)
    positions = store_positions(db, 2000)
    rows = []
    for name in args.servers:
        server = start_eventscribe(db, args.workers) if name == "eventscribe" else start_datasette(db)
        try:
            warm_up(server, request_mix(20, positions[1000:], args.paging, seed=99), args.timeout)
            for n in args.concurrency:
                row = round_of(server, request_mix(n, positions, args.paging), args.timeout)
                print(json.dumps(row), file=sys.stderr)
                rows.append(row)
                time.sleep(2)
        finally:
            server.stop()
    rows.sort(key=lambda r: (r["concurrency"], r["server"] != "eventscribe"))
    meta = {"events": args.events, "cpus": os.cpu_count(), "workers": args.workers, "paging": args.paging,
            "when": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "build_s": build_s}
    table = markdown(rows, meta)
    print(table)
    if args.table:
        Path(args.table).write_text(table)
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
