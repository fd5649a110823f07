// The events page: filters -> /api/events (GeoJSON) on the map and in the list,
// /api/timeline below the map, and the detail panel for the clicked event.
// Plain ES module; Leaflet and topojson-client are vendored globals (L, topojson).
import { drawTimeline } from "./timeline.js";
import { renderDetail } from "./detail.js";
import { TYPES, COLORS } from "./types.js";
import { api, esc, dateLabel } from "./util.js";
import { setupMap, drawMarkers, highlight, focusEvent, mapProbe } from "./map.js";
import { setupReview, renderReview, loadQueue, mapClicked, closed as reviewClosed } from "./review.js";

export { TYPES, GROUPS, GROUP_OF, COLORS, radiusFor } from "./types.js";
export { api, esc, dateLabel } from "./util.js";
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
let COUNTRY_NAMES = {};  // ISO3 -> name, from /api/countries
const PAGE = 1000;        // the API's largest page
const MAX_POINTS = 5000;  // the map shows at most this many events (the list says so)
const LIST_ROWS = 300;

const $ = (sel) => document.querySelector(sel);
const state = { period: null, selected: null, loadSeq: 0, events: [], tab: "list", from: "list" };

// --- filters --------------------------------------------------------------------------

function filterParams({ withPeriod = true, withReview = true } = {}) {
  const p = new URLSearchParams();
  const type = $("#f-type").value, country = $("#f-country").value.trim(), actor = $("#f-actor").value.trim();
  const review = $("#f-review").value;
  if (type) p.set("type", type);
  if (review && withReview) p.set("review", review);
  if (country) p.set("country", country);  // a code or a name: the API resolves it, or says why not
  if (actor) p.set("actor", actor);
  if (withPeriod) {
    const since = $("#f-since").value.trim(), until = $("#f-until").value.trim();
    if (ISO_DAY.test(since)) p.set("since", since);
    if (ISO_DAY.test(until)) p.set("until", until);
  }
  return p;
}

function setupFilters() {
  const sel = $("#f-type");
  for (const t of TYPES) sel.add(new Option(t, t));
  let timer = null;
  const changed = (which) => {
    clearTimeout(timer);
    timer = setTimeout(() => (which === "period" ? loadEvents() : refresh()), 250);
  };
  for (const id of ["#f-type", "#f-country", "#f-actor", "#f-review"]) $(id).addEventListener("input", () => changed("all"));
  for (const id of ["#f-since", "#f-until"]) {
    $(id).addEventListener("change", () => changed("period"));
    $(id).addEventListener("input", () => {
      const v = $(id).value.trim();
      $(id).classList.toggle("invalid", v !== "" && !ISO_DAY.test(v));
      if (v === "" || ISO_DAY.test(v)) changed("period");
    });
  }
  $("#filters").addEventListener("submit", (e) => e.preventDefault());
  $("#filters").addEventListener("reset", () => setTimeout(refresh, 0));
  $("#t-clear").addEventListener("click", () => setPeriod(null, null));
}

/** The timeline's brush or click chose a period: it becomes the date filter. */
function setPeriod(since, until) {
  $("#f-since").value = since || "";
  $("#f-until").value = until || "";
  loadEvents();
}

// --- loading --------------------------------------------------------------------------

async function loadEvents() {
  const seq = ++state.loadSeq;
  const params = filterParams();
  params.set("limit", PAGE);
  const events = [];
  let total = 0;
  try {
    while (events.length < MAX_POINTS) { // page by cursor: each page as fast as the first
      const page = await api(`/api/events?${params}`);
      if (seq !== state.loadSeq) return; // a newer filter won
      events.push(...page.events);
      total = page.total;
      if (page.next_cursor == null) break;
      params.set("cursor", page.next_cursor);
    }
  } catch (err) {
    showError(err);
    return;
  }
  clearError();
  state.events = events;
  drawMarkers(events);
  renderList(events, total);
  const since = $("#f-since").value, until = $("#f-until").value;
  state.period = since || until ? { since, until } : null;
  $("#t-clear").hidden = !state.period;
  timeline?.select(state.period);
  document.body.dataset.loaded = String(seq);
}

let timeline = null;

async function loadTimeline() {
  try {
    const data = await api(`/api/timeline?${filterParams({ withPeriod: false })}`);
    timeline = drawTimeline($("#timeline"), data, { onSelect: setPeriod });
    timeline.select(state.period);
  } catch (err) {
    showError(err);
  }
}

function refresh() {
  loadTimeline();
  loadEvents();
  if (state.tab === "queue") loadQueue();
}

