// The map: country outlines, one circle per placed event (colour by type group, size by deaths,
// dashed at a country centroid), overlapping circles clustered (leaflet.markercluster, vendored).
// A cluster is a ring split by the type groups of its events with their number in the middle;
// clicking it zooms in to its events, or spreads them out when they share one place.
import { GROUPS, GROUP_OF, COLORS, groupClass, radiusFor } from "./types.js";
import { esc, dateLabel } from "./util.js";

const CLUSTER_RADIUS = 36;  // px: circles closer than this at the current zoom are clustered

let map, clusters, pick = null;
const markers = new Map(); // event id -> L.CircleMarker (with .event)
let selected = null;

export async function setupMap(el, { onOpen, onMapClick }) {
  map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 }).setView([20, 15], 2);
  map.attributionControl.setPrefix("Leaflet").addAttribution("Countries: Natural Earth via world-atlas");
  const topo = await fetch("/static/vendor/world-atlas/countries-50m.json").then((r) => r.json());
  const land = unwrapAntimeridian(topojson.feature(topo, topo.objects.countries));
  L.geoJSON(land, { interactive: false, style: { color: "#9aa5ad", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1 } }).addTo(map);
  clusters = L.markerClusterGroup({
    maxClusterRadius: CLUSTER_RADIUS, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
    iconCreateFunction: clusterIcon, spiderLegPolylineOptions: { weight: 1, color: "#455a64", opacity: 0.6 },
  }).addTo(map);
  clusters.on("click", (e) => onOpen(e.layer.event.id));
  map.on("click", (e) => onMapClick?.(e.latlng));
  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => {
    const div = L.DomUtil.create("div", "legend");
    div.innerHTML = GROUPS.map((g) => `<span title="${g.types.join(", ")}"><i style="background:${g.color}"></i>${g.name}</span>`).join("")
      + '<span class="legend-note">size: deaths · dashed: country centroid · rings: clusters (click to open)</span>';
    return div;
  };
  legend.addTo(map);
  return map;
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

