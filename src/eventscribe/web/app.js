// The events page: filters -> /api/events (GeoJSON) on the map and in the list,
// /api/timeline below the map, and the detail panel for the clicked event.
// Plain ES module; Leaflet and topojson-client are vendored globals (L, topojson).
import { drawTimeline } from "./timeline.js";
import { renderDetail } from "./detail.js";

export const TYPES = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
];
// Cooperation in greens and blues, verbal conflict in yellows and oranges, material conflict in reds/purples.
export const COLORS = {
  AGREE: "#1b9e77", CONSULT: "#66c2a5", SUPPORT: "#2c7fb8", CONCEDE: "#7fcdbb",
  COOPERATE: "#41ab5d", AID: "#005a32", RETREAT: "#9ecae1", REQUEST: "#fdd835",
  ACCUSE: "#fb8c00", REJECT: "#c49a00", THREATEN: "#e65100", PROTEST: "#8e24aa",
  SANCTION: "#5e35b1", MOBILIZE: "#ad1457", COERCE: "#6d4c41", ASSAULT: "#d50000",
};
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
  if (/^[A-Za-z]{3}$/.test(country)) p.set("country", country.toUpperCase());
  if (actor) p.set("actor", actor);
  if (withPeriod) {
    const since = $("#f-since").value, until = $("#f-until").value;
    if (since) p.set("since", since);
    if (until) p.set("until", until);
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
  for (const id of ["#f-since", "#f-until"]) $(id).addEventListener("change", () => changed("period"));
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
    div.innerHTML = TYPES.map((t) => `<span><i style="background:${COLORS[t]}"></i>${t}</span>`).join("");
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

function drawMarkers(features) {
  eventLayer.clearLayers();
  state.markers.clear();
  for (const f of features) {
    const ev = f.properties;
    const [lon, lat] = f.geometry.coordinates;
    const m = L.circleMarker([lat, lon], {
      radius: 4 + Math.min(8, 2 * Math.sqrt(ev.n_articles || 1)),
      color: "#333", weight: 0.8, fillColor: COLORS[ev.type] || "#777", fillOpacity: 0.85,
      className: `event-marker type-${ev.type}`,
    });
    m.bindTooltip(`<b>${esc(ev.type)}</b> ${esc(ev.location || ev.country || "")}<br>${esc(dateLabel(ev))}`);
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
  params.set("format", "geojson");
  params.set("limit", PAGE);
  const features = [];
  let total = 0;
  try {
    for (let offset = 0; features.length < MAX_POINTS; ) {
      params.set("offset", offset);
      const page = await api(`/api/events?${params}`);
      if (seq !== state.loadSeq) return; // a newer filter won
      features.push(...page.features);
      total = page.total;
      if (page.next_offset == null) break;
      offset = page.next_offset;
    }
  } catch (err) {
    showError(err);
    return;
  }
  drawMarkers(features);
  renderList(features, total);
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

function renderList(features, total) {
  const shown = features.length;
  $("#list-title").textContent = total > shown
    ? `Events on the map: ${shown} of ${total}`
    : `Events on the map: ${total}`;
  $("#event-list").innerHTML = features.slice(0, LIST_ROWS).map(({ properties: ev }) => `
    <li><a href="#event=${ev.id}" data-event-id="${ev.id}">
      <i class="dot" style="background:${COLORS[ev.type]}"></i><b>${esc(ev.type)}</b>
      ${esc(ev.location || ev.country || "")} <span class="muted">${esc(dateLabel(ev))}</span>
      ${ev.fatalities_best != null ? `<span class="deaths">${ev.fatalities_best} killed</span>` : ""}
    </a></li>`).join("") + (shown > LIST_ROWS ? `<li class="muted">… ${shown - LIST_ROWS} more on the map</li>` : "");
}

function showError(err) {
  $("#summary").textContent = `error: ${err.message}`;
  $("#summary").classList.add("error");
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
    if (m && !map.getBounds().contains(m.getLatLng())) map.panTo(m.getLatLng());
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
  api("/api/stats").then((s) => {
    $("#summary").textContent = `${s.events} events from ${s.documents} articles, ${s.first_date || "?"} to ${s.last_date || "?"}`;
    $("#countries").innerHTML = Object.keys(s.top_countries || {}).map((c) => `<option value="${esc(c)}">`).join("");
  }).catch(showError);
  refresh();
  openFromHash();
}

window.eventscribe = { openEvent };
start();
