// Review (issue 12): the reviewer's token, the review queue, and in an event's detail the
// reviewer's moves: accept / reject / reopen, edit every field (a place from the gazetteer or
// a click on the map), merge with another event, split mentions out, the event's history, and
// "add to dictionary" beside a corrected actor or place. Keyboard shortcuts for the common moves.
import { api, apiHeaders, esc, dateLabel } from "./util.js";
import { TYPES, COLORS } from "./types.js";
import { showPick } from "./map.js";

const TOKEN_KEY = "eventscribe.reviewer-token";  // sessionStorage: gone when the tab closes
const $ = (sel, root = document) => root.querySelector(sel);
const S = { me: null, queue: [], pos: -1, ev: null, box: null, picking: false, ctx: null };

export const SHORTCUTS = [
  ["a", "accept the open event"], ["r", "reject it"], ["u", "reopen it (back to unreviewed)"],
  ["e", "edit its fields"], ["j / k", "next / previous event of the review queue"],
  ["m", "merge another event into it"], ["q", "show the review queue"], ["?", "show these keys"],
  ["Esc", "close the form or this help"],
];

// --- the reviewer ----------------------------------------------------------------------

/** ctx: { openEvent(id, {from}), filterParams(), reloadEvents(), listEvents(), showTab(name) } */
export async function setupReview(ctx) {
  S.ctx = ctx;
  $("#review-login").addEventListener("submit", (e) => { e.preventDefault(); signIn($("#r-token").value.trim()); });
  $("#r-signout").addEventListener("click", () => { $("#r-token").value = ""; signIn(""); });
  $("#queue-list").addEventListener("click", (e) => {
    const a = e.target.closest("a[data-event-id]");
    if (a) { e.preventDefault(); openFromQueue(S.queue.findIndex((q) => q.id === Number(a.dataset.eventId))); }
  });
  $("#shortcuts").innerHTML = `<h3>Keyboard shortcuts</h3><table>${SHORTCUTS.map(([k, what]) =>
    `<tr><th><kbd>${esc(k)}</kbd></th><td>${esc(what)}</td></tr>`).join("")}</table>
    <p class="muted">Press <kbd>?</kbd> or <kbd>Esc</kbd> to close.</p>`;
  $("#r-help").addEventListener("click", () => { $("#shortcuts").hidden = !$("#shortcuts").hidden; });
  document.addEventListener("keydown", onKey);
  await signIn(sessionStorage.getItem(TOKEN_KEY) || "");
}

async function signIn(token) {
  if (token) {
    apiHeaders.Authorization = `Bearer ${token}`;
    sessionStorage.setItem(TOKEN_KEY, token);
  } else {
    delete apiHeaders.Authorization;
    sessionStorage.removeItem(TOKEN_KEY);
  }
  S.me = null;
  let note = "";
  if (token) {
    try { S.me = await api("/api/review/me"); } catch (err) { note = err.status === 401 ? "unknown token" : err.message; }
  }
  $("#r-who").textContent = S.me ? `${S.me.name}${S.me.role === "write" ? "" : " (read only)"}` : note || "read only";
  $("#r-who").classList.toggle("error", Boolean(note));
  $("#r-token").hidden = Boolean(S.me);
  $("#r-signin").hidden = Boolean(S.me);
  $("#r-signout").hidden = !token;
  document.body.classList.toggle("can-review", canWrite());
  if (S.ev && S.box) renderReview(S.box, S.ev);
}

const canWrite = () => S.me?.role === "write";

// --- the queue -------------------------------------------------------------------------

export async function loadQueue() {
  const p = S.ctx.filterParams();
  p.set("limit", 200);
  $("#queue-title").textContent = "Review queue: loading…";
  try {
    const data = await api(`/api/review/queue?${p}`);
    S.queue = data.events;
    S.scanned = data.scanned;
  } catch (err) {
    $("#queue-title").textContent = `Review queue: ${err.message}`;
    return;
  }
  const more = S.scanned > S.queue.length ? `${S.queue.length} of ${S.scanned}` : `${S.queue.length}`;
  $("#queue-title").textContent = `Review queue: ${more} unreviewed event${S.scanned === 1 ? "" : "s"}, those that most need a person first`;
  $("#queue-list").innerHTML = S.queue.map((ev, i) => `
    <li class="${i === S.pos ? "current" : ""}"><a href="#event=${ev.id}" data-event-id="${ev.id}">
      <span class="prio" title="priority">${ev.priority.toFixed(1)}</span>
      <i class="dot" style="background:${COLORS[ev.type]}"></i><b>${esc(ev.type)}</b>
      ${esc(ev.location || ev.country || "no place")} <span class="muted">${esc(dateLabel(ev))} #${ev.id}</span>
      ${ev.fatalities_best != null ? `<span class="deaths">${ev.fatalities_best} killed</span>` : ""}
      <div class="reasons">${ev.reasons.map((r) => `<span class="reason">${esc(r)}</span>`).join("")}</div>
    </a></li>`).join("") || '<li class="muted">Nothing left to review under these filters.</li>';
  document.body.dataset.queueLoaded = String(Date.now());
}