/** A cluster's icon: a ring whose arcs are the shares of the type groups, the count inside. */
function clusterIcon(cluster) {
  const events = cluster.getAllChildMarkers().map((m) => m.event);
  const n = events.length;
  const per = new Map();
  let deaths = 0;
  for (const ev of events) {
    const g = GROUP_OF[ev.type] || GROUPS[3];
    per.set(g, (per.get(g) || 0) + 1);
    deaths += ev.fatalities_best || 0;
  }
  let done = 0;
  const arcs = [], parts = [];
  for (const g of GROUPS) {
    const k = per.get(g);
    if (!k) continue;
    arcs.push(`${g.color} ${(done / n) * 360}deg ${((done + k) / n) * 360}deg`);
    parts.push(`${k} ${g.name}`);
    done += k;
  }
  const top = [...per.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const size = Math.round(24 + Math.min(20, 5 * Math.log2(n)));
  const title = `${n} events: ${parts.join(", ")}${deaths ? `; ${deaths} killed` : ""}`;
  return L.divIcon({
    html: `<div class="ring" style="background:conic-gradient(${arcs.join(",")})" title="${esc(title)}"><span>${n}</span></div>`,
    className: `event-cluster ${groupClass(top.types[0])}${deaths ? " deadly" : ""}`,
    iconSize: L.point(size, size),
  });
}

export function drawMarkers(events) {
  clusters.clearLayers();
  markers.clear();
  const layers = [];
  for (const ev of events) {
    if (ev.lat == null || ev.lon == null) continue;  // listed, not mapped
    const centroid = ev.geo_precision === "country";
    const m = L.circleMarker([ev.lat, ev.lon], {
      radius: radiusFor(ev),
      color: "#333", weight: 0.8, fillColor: COLORS[ev.type] || "#777", fillOpacity: centroid ? 0.45 : 0.85,
      dashArray: centroid ? "3 3" : null,
      className: `event-marker type-${ev.type} ${groupClass(ev.type)}${centroid ? " centroid" : ""}${ev.review_status ? ` review-${ev.review_status}` : ""}`,
    });
    m.event = ev;
    const where = esc(ev.location || ev.country || "") + (centroid ? " <i>(country centroid)</i>" : "");
    const deaths = ev.fatalities_best != null ? `<br>${esc(ev.fatalities_best)} killed` : "";
    m.bindTooltip(`<b>${esc(ev.type)}</b> ${where}<br>${esc(dateLabel(ev))}${deaths}`);
    m.on("add", () => m.getElement()?.setAttribute("data-event-id", ev.id));
    markers.set(ev.id, m);
    layers.push(m);
  }
  clusters.addLayers(layers);
  highlight(selected);
}

export function highlight(id) {
  selected = id;
  for (const [eid, m] of markers) {
    const on = eid === id;
    m.setStyle({ weight: on ? 3 : 0.8, color: on ? "#000" : "#333" });
    if (on && m._map) m.bringToFront();
  }
}

/** The point a reviewer picked for a place (a ring on the map), or none (lat null). */
export function showPick(lat, lon) {
  if (pick) { pick.remove(); pick = null; }
  if (lat == null || lon == null) return;
  pick = L.circleMarker([lat, lon], { radius: 9, color: "#00695c", weight: 3, fill: false, interactive: false, className: "pick-marker" }).addTo(map);
}

/** What stands for the event's circle on the map now: the circle, the cluster holding it, or
 *  null when neither is drawn (outside the view). */
function visibleParent(m) {
  let v = m;
  while (v && !map.hasLayer(v)) v = v.__parent;
  return v || null;
}

const samePlace = (cluster) => {
  const b = cluster.getBounds();
  return b.getNorth() - b.getSouth() < 1e-6 && b.getEast() - b.getWest() < 1e-6;
};

/** Zoom the map to the selected event (a country centroid only to the country's scale) and
 *  get its circle out of any cluster: spread out a cluster of one place, zoom into another. */
export function focusEvent(ev) {
  const m = markers.get(ev.id);
  if (!m) return;
  const minZoom = ev.geo_precision === "country" ? 4 : 6;
  map.setView([ev.lat, ev.lon], Math.max(map.getZoom(), minZoom), { animate: false });
  const reveal = () => {
    if (clusters._inZoomAnimation) return clusters.once("animationend", reveal);
    const p = visibleParent(m);
    if (!p || p === m) return;
    if (samePlace(p)) p.spiderfy();
    else clusters.zoomToShowLayer(m);
  };
  setTimeout(reveal, 0);
}

/** Where a layer is drawn, in page coordinates (for a test's mouse). */
function pagePoint(layer) {
  const pt = map.latLngToContainerPoint(layer.getLatLng()), box = map.getContainer().getBoundingClientRect();
  return { x: box.left + pt.x, y: box.top + pt.y };
}

/** For tests and the console: which events the map shows, and how. */
export const mapProbe = {
  zoom: () => map.getZoom(),
  setView: (lat, lon, zoom) => map.setView([lat, lon], zoom, { animate: false }),
  /** ids of the events on the map (in a cluster or not), in the order drawn */
  shown: () => [...markers.keys()],
  /** what is drawn in the current view: single circles and clusters with their events */
  visible: () => {
    const bounds = map.getBounds();
    const singles = [], groups = new Map();
    for (const [id, m] of markers) {
      const p = visibleParent(m);
      if (!p) continue;
      if (p === m) { if (bounds.contains(m.getLatLng())) singles.push(id); continue; }
      if (!bounds.contains(p.getLatLng())) continue;
      if (!groups.has(p)) groups.set(p, { ids: [], lat: p.getLatLng().lat, lon: p.getLatLng().lng, ...pagePoint(p) });
      groups.get(p).ids.push(id);
    }
    return { markers: singles, clusters: [...groups.values()].map((g) => ({ ...g, count: g.ids.length })) };
  },
  /** where a point is drawn, in page coordinates */
  pointOf: (lat, lon) => pagePoint({ getLatLng: () => L.latLng(lat, lon) }),
  /** one event's circle: its class, radius, and whether it is drawn on its own */
  marker: (id) => {
    const m = markers.get(Number(id));
    return m ? { className: m.options.className, radius: m.getRadius(), single: visibleParent(m) === m, ...pagePoint(m) } : null;
  },
};
