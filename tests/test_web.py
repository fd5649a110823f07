"""The web page in a real browser: `eventscribe serve` as a subprocess, Debian's chromium
driven by Playwright. Load the map, filter by type, brush the timeline, open an event from
the list and from the map, see the sources side by side and the highlighted evidence, follow
a link — and check that the page asks nothing of any host but the server.

Skips (with the reason) when chromium or the playwright package is missing. Never runs
`playwright install`. The screenshot goes to the test's temp folder; with
EVENTSCRIBE_UPDATE_SCREENSHOT=1 it also replaces docs/screenshot.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from live_server import live_server
from test_api import gold_db_path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("EVENTSCRIBE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
WEB_VENDOR = REPO / "src" / "eventscribe" / "web" / "vendor"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`eventscribe serve` on a free loopback port over the gold store; yields its base URL."""
    db = gold_db_path(tmp_path_factory)
    with live_server(db, tmp_path_factory.mktemp("serve") / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A page that records every request to a host other than the server. (Playwright's
    wait_for_function evaluates strings, which the server's CSP forbids: these tests of
    behaviour bypass it; test_the_page_runs_under_its_content_security_policy does not.)"""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    pg = ctx.new_page()
    pg.outside = []
    pg.errors = []
    pg.on("request", lambda r: None if r.url.startswith(server + "/") or r.url.startswith("data:")
          else pg.outside.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.set_default_timeout(15000)
    yield pg
    ctx.close()


def _api(server: str, path: str, **params):
    return httpx.get(server + path, params=params, timeout=10, trust_env=False).json()


def _markers(page) -> list[str]:
    """The classes of the circles of every event on the map (drawn alone or inside a cluster)."""
    return page.evaluate("window.eventscribe.shown().map(id => window.eventscribe.marker(id).className)")


def _wait_shown(page, n: int) -> None:
    """Wait until the map holds n events (the page's test helper counts them, clustered or not)."""
    page.wait_for_function(f"window.eventscribe?.shown && window.eventscribe.shown().length === {n}")


def test_map_filter_open_event_and_evidence(page, server, tmp_path):
    page.goto(server + "/")
    located = _api(server, "/api/events", format="geojson", limit=1)["total"]
    _wait_shown(page, located)
    assert page.locator("#summary").inner_text().startswith(f"{_api(server, '/api/stats')['events']} events")

    # filter by type: only ASSAULT markers remain, as many as the API counts
    page.select_option("#f-type", "ASSAULT")
    n_assault = _api(server, "/api/events", format="geojson", limit=1, type="ASSAULT")["total"]
    _wait_shown(page, n_assault)
    assert all("type-ASSAULT" in c for c in _markers(page))
    assert page.locator("#list-title").inner_text().startswith(
        f"Events: {_api(server, '/api/events', limit=1, type='ASSAULT')['total']}")

    # the event whose sources disagree on the death toll (Kirkuk: "at least 21", then 27)
    target = next(e for e in _api(server, "/api/events", type="ASSAULT", limit=1000)["events"]
                  if e["n_articles"] > 1 and "fatalities" in _api(server, f"/api/events/{e['id']}")["disagreements"])
    detail = _api(server, f"/api/events/{target['id']}")
    page.click(f"#event-list a[data-event-id='{target['id']}']")
    page.wait_for_selector("#detail-view mark.trigger")
    assert f"#{target['id']}" in page.locator("#detail-title").inner_text()
    assert page.url.endswith(f"#event={target['id']}")

    # each source in its own column; the disagreeing row flagged, the odd value highlighted
    assert page.locator("table.sources thead th").count() == 1 + len(detail["mentions"])
    killed_row = page.locator("table.sources tr.disagree", has_text="Killed")
    assert killed_row.count() == 1 and killed_row.locator("td.differs").count() >= 1

    # the first source's text with its evidence sentence and trigger highlighted
    first = detail["mentions"][0]
    marks = page.locator("details.doc").first.locator("mark")
    sentence = "".join(marks.all_inner_texts())
    assert all(" ".join(e["text"].split()) in " ".join(sentence.split()) for e in first["evidence"])
    triggers = page.locator("details.doc").first.locator("mark.trigger").all_inner_texts()
    assert triggers == [e["trigger"]["text"] for e in sorted(first["evidence"], key=lambda e: e["start"])]

    screenshot = tmp_path / "screenshot.png"
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 20_000
    if os.environ.get("EVENTSCRIBE_UPDATE_SCREENSHOT") == "1":
        shutil.copy(screenshot, REPO / "docs" / "screenshot.png")

    # back to the list, then open an event by clicking its marker on the map
    page.click("#detail-view a.back")
    page.wait_for_selector("#list-view:not([hidden])")
    page.evaluate("window.eventscribe.setView(20, 15, 2)")
    hit = page.evaluate("""() => {
        for (const id of window.eventscribe.visible().markers) {
            const el = document.querySelector(`path.event-marker[data-event-id='${id}']`);
            if (!el) continue;
            const r = el.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
            if (document.elementFromPoint(x, y) === el) return {x, y, id};
        }
        return null;
    }""")
    assert hit is not None
    page.mouse.click(hit["x"], hit["y"])
    page.wait_for_function(f"document.querySelector('#detail-title')?.textContent.includes('#{hit['id']}')")
    assert not page.errors and not page.outside, (page.errors, page.outside)


def test_linked_events_are_clickable(page, server):
    src = next(e for e in _api(server, "/api/events", limit=1000)["events"]
               if _api(server, f"/api/events/{e['id']}")["links_out"])
    link = _api(server, f"/api/events/{src['id']}")["links_out"][0]
    page.goto(f"{server}/#event={src['id']}")
    page.wait_for_selector("#detail-view a.linked")
    page.click(f"#detail-view a.linked[data-event-id='{link['event']['id']}']")
    page.wait_for_function(f"document.querySelector('#detail-title')?.textContent.includes('#{link['event']['id']}')")
    # the other end lists the first event under "Answered / followed by"
    assert page.locator(f"#detail-view a.linked[data-event-id='{src['id']}']").count() == 1
    assert not page.errors and not page.outside


def test_timeline_brush_filters_the_map(page, server):
    page.goto(server + "/")
    page.wait_for_selector("#timeline rect.bar")
    total = _api(server, "/api/events", format="geojson", limit=1)["total"]
    _wait_shown(page, total)
    box = page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=5)
    page.mouse.up()
    page.wait_for_function("document.querySelector('#f-since').value && document.querySelector('#f-until').value")
    since, until = page.input_value("#f-since"), page.input_value("#f-until")
    assert since < until
    expected = _api(server, "/api/events", format="geojson", limit=1, since=since, until=until)["total"]
    assert 0 < expected < total
    _wait_shown(page, expected)
    assert page.locator("#t-clear").is_visible()
    page.click("#t-clear")
    _wait_shown(page, total)
    assert page.input_value("#f-since") == "" and not page.errors and not page.outside


def test_map_reads_like_an_analysts_map(page, server):
    """Four colour groups, size by deaths, centroids marked, unplaced events listed, the
    selected event zoomed to, the country filter by name, ISO dates typed in."""
    page.goto(server + "/")
    events = _api(server, "/api/events", limit=1000)["events"]
    located = [e for e in events if e["lat"] is not None]
    _wait_shown(page, len(located))
    assert page.locator(".legend span i").count() == 4
    assert "violence" in page.locator(".legend").inner_text()
    classes = _markers(page)
    assert all("group-violence" in c for c in classes if "type-ASSAULT" in c)
    assert all("group-verbal" in c for c in classes if "type-ACCUSE" in c)

    def radius(ev_id):
        return page.evaluate(f"window.eventscribe.marker({ev_id}).radius")

    deadliest = max(located, key=lambda e: e["fatalities_best"] or 0)
    no_toll = next(e for e in located if not e["fatalities_best"])
    assert deadliest["fatalities_best"] >= 5 and radius(deadliest["id"]) > radius(no_toll["id"]) + 2

    centroids = [e for e in located if e["geo_precision"] == "country"]
    assert centroids, "the example store has events placed only at a country"
    assert all("centroid" in page.evaluate(f"window.eventscribe.marker({e['id']}).className") for e in centroids)
    unplaced = [e for e in events if e["lat"] is None]
    assert unplaced and page.locator("#event-list li.unplaced").count() == len(unplaced)
    assert f"({len(unplaced)} without a place)" in page.locator("#list-title").inner_text()

    zoom = page.evaluate("window.eventscribe.zoom()")
    target = next(e for e in located if e["geo_precision"] != "country")
    page.click(f"#event-list a[data-event-id='{target['id']}']")
    page.wait_for_function(f"window.eventscribe.zoom() >= 6 && window.eventscribe.zoom() > {zoom}")
    page.click("#detail-view a.back")

    iraq = _api(server, "/api/events", format="geojson", limit=1, country="IRQ")["total"]
    assert iraq > 0
    page.fill("#f-country", "Iraq")
    _wait_shown(page, iraq)
    page.fill("#f-country", "Atlantis")
    page.wait_for_function("document.querySelector('#summary').textContent.includes('no country')")
    page.fill("#f-country", "")
    _wait_shown(page, len(located))

    since = sorted(e["date_start"] for e in located if e["date_start"])[len(located) // 2]
    expected = _api(server, "/api/events", format="geojson", limit=1, since=since)["total"]
    page.fill("#f-since", since)
    _wait_shown(page, expected)
    assert page.input_value("#f-since") == since and not page.errors and not page.outside


def _visible(page) -> dict:
    return page.evaluate("window.eventscribe.visible()")


def test_overlapping_events_cluster(page, server):
    """Events close together at the world view are one cluster that shows their number and the
    colours of their type groups; clicking it zooms in and separates them; events at one place
    stay clustered until the cluster is clicked, which spreads them out; a selected event in a
    cluster is zoomed to and drawn on its own."""
    page.goto(server + "/")
    located = {e["id"]: e for e in _api(server, "/api/events", limit=1000)["events"] if e["lat"] is not None}
    _wait_shown(page, len(located))
    page.wait_for_selector(".event-cluster")
    view = _visible(page)
    assert view["clusters"] and sum(c["count"] for c in view["clusters"]) + len(view["markers"]) == len(located)
    # each cluster's icon says how many events it holds, and is coloured by their type groups
    counts = sorted(int(t) for t in page.locator(".event-cluster .ring span").all_inner_texts())
    assert counts == sorted(c["count"] for c in view["clusters"])
    ring = page.locator(".event-cluster .ring").first.get_attribute("style")
    assert "conic-gradient" in ring and any(color in ring for color in ("#d50000", "#1e88e5", "#ef6c00", "#8e24aa"))

    def place(ev_id):
        return (round(located[ev_id]["lat"], 4), round(located[ev_id]["lon"], 4))

    # a cluster of events at different places: a click zooms in and they come apart
    def extent(cluster):  # how far apart its places lie (degrees): the widest one surely comes apart
        lats, lons = zip(*(place(i) for i in cluster["ids"]))
        return max(max(lats) - min(lats), max(lons) - min(lons))

    spread = max((c for c in view["clusters"] if len({place(i) for i in c["ids"]}) > 1), key=extent)
    zoom = page.evaluate("window.eventscribe.zoom()")
    page.mouse.click(spread["x"], spread["y"])
    page.wait_for_function(f"window.eventscribe.zoom() > {zoom}")
    ids = set(spread["ids"])

    def groups_of_ids():
        v = _visible(page)
        return [set(c["ids"]) & ids for c in v["clusters"] if set(c["ids"]) & ids] + [{i} for i in v["markers"] if i in ids]

    page.wait_for_function("!document.querySelector('.leaflet-cluster-anim')")
    for _ in range(50):  # the clusters are redrawn after the zoom ends: poll, up to 5 s
        if len(groups_of_ids()) > 1:
            break
        page.wait_for_timeout(100)
    assert len(groups_of_ids()) > 1

    # two or more events at one place: still one cluster zoomed in, spread out on a click
    by_place = {}
    for ev_id in located:
        by_place.setdefault(place(ev_id), []).append(ev_id)
    (lat, lon), same = next((p, ids) for p, ids in by_place.items() if len(ids) >= 2)
    page.evaluate(f"window.eventscribe.setView({lat}, {lon}, 9)")
    page.wait_for_function("!document.querySelector('.leaflet-cluster-anim')")
    here = [c for c in _visible(page)["clusters"] if set(same) <= set(c["ids"])]
    assert len(here) == 1 and not set(same) & set(_visible(page)["markers"])
    page.mouse.click(here[0]["x"], here[0]["y"])
    page.wait_for_function(f"{same}.every(id => window.eventscribe.marker(id).single)")
    assert page.evaluate("window.eventscribe.zoom()") == 9  # spread out in place, not zoomed

    # a selected event inside a cluster: the map zooms to it and draws it on its own
    page.evaluate("window.eventscribe.setView(20, 15, 2)")
    page.wait_for_function(f"!window.eventscribe.marker({same[-1]}).single")
    page.click(f"#event-list a[data-event-id='{same[-1]}']")
    page.wait_for_function(f"window.eventscribe.zoom() >= 6 && window.eventscribe.marker({same[-1]}).single")
    assert not page.errors and not page.outside, (page.errors, page.outside)


def test_swagger_docs_render_offline(page, server):
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "eventscribe" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-summary-path[data-path='/api/events']")
    assert not page.outside, page.outside


def test_the_page_runs_under_its_content_security_policy(browser, server):
    """With the CSP enforced, the map and the API docs load and nothing is blocked."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    violations, errors = [], []
    pg.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(server + "/")
        pg.wait_for_selector("path.event-marker, .event-cluster", timeout=15000)
        pg.goto(server + "/docs")
        pg.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    finally:
        ctx.close()
    assert not violations and not errors, (violations, errors)


def test_vendored_files_match_the_locked_npm_packages():
    """src/eventscribe/web/vendor is a copy of web/node_modules (package-lock.json) when npm ran."""
    if not (REPO / "web" / "node_modules").is_dir() or not shutil.which("node"):
        pytest.skip("web/node_modules absent (run: cd web && npm ci)")
    res = subprocess.run(["node", "vendor.mjs", "--check"], cwd=REPO / "web", capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
