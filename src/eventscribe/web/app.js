// The events page: filters -> /api/events (GeoJSON) on the map and in the list,
// /api/timeline below the map, and the detail panel for the clicked event.
// Plain ES module; Leaflet and topojson-client are vendored globals (L, topojson).
import { drawTimeline } from "./timeline.js";
import { renderDetail } from "./detail.js";

export const TYPES = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
];
// Sixteen colours cannot be told apart on a map: four groups an analyst reads at a glance.
export const GROUPS = [
  { name: "violence", color: "#d50000", types: ["ASSAULT"] },
  { name: "protest", color: "#8e24aa", types: ["PROTEST"] },
  { name: "coercion", color: "#ef6c00", types: ["COERCE", "MOBILIZE", "SANCTION"] },
  { name: "verbal / diplomatic", color: "#1e88e5",
    types: ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
            "ACCUSE", "REJECT", "THREATEN"] },
];
export const GROUP_OF = Object.fromEntries(GROUPS.flatMap((g) => g.types.map((t) => [t, g])));
export const COLORS = Object.fromEntries(TYPES.map((t) => [t, GROUP_OF[t].color]));
const groupClass = (type) => `group-${GROUP_OF[type].name.split(" ")[0]}`;
/** Marker radius: grows with the death toll (area ~ deaths), at least 4 px. */
export const radiusFor = (ev) => 4 + Math.min(14, 2.2 * Math.sqrt(ev.fatalities_best || 0));
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
let COUNTRY_NAMES = {};  // ISO3 -> name, from /api/countries
const PAGE = 1000;        // the API's largest page
const MAX_POINTS = 5000;  // the map shows at most this many events (the list says so)
const LIST_ROWS = 300;

const $ = (sel) => document.querySelector(sel);
const state = { period: null, markers: new Map(), selected: null, loadSeq: 0 };

export async function api(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.detail || `${res.status} ${res.statusText}`);
  return body;
}

export function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export function dateLabel(ev) {
  if (!ev.date_start) return "undated";
  return ev.date_end && ev.date_end !== ev.date_start ? `${ev.date_start} – ${ev.date_end}` : ev.date_start;
}

// --- filters --------------------------------------------------------------------------

function filterParams({ withPeriod = true } = {}) {
  const p = new URLSearchParams();
  const type = $("#f-type").value, country = $("#f-country").value.trim(), actor = $("#f-actor").value.trim();
  if (type) p.set("type", type);
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
  for (const id of ["#f-type", "#f-country", "#f-actor"]) $(id).addEventListener("input", () => changed("all"));
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

// --- map ------------------------------------------------------------------------------

let map, eventLayer;

async function setupMap() {
  map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 }).setView([20, 15], 2);
  map.attributionControl.setPrefix("Leaflet").addAttribution("Countries: Natural Earth via world-atlas");
  const topo = await fetch("/static/vendor/world-atlas/countries-50m.json").then((r) => r.json());
  const land = unwrapAntimeridian(topojson.feature(topo, topo.objects.countries));
  L.geoJSON(land, { interactive: false, style: { color: "#9aa5ad", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1 } }).addTo(map);
  eventLayer = L.layerGroup().addTo(map);
  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => {
    const div = L.DomUtil.create("div", "legend");
    div.innerHTML = GROUPS.map((g) => `<span title="${g.types.join(", ")}"><i style="background:${g.color}"></i>${g.name}</span>`).join("")
      + '<span class="legend-note">size: deaths · dashed: country centroid</span>';
    return div;
  };
  legend.addTo(map);
}

/** Rings that cross the 180° meridian (Russia, Fiji...) jump from +180 to -180, which Leaflet
 *  draws as a line across the world; continue them past ±180 instead. */
function unwrapAntimeridian(fc) {
  const fixRing = (ring) => {
    let shift = 0;
    return ring.map(([lon, lat], i) => {
      if (i > 0) {
        const prev = ring[i - 1][0];
        if (lon - prev > 180) shift -= 360;
        else if (prev - lon > 180) shift += 360;
      }
      return [lon + shift, lat];
    });
  };
  for (const f of fc.features) {
    const g = f.geometry;
    if (!g) continue;
    if (g.type === "Polygon") g.coordinates = g.coordinates.map(fixRing);
    else if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map((poly) => poly.map(fixRing));
  }
  return fc;
}