function openFromQueue(i) {
  if (i < 0 || i >= S.queue.length) return;
  S.pos = i;
  S.ctx.openEvent(S.queue[i].id, { from: "queue" });
}

/** j / k: the next or previous event of the queue (from the open one, or the last position). */
function step(delta) {
  if (!S.queue.length) return;
  const at = S.ev ? S.queue.findIndex((q) => q.id === S.ev.id) : -1;
  const base = at >= 0 ? at : S.pos;
  const next = base < 0 ? 0 : Math.min(S.queue.length - 1, Math.max(0, at >= 0 || delta < 0 ? base + delta : base));
  openFromQueue(next);
}

// --- the event's review box ------------------------------------------------------------

const val = (v) => (v == null ? "" : esc(v));
const input = (name, value, attrs = "") => `<input name="${name}" value="${val(value)}" ${attrs}>`;
const countInputs = (name, ev) => ["low", "best", "high"].map((b) =>
  input(`${name}_${b}`, ev[`${name}_${b}`], `type="number" min="0" step="1" placeholder="${b}" class="n"`)).join("");

function editForm(ev) {
  const party = (role) => `<fieldset><legend>${role === "actor" ? "Actor" : "Target"}</legend>
      <label>name ${input(role, ev[role], 'size="18"')}</label>
      <label>country ${input(`${role}_country`, ev[`${role}_country`], 'size="5" placeholder="ISO3"')}</label>
      <label>sector ${input(`${role}_sector`, ev[`${role}_sector`], 'size="4" placeholder="GOV"')}</label></fieldset>`;
  return `<form class="edit-form" hidden autocomplete="off">
    <fieldset><legend>Event</legend>
      <label>type <select name="type">${TYPES.map((t) => `<option${t === ev.type ? " selected" : ""}>${t}</option>`).join("")}</select></label>
      <label>mode ${input("mode", ev.mode, 'size="12"')}</label>
      <label>from ${input("date_start", ev.date_start, 'size="10" placeholder="YYYY-MM-DD"')}</label>
      <label>to ${input("date_end", ev.date_end, 'size="10" placeholder="YYYY-MM-DD"')}</label></fieldset>
    ${party("actor")}${party("target")}
    <fieldset class="place"><legend>Place</legend>
      <label>name ${input("location", ev.location, 'size="16"')}</label>
      <label>country ${input("country", ev.country, 'size="5" placeholder="ISO3"')}</label>
      <label>admin1 ${input("admin1", ev.admin1, 'size="12"')}</label>
      <label>lat ${input("lat", ev.lat, 'size="8" inputmode="decimal"')}</label>
      <label>lon ${input("lon", ev.lon, 'size="8" inputmode="decimal"')}</label>
      <button type="button" class="find-place">Find in gazetteer</button>
      <button type="button" class="pick-map">Pick on map</button>
      <ul class="candidates"></ul></fieldset>
    <fieldset class="counts"><legend>Counts (low, best, high)</legend>
      <label>killed ${countInputs("fatalities", ev)}</label>
      <label>injured ${countInputs("injured", ev)}</label>
      <label>arrested ${countInputs("arrested", ev)}</label></fieldset>
    <label class="note">note <input name="note" size="40" placeholder="why (kept in the history)"></label>
    <button type="submit" class="save">Save</button> <button type="button" class="cancel">Cancel</button>
  </form>`;
}

const DICT_FIELDS = { actor: "actors", target: "actors", location: "places" };

/** Review records grouped into the moves a reviewer made (one edit sets several columns). */
function historyMoves(history) {
  const moves = [];
  for (const h of history) {
    const last = moves[moves.length - 1];
    if (last && last.at === h.at && last.reviewer === h.reviewer && last.action === h.action && last.note === h.note) last.changes.push(h);
    else moves.push({ at: h.at, reviewer: h.reviewer, action: h.action, note: h.note, changes: [h] });
  }
  return moves;
}

