"""A review session in a real browser (issue 12): `eventscribe serve` on a copy of the example
store with two reviewers (one may only read), Debian's chromium driven by Playwright.

The reviewer signs in with the token field, works down the review queue with the keyboard,
rejects an event, corrects a place by clicking the map and a death toll in the edit form,
merges two events; then `eventscribe export` shows the reviewed values and a re-ingest of the
same documents keeps them. With EVENTSCRIBE_UPDATE_SCREENSHOT=1 the queue and an event's
history are also saved as docs/review-queue.png and docs/review-history.png.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from test_api import gold_db_path
from live_server import live_server
from test_web import REPO, browser  # noqa: F401  (browser is a fixture)

REVIEWERS = "ana:tok-ana-7f3c,rita:tok-rita-read:read"
GOLD = REPO / "examples" / "gold"


@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    """`eventscribe serve` over a private copy of the gold store (the test changes it)."""
    db = tmp_path_factory.mktemp("review") / "review.db"
    (db.parent / "dictionary").mkdir()
    shutil.copy(gold_db_path(tmp_path_factory), db)
    env = {"EVENTSCRIBE_REVIEWERS": REVIEWERS}
    with live_server(db, db.parent / "serve.log", "--workers", "1", "--dictionary", str(db.parent / "dictionary"),
                     env=env) as base:
        if httpx.get(base + "/api/review/queue", timeout=10, trust_env=False).status_code == 404:
            pytest.skip("this server has no review API yet")
        yield base, db


@pytest.fixture
def page(browser, review_server):  # noqa: F811
    base, _ = review_server
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    pg = ctx.new_page()
    pg.errors, pg.outside = [], []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: None if r.url.startswith(base + "/") or r.url.startswith("data:")
          else pg.outside.append(r.url))
    pg.set_default_timeout(20000)
    yield pg
    ctx.close()


def _get(base, path, **params):
    r = httpx.get(base + path, params=params, timeout=20, trust_env=False)
    r.raise_for_status()
    return r.json()


def _cli(*args: str) -> str:
    res = subprocess.run([sys.executable, "-m", "eventscribe.cli", *args], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def _export(db: Path) -> dict[int, dict]:
    rows = [json.loads(line) for line in _cli("export", "--db", str(db), "--format", "jsonl").splitlines() if line.strip()]
    return {r["id"]: r for r in rows}


def _open(page, ev_id: int) -> None:
    page.evaluate(f"window.eventscribe.openEvent({ev_id})")
    page.wait_for_selector(f"#review-box[data-event-id='{ev_id}'] .review-bar")


def _sign_in(page, token: str, name: str) -> None:
    page.fill("#r-token", token)
    page.click("#r-signin")
    page.wait_for_function(f"document.querySelector('#r-who').textContent.includes('{name}')")


def test_review_session_sticks_through_export_and_reingest(page, review_server, tmp_path):
    base, db = review_server
    page.goto(base + "/")
    page.wait_for_function("window.eventscribe?.shown && window.eventscribe.shown().length > 0")

    # without a token the review buttons are there but disabled
    _open(page, _get(base, "/api/events", limit=1)["events"][0]["id"])
    assert page.locator("#review-box button[data-act=accept]").is_disabled()

    # a read-only reviewer sees who they are and still cannot write: no edit form
    _sign_in(page, "tok-rita-read", "rita")
    assert "read only" in page.locator("#r-who").inner_text()
    assert page.locator("#review-box button[data-act=accept]").is_disabled()
    assert page.locator("#review-box form.edit-form").count() == 0
    page.click("#r-signout")
    _sign_in(page, "tok-ana-7f3c", "ana")
    page.wait_for_selector("#review-box form.edit-form", state="attached")
    assert page.locator("#review-box button[data-act=accept]").is_enabled()
    page.click("#detail-view a.back")
    assert page.evaluate("sessionStorage.getItem('eventscribe.reviewer-token')") == "tok-ana-7f3c"

    # the queue: the API's order, with its reasons; filtered like the map
    page.click("#tabs button[data-tab=queue]")
    page.wait_for_selector("#queue-list li a[data-event-id]")
    queue = _get(base, "/api/review/queue", limit=200)["events"]
    shown = page.eval_on_selector_all("#queue-list a[data-event-id]", "as => as.map(a => Number(a.dataset.eventId))")
    assert shown == [q["id"] for q in queue]
    assert page.locator("#queue-list li").first.locator(".reason").all_inner_texts() == queue[0]["reasons"]
    if os.environ.get("EVENTSCRIBE_UPDATE_SCREENSHOT") == "1":
        page.evaluate("window.eventscribe.setView(20, 15, 2)")
        page.wait_for_timeout(500)
        page.screenshot(path=str(REPO / "docs" / "review-queue.png"))
    page.select_option("#f-type", "ASSAULT")
    page.wait_for_function("[...document.querySelectorAll('#queue-list a[data-event-id]')].length > 0 && "
                           "[...document.querySelectorAll('#queue-list a b')].every(b => b.textContent === 'ASSAULT')")
    assault_queue = _get(base, "/api/review/queue", limit=200, type="ASSAULT")["events"]

    # j opens the first event of the queue; r rejects it: gone from the map, the queue moves on
    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible() and "reject" in page.locator("#shortcuts").inner_text()
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    rejected = assault_queue[0]["id"]
    page.wait_for_selector(f"#review-box[data-event-id='{rejected}'] .review-bar")
    page.keyboard.press("r")
    page.wait_for_selector(f"#review-box[data-event-id='{assault_queue[1]['id']}'] .review-bar")
    assert _get(base, f"/api/events/{rejected}")["review_status"] == "rejected"
    page.wait_for_function(f"!window.eventscribe.shown().includes({rejected})")
    assert rejected not in page.eval_on_selector_all("#queue-list a[data-event-id]", "as => as.map(a => Number(a.dataset.eventId))")
    page.select_option("#f-type", "")

    # correct a place by clicking the map, and the death toll, in the edit form
    events = _get(base, "/api/events", limit=1000, type="ASSAULT")["events"]
    fix = next(e for e in events if e["geo_precision"] == "country" and e["id"] != rejected)
    kirkuk = _get(base, "/api/places/candidates", q="Kirkuk", limit=1)[0]
    _open(page, fix["id"])
    page.keyboard.press("e")
    form = page.locator("#review-box form.edit-form")
    assert form.is_visible()
    # the gazetteer knows the name typed ...
    form.locator("input[name=location]").fill("Kirkuk")
    form.locator("button.find-place").click()
    page.wait_for_selector("#review-box .candidates a")
    assert form.locator(".candidates a").first.inner_text() == "Kirkuk"
    # ... but the reviewer sets the point with a click on the map, and picks the town nearest it
    form.locator("button.pick-map").click()
    page.evaluate(f"window.eventscribe.setView({kirkuk['lat']}, {kirkuk['lon']}, 9)")
    pt = page.evaluate(f"window.eventscribe.pointOf({kirkuk['lat'] + 0.06}, {kirkuk['lon'] - 0.06})")
    page.mouse.click(pt["x"], pt["y"])
    page.wait_for_selector("#review-box .candidates li .muted:has-text('km')")
    assert abs(float(form.locator("input[name=lat]").input_value()) - (kirkuk["lat"] + 0.06)) < 0.01
    form.locator(".candidates a", has_text="Kirkuk").first.click()
    assert form.locator("input[name=location]").input_value() == "Kirkuk"
    form.locator("input[name=actor]").fill("Kirkuk Provincial Police")
    form.locator("input[name=actor_sector]").fill("COP")
    form.locator("input[name=fatalities_best]").fill("9")
    form.locator("input[name=fatalities_low]").fill("9")
    form.locator("input[name=fatalities_high]").fill("9")
    form.locator("input[name=note]").fill("the wire copy names Kirkuk; nine dead")
    form.locator("button.save").click()
    page.wait_for_function("document.querySelector('#review-box .review-msg').textContent.includes('edit: done')")
    fixed = _get(base, f"/api/events/{fix['id']}")
    assert fixed["location"] == "Kirkuk" and fixed["fatalities_best"] == 9
    assert abs(fixed["lat"] - kirkuk["lat"]) < 1e-3 and fixed["geo_precision"] == "place"
    assert {"location", "lat", "fatalities_best", "actor"} <= set(fixed["reviewed_fields"])
    assert fixed["actor"] == "Kirkuk Provincial Police" and fixed["actor_sector"] == "COP"
    # the history in the detail: who, what, old and new value, the note
    history = page.locator("#review-box table.history")
    assert history.locator("tbody tr").count() == 1  # one move: several columns
    assert "fatalities_best" in history.inner_text() and "Kirkuk" in history.inner_text()
    assert "ana" in history.inner_text() and "nine dead" in history.inner_text()
    # the corrected place and actor go to the user dictionary with one click each
    for kind, name in (("places", "Kirkuk"), ("actors", "Kirkuk Provincial Police")):
        page.click(f"#review-box button.add-dict[data-kind={kind}]")
        page.wait_for_function("document.querySelector('#review-box .review-msg').textContent.includes('added')")
        assert name in (db.parent / "dictionary" / f"{kind}.tsv").read_text(encoding="utf-8")
        assert page.locator(f"#review-box button.add-dict[data-kind={kind}]").is_disabled()
        page.evaluate("document.querySelector('#review-box .review-msg').textContent = ''")
    page.evaluate("document.querySelector('#panel').scrollTop = 0")
    if os.environ.get("EVENTSCRIBE_UPDATE_SCREENSHOT") == "1":
        page.screenshot(path=str(REPO / "docs" / "review-history.png"))

    # merge two events: another event at the same place and day goes into this one
    pool = [e for e in _get(base, "/api/events", limit=1000)["events"] if e["id"] not in (rejected, fix["id"])]
    keep, other = next((a, b) for a in pool for b in pool if a["id"] < b["id"] and a["date_start"]
                       and a["date_start"] == b["date_start"] and a["country"] == b["country"])
    n_mentions = len(_get(base, f"/api/events/{keep['id']}")["mentions"]) + len(_get(base, f"/api/events/{other['id']}")["mentions"])
    _open(page, keep["id"])
    page.fill("#review-box form.merge input[name=other]", str(other["id"]))
    page.click("#review-box form.merge button[type=submit]")
    page.wait_for_function("document.querySelector('#review-box .review-msg').textContent.includes('done')")
    assert len(_get(base, f"/api/events/{keep['id']}")["mentions"]) == n_mentions
    assert _get(base, f"/api/events/{other['id']}")["merged_into"] == keep["id"]
    page.wait_for_function(f"!window.eventscribe.shown().includes({other['id']})")

    # split the merged-in sources out again into a new event, then accept with the keyboard
    back = [m["mention_id"] for m in _get(base, f"/api/events/{keep['id']}")["mentions"]][-1:]
    page.check(f"#review-box form.split input[value='{back[0]}']")
    page.click("#review-box form.split button[type=submit]")
    page.wait_for_function("document.querySelector('#review-box .review-msg').textContent.includes('new event #')")
    assert len(_get(base, f"/api/events/{keep['id']}")["mentions"]) == n_mentions - 1
    page.keyboard.press("a")
    deadline = time.monotonic() + 20
    while _get(base, f"/api/events/{keep['id']}")["review_status"] != "accepted" and time.monotonic() < deadline:
        time.sleep(0.3)
    assert _get(base, f"/api/events/{keep['id']}")["review_status"] == "accepted"
    assert not page.errors and not page.outside, (page.errors, page.outside)

    # the export shows the reviewed values: the rejected and the merged-away event left out
    def check(rows):
        assert rejected not in rows and other["id"] not in rows
        row = rows[fix["id"]]
        assert row["location"] == "Kirkuk" and row["fatalities"] == 9 and abs(row["latitude"] - kirkuk["lat"]) < 1e-3
        assert "fatalities_best" in row["reviewed_fields"]
        assert keep["id"] in rows and rows[keep["id"]]["review_status"] == "accepted"

    check(_export(db))
    # a re-ingest of the same documents keeps every review
    _cli("ingest", str(GOLD), "--db", str(db))
    check(_export(db))
    assert _get(base, f"/api/events/{rejected}")["review_status"] == "rejected"