function drawMarkers(events) {
  eventLayer.clearLayers();
  state.markers.clear();
  for (const ev of events) {
    if (ev.lat == null || ev.lon == null) continue;  // listed, not mapped
    const centroid = ev.geo_precision === "country";
    const m = L.circleMarker([ev.lat, ev.lon], {
      radius: radiusFor(ev),
      color: "#333", weight: 0.8, fillColor: COLORS[ev.type] || "#777", fillOpacity: centroid ? 0.45 : 0.85,
      dashArray: centroid ? "3 3" : null,
      className: `event-marker type-${ev.type} ${groupClass(ev.type)}${centroid ? " centroid" : ""}`,
    });
    const where = esc(ev.location || ev.country || "") + (centroid ? " <i>(country centroid)</i>" : "");
    const deaths = ev.fatalities_best != null ? `<br>${esc(ev.fatalities_best)} killed` : "";
    m.bindTooltip(`<b>${esc(ev.type)}</b> ${where}<br>${esc(dateLabel(ev))}${deaths}`);
    m.on("click", () => openEvent(ev.id));
    m.addTo(eventLayer);
    m.getElement()?.setAttribute("data-event-id", ev.id);
    state.markers.set(ev.id, m);
  }
  highlightSelected();
}

function highlightSelected() {
  for (const [id, m] of state.markers) {
    const on = id === state.selected;
    m.setStyle({ weight: on ? 3 : 0.8, color: on ? "#000" : "#333" });
    if (on) m.bringToFront();
  }
}

// --- loading --------------------------------------------------------------------------

async function loadEvents() {
  const seq = ++state.loadSeq;
  const params = filterParams();
  params.set("limit", PAGE);
  const events = [];
  let total = 0;
  try {
    for (let offset = 0; events.length < MAX_POINTS; ) {
      params.set("offset", offset);
      const page = await api(`/api/events?${params}`);
      if (seq !== state.loadSeq) return; // a newer filter won
      events.push(...page.events);
      total = page.total;
      if (page.next_offset == null) break;
      offset = page.next_offset;
    }
  } catch (err) {
    showError(err);
    return;
  }
  clearError();
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
}

function renderList(events, total) {
  const shown = events.length;
  const unplaced = events.filter((ev) => ev.lat == null || ev.lon == null).length;
  $("#list-title").textContent = `Events: ${total > shown ? `${shown} of ${total}` : total}`
    + (unplaced ? ` (${unplaced} without a place)` : "");
  $("#event-list").innerHTML = events.slice(0, LIST_ROWS).map((ev) => `
    <li class="${ev.lat == null ? "unplaced" : ""}"><a href="#event=${ev.id}" data-event-id="${ev.id}">
      <i class="dot" style="background:${COLORS[ev.type]}"></i><b>${esc(ev.type)}</b>
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

export async function openEvent(id) {
  state.selected = Number(id);
  highlightSelected();
  if (location.hash !== `#event=${id}`) history.replaceState(null, "", `#event=${id}`);
  const view = $("#detail-view");
  $("#list-view").hidden = true;
  view.hidden = false;
  view.innerHTML = `<p class="muted">Loading event ${esc(id)}…</p>`;
  try {
    const ev = await api(`/api/events/${encodeURIComponent(id)}`);
    if (state.selected !== Number(id)) return;
    await renderDetail(view, ev, { onOpen: openEvent, onClose: closeEvent });
    const m = state.markers.get(ev.id);
    // the selected event: zoom in to it (a country centroid only to the country's scale)
    if (m) map.setView(m.getLatLng(), Math.max(map.getZoom(), ev.geo_precision === "country" ? 4 : 6), { animate: false });
  } catch (err) {
    view.innerHTML = `<p class="error">${esc(err.message)}</p><p><a href="#" id="back">← all events</a></p>`;
    view.querySelector("#back").addEventListener("click", (e) => { e.preventDefault(); closeEvent(); });
  }
}

function closeEvent() {
  state.selected = null;
  highlightSelected();
  history.replaceState(null, "", location.pathname + location.search);
  $("#detail-view").hidden = true;
  $("#list-view").hidden = false;
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
  await setupMap();
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

window.eventscribe = { openEvent, zoom: () => map.getZoom() };
start();