function historyTable(history) {
  if (!history?.length) return '<p class="muted history-empty">No review yet.</p>';
  const show = (v) => (v == null ? '<span class="muted">—</span>' : esc(typeof v === "object" ? JSON.stringify(v) : v));
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const rows = historyMoves(history).map((m) => {
    const changes = m.changes.filter((h) => h.field && !same(h.old, h.new));
    const list = changes.map((h) => `<div class="change"><span class="field">${esc(h.field)}</span> ${show(h.old)} → <b>${show(h.new)}</b></div>`).join("");
    return `<tr class="act-${esc(m.action)}"><td class="when">${esc(m.at.replace("T", " ").slice(0, 16))}</td><td>${esc(m.reviewer)}</td>
      <td class="what">${esc(m.action)}</td><td>${list}${m.note ? `<div class="note">“${esc(m.note)}”</div>` : ""}</td></tr>`;
  }).reverse();  // newest first
  return `<table class="history"><thead><tr><th>when (UTC)</th><th>who</th><th>what</th><th>changes</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** The edit form, merge and split: only for a reviewer who may write. */
function writeControls(ev) {
  const others = S.ctx.listEvents().filter((o) => o.id !== ev.id).slice(0, 300);
  return `    ${editForm(ev)}
    <div class="merge-split">
      <form class="merge" autocomplete="off"><label>Merge event #<input name="other" size="6" list="merge-choices" placeholder="id"></label>
        <datalist id="merge-choices">${others.map((o) => `<option value="${o.id}">${esc(o.type)} ${esc(o.location || o.country || "")} ${esc(dateLabel(o))}</option>`).join("")}</datalist>
        <button type="submit">into this one <kbd>m</kbd></button></form>
      ${ev.mentions?.length > 1 ? `<form class="split"><span>Split out:</span>${ev.mentions.map((m, i) => `
        <label title="${esc(m.title || m.doc_id)}"><input type="checkbox" name="mention" value="${m.mention_id}"> ${i + 1}. ${esc(m.publisher.replace(/^doc:/, ""))}</label>`).join("")}
        <button type="submit">into a new event</button></form>` : ""}
    </div>`;
}

/** The review box of an event's detail (re-rendered after every change). */
export function renderReview(box, ev) {
  S.box = box;
  S.ev = ev;
  box.dataset.eventId = ev.id;
  const status = ev.review_status || "unreviewed";
  const reviewed = ev.reviewed_fields || [];
  const dis = canWrite() ? "" : " disabled";
  const dictButtons = Object.entries(DICT_FIELDS).filter(([f]) => reviewed.includes(f) && ev[f])
    .map(([f, kind]) => `<button type="button" class="add-dict" data-field="${f}" data-kind="${kind}"${dis}>add “${esc(ev[f])}” to the ${kind} dictionary</button>`).join(" ");
  box.innerHTML = `
    <div class="review-bar">
      <span class="status status-${esc(status)}">${esc(status)}${ev.merged_into ? ` into #${ev.merged_into}` : ""}</span>
      <button type="button" data-act="accept" title="a"${dis}>Accept <kbd>a</kbd></button>
      <button type="button" data-act="reject" title="r"${dis}>Reject <kbd>r</kbd></button>
      <button type="button" data-act="reopen" title="u"${dis}${status === "unreviewed" ? " hidden" : ""}>Reopen <kbd>u</kbd></button>
      <button type="button" class="edit" title="e"${dis}>Edit <kbd>e</kbd></button>
      ${canWrite() ? "" : '<span class="muted">sign in with a reviewer token to review</span>'}
    </div>
    ${reviewed.length ? `<p class="reviewed">reviewed: ${reviewed.map((f) => `<span class="tag">${esc(f)}</span>`).join(" ")}</p>` : ""}
    ${dictButtons ? `<p class="dict">${dictButtons}</p>` : ""}
    ${canWrite() ? writeControls(ev) : ""}
    <p class="review-msg" aria-live="polite"></p>
    <h3>History</h3>
    <div class="history-wrap">${historyTable(ev.history)}</div>`;
  for (const b of box.querySelectorAll("button[data-act]")) b.addEventListener("click", () => act(b.dataset.act));
  box.querySelector("button.edit").addEventListener("click", () => toggleEdit(true));
  for (const b of box.querySelectorAll("button.add-dict")) b.addEventListener("click", () => addToDictionary(b));
  const form = box.querySelector(".edit-form");
  if (!form) return;  // read only
  form.addEventListener("submit", (e) => { e.preventDefault(); saveEdit(form); });
  form.querySelector(".cancel").addEventListener("click", () => toggleEdit(false));
  form.querySelector(".find-place").addEventListener("click", () => findPlaces(form));
  form.querySelector(".pick-map").addEventListener("click", () => startPick(form));
  box.querySelector("form.merge").addEventListener("submit", (e) => { e.preventDefault(); merge(e.target.other.value); });
  box.querySelector("form.split")?.addEventListener("submit", (e) => {
    e.preventDefault();
    split([...e.target.querySelectorAll("input[name=mention]:checked")].map((c) => Number(c.value)));
  });
}

function message(text, error = false) {
  const p = S.box?.querySelector(".review-msg");
  if (!p) return;
  p.textContent = text;
  p.classList.toggle("error", error);
}

/** Run a write; on success re-render with the event the API returns and refresh map, list, queue. */
async function write(what, path, body, method = "POST") {
  if (!canWrite()) return message("sign in with a reviewer token that may write", true);
  message(`${what}…`);
  try {
    const out = await api(path, { method, body });
    const ev = out.event || out;
    await S.ctx.updated(ev);
    message(`${what}: done${out.new_event ? ` (new event #${out.new_event.id})` : ""}`);
    S.ctx.reloadEvents().then(() => S.ctx.focus(ev));
    if (S.ctx.tab() === "queue" || S.queue.length) loadQueue();
    document.body.dataset.reviewed = String(Date.now());
    return out;
  } catch (err) {
    message(`${what}: ${err.message}`, true);
    return null;
  }
}

async function act(action) {
  const fromQueue = S.ctx.openedFrom() === "queue";
  const at = S.queue.findIndex((q) => q.id === S.ev?.id);
  const ok = await write(action, `/api/events/${S.ev.id}/review`, { action });
  if (ok && fromQueue && action !== "reopen" && at >= 0) {
    await loadQueue();
    if (S.queue.length) openFromQueue(Math.min(at, S.queue.length - 1));  // the next one moved up
  }
}

function toggleEdit(on) {
  const form = S.box?.querySelector(".edit-form");
  if (!form || !canWrite()) return;
  form.hidden = !on;
  if (on) form.querySelector("select[name=type]").focus();
  else stopPick();
}

const num = (v) => (v === "" ? null : Number(v));
const text = (v) => (v.trim() === "" ? null : v.trim());

/** The PATCH fields of the form: only the groups the reviewer changed. */
export function changedFields(form, ev) {
  const f = Object.fromEntries(new FormData(form).entries());
  const out = {};
  const differs = (names, read) => names.some((n) => read(f[n]) !== (ev[n] ?? null));
  if (f.type !== ev.type) out.type = f.type;
  if (differs(["mode"], text)) out.mode = text(f.mode);
  if (differs(["date_start", "date_end"], text)) {
    out.date = text(f.date_start) ? { start: text(f.date_start), end: text(f.date_end) || text(f.date_start) } : null;
  }
  for (const role of ["actor", "target"]) {
    if (differs([role, `${role}_country`, `${role}_sector`], text)) {
      out[role] = { name: text(f[role]), country: text(f[`${role}_country`]), sector: text(f[`${role}_sector`]) };
    }
  }
  if (differs(["location", "country", "admin1"], text) || differs(["lat", "lon"], num)) {
    out.place = { name: text(f.location), country: text(f.country), admin1: text(f.admin1), lat: num(f.lat), lon: num(f.lon) };
    if (form.dataset.precision) out.place.precision = form.dataset.precision;
  }
  for (const c of ["fatalities", "injured", "arrested"]) {
    const [lo, best, hi] = ["low", "best", "high"].map((b) => num(f[`${c}_${b}`]));
    const changed = (b, v) => v !== (ev[`${c}_${b}`] ?? null);
    if (!changed("low", lo) && !changed("best", best) && !changed("high", hi)) continue;
    // only the best value changed: that one number is the count (low and high follow it)
    out[c] = !changed("low", lo) && !changed("high", hi) ? best : { low: lo, best, high: hi };
  }
  return out;
}

async function saveEdit(form) {
  const fields = changedFields(form, S.ev);
  if (!Object.keys(fields).length) return message("nothing changed");
  const note = text(new FormData(form).get("note") || "");
  stopPick();
  await write("edit", `/api/events/${S.ev.id}`, { fields, ...(note ? { note } : {}) }, "PATCH");
}

// --- the place picker ------------------------------------------------------------------

function fillPlace(form, c) {
  for (const [name, v] of [["location", c.name], ["country", c.country], ["admin1", c.admin1], ["lat", c.lat], ["lon", c.lon]]) {
    form.elements[name].value = v ?? "";
  }
  form.dataset.precision = c.precision || "";
  showPick(c.lat, c.lon);
}

async function listCandidates(form, params) {
  const ul = form.querySelector(".candidates");
  ul.innerHTML = '<li class="muted">looking up…</li>';
  try {
    const cs = await api(`/api/places/candidates?${new URLSearchParams(params)}`);
    ul.innerHTML = cs.map((c, i) => `<li><a href="#" data-i="${i}">${esc(c.name)}</a>
      <span class="muted">${esc([c.admin1, c.country].filter(Boolean).join(", "))} · ${esc(c.precision)}${c.km != null ? ` · ${c.km} km` : ""}</span></li>`).join("")
      || '<li class="muted">no place of that name in the gazetteer</li>';
    for (const a of ul.querySelectorAll("a[data-i]")) {
      a.addEventListener("click", (e) => { e.preventDefault(); fillPlace(form, cs[Number(a.dataset.i)]); ul.innerHTML = ""; });
    }
  } catch (err) {
    ul.innerHTML = `<li class="error">${esc(err.message)}</li>`;
  }
}

function findPlaces(form) {
  const q = form.elements.location.value.trim();
  if (!q) return message("type a place name first", true);
  listCandidates(form, { q, limit: 10 });
}

function startPick(form) {
  S.picking = form;
  document.body.classList.add("picking");
  message("click the map where the event happened");
}

function stopPick() {
  S.picking = false;
  document.body.classList.remove("picking");
  showPick(null);
}

/** A click on the map while picking: its point becomes the place, nearby towns are offered. */
export function mapClicked(latlng) {
  const form = S.picking;
  if (!form || !form.isConnected) return false;
  const lat = Math.round(latlng.lat * 1e5) / 1e5, lon = Math.round(L.Util.wrapNum(latlng.lng, [-180, 180], true) * 1e5) / 1e5;
  form.elements.lat.value = lat;
  form.elements.lon.value = lon;
  form.dataset.precision = "place";
  showPick(lat, lon);
  message(`point set to ${lat}, ${lon}: pick a town nearby or type the name`);
  listCandidates(form, { lat, lon, limit: 5 });
  return true;
}

// --- merge, split, dictionary ----------------------------------------------------------

async function merge(other) {
  const id = Number(String(other).replace(/^#/, ""));
  if (!Number.isInteger(id) || id < 1) return message("give the id of the event to merge into this one", true);
  if (id === S.ev.id) return message("an event cannot be merged with itself", true);
  await write(`merge #${id}`, `/api/events/${S.ev.id}/merge`, { other: id });
}