function renderList(events, total) {
  const shown = events.length;
  const unplaced = events.filter((ev) => ev.lat == null || ev.lon == null).length;
  $("#list-title").textContent = `Events: ${total > shown ? `${shown} of ${total}` : total}`
    + (unplaced ? ` (${unplaced} without a place)` : "");
  $("#event-list").innerHTML = events.slice(0, LIST_ROWS).map((ev) => `
    <li class="${ev.lat == null ? "unplaced" : ""}"><a href="#event=${ev.id}" data-event-id="${ev.id}">
      <i class="dot" style="background:${COLORS[ev.type]}"></i><b>${esc(ev.type)}</b>
      ${ev.review_status && ev.review_status !== "unreviewed" ? `<span class="status status-${esc(ev.review_status)}">${esc(ev.review_status)}</span>` : ""}
      ${ev.lat == null ? '<span class="muted">no place</span>' : esc(ev.location || ev.country || "")}
      <span class="muted">${esc(dateLabel(ev))}</span>
      ${ev.fatalities_best != null ? `<span class="deaths">${ev.fatalities_best} killed</span>` : ""}
    </a></li>`).join("") + (shown > LIST_ROWS ? `<li class="muted">… ${shown - LIST_ROWS} more</li>` : "");
}

function showError(err) {
  if (!state.summary) state.summary = $("#summary").textContent;
  $("#summary").textContent = `error: ${err.message}`;
  $("#summary").classList.add("error");
}

function clearError() {
  if (!$("#summary").classList.contains("error")) return;
  $("#summary").classList.remove("error");
  $("#summary").textContent = state.summary || "";
}

// --- detail ---------------------------------------------------------------------------

export async function openEvent(id, { from } = {}) {
  state.from = from || (String(id) === String(state.selected) ? state.from : state.tab);
  state.selected = Number(id);
  highlight(state.selected);
  if (location.hash !== `#event=${id}`) history.replaceState(null, "", `#event=${id}`);
  const view = $("#detail-view");
  $("#list-view").hidden = $("#queue-view").hidden = true;
  view.hidden = false;
  view.innerHTML = `<p class="muted">Loading event ${esc(id)}…</p>`;
  try {
    const ev = await api(`/api/events/${encodeURIComponent(id)}`);
    if (state.selected !== Number(id)) return;
    await showDetail(ev);
    if (ev.lat != null && ev.lon != null) focusEvent(ev);
  } catch (err) {
    view.innerHTML = `<p class="error">${esc(err.message)}</p><p><a href="#" id="back">← all events</a></p>`;
    view.querySelector("#back").addEventListener("click", (e) => { e.preventDefault(); closeEvent(); });
  }
}

/** The detail panel of an event and its review box (again after each review change). */
async function showDetail(ev) {
  const view = $("#detail-view");
  await renderDetail(view, ev, { onOpen: openEvent, onClose: closeEvent, back: state.from === "queue" ? "← review queue" : "← all events" });
  renderReview(view.querySelector("#review-box"), ev);
}

function closeEvent() {
  state.selected = null;
  highlight(state.selected);
  reviewClosed();
  history.replaceState(null, "", location.pathname + location.search);
  $("#detail-view").hidden = true;
  showTab(state.from);
}

/** The right panel's two lists: all events (as on the map) and the review queue. */
function showTab(name) {
  state.tab = name;
  if (!$("#detail-view").hidden) { state.selected = null; highlight(null); reviewClosed(); $("#detail-view").hidden = true; }
  $("#list-view").hidden = name !== "list";
  $("#queue-view").hidden = name !== "queue";
  for (const b of document.querySelectorAll("#tabs button")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
  if (name === "queue") loadQueue();
}

function openFromHash() {
  const m = /^#event=(\d+)$/.exec(location.hash);
  if (m) openEvent(m[1]);
}

// --- start ----------------------------------------------------------------------------

async function start() {
  setupFilters();
  $("#event-list").addEventListener("click", (e) => {
    const a = e.target.closest("a[data-event-id]");
    if (a) { e.preventDefault(); openEvent(a.dataset.eventId); }
  });
  window.addEventListener("hashchange", openFromHash);
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  await setupMap("map", { onOpen: openEvent, onMapClick: mapClicked });
  await setupReview({
    openEvent, filterParams: () => filterParams({ withReview: false }), reloadEvents: loadEvents, showTab,
    listEvents: () => state.events, tab: () => state.tab, openedFrom: () => state.from,
    focus: (ev) => state.selected === ev.id && ev.lat != null && focusEvent(ev),
    updated: (ev) => (state.selected === ev.id ? showDetail(ev) : openEvent(ev.id)),
  });
  COUNTRY_NAMES = await api("/api/countries").then((cs) => Object.fromEntries(cs.map((c) => [c.code, c.name])))
    .catch(() => ({}));
  api("/api/stats").then((s) => {
    $("#summary").textContent = `${s.events} events from ${s.documents} articles, ${s.first_date || "?"} to ${s.last_date || "?"}`;
    $("#countries").innerHTML = Object.entries(s.top_countries || {})
      .map(([c]) => `<option value="${esc(COUNTRY_NAMES[c] || c)}" label="${esc(c)}">`).join("");
  }).catch(showError);
  refresh();
  openFromHash();
}

/** Test and console helper: what the map shows (mapProbe) and how to open an event. */
window.eventscribe = { openEvent, ...mapProbe };
start();