async function split(mentions) {
  if (!mentions.length) return message("tick the sources to split out", true);
  if (mentions.length === S.ev.mentions.length) return message("leave at least one source in this event", true);
  await write("split", `/api/events/${S.ev.id}/split`, { mentions });
}

async function addToDictionary(button) {
  const f = button.dataset.field, ev = S.ev;
  const given = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v != null && v !== ""));
  const entry = f === "location"
    ? given({ name: ev.location, country: ev.country, admin1: ev.admin1, lat: ev.lat, lon: ev.lon })
    : given({ name: ev[f], country: ev[`${f}_country`], sector: ev[`${f}_sector`] || "UNK" });
  if (!canWrite()) return message("sign in with a reviewer token that may write", true);
  try {
    await api(`/api/dictionary/${button.dataset.kind}`, { method: "POST", body: entry });
    button.disabled = true;
    button.textContent = `“${entry.name}” is in the ${button.dataset.kind} dictionary`;
    message("added: the next extraction uses it");
  } catch (err) {
    message(`dictionary: ${err.message}`, true);
  }
}

// --- keys ------------------------------------------------------------------------------

function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const help = $("#shortcuts");
  if (e.key === "Escape") {
    if (!help.hidden) help.hidden = true;
    else toggleEdit(false);
    return;
  }
  if (e.target.closest("input, select, textarea")) return;
  const open = S.ev && !$("#detail-view").hidden;
  const keys = {
    "?": () => { help.hidden = !help.hidden; },
    j: () => step(1), k: () => step(-1),
    q: () => S.ctx.showTab("queue"),
    a: () => open && act("accept"), r: () => open && act("reject"), u: () => open && act("reopen"),
    e: () => open && toggleEdit(true),
    m: () => open && S.box.querySelector("form.merge input")?.focus(),
  };
  if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
}

export function closed() {
  S.ev = null;
  S.box = null;
  stopPick();
}
