// The detail panel of one event: reconciled values, each source's values side by side with
// disagreements marked, the source texts with evidence sentence and trigger highlighted, and
// the linked events (what it answers or follows, and what answers or follows it).
import { COLORS, api, dateLabel, esc } from "./app.js";

const documents = new Map(); // doc id -> Promise of /api/documents/{id}

function fetchDocument(id) {
  if (!documents.has(id)) documents.set(id, api(`/api/documents/${encodeURIComponent(id)}`));
  return documents.get(id);
}

/** A count claim as text: "27", "at least 21" (no upper bound), "5–7". */
function range(lo, hi) {
  if (lo == null && hi == null) return "";
  if (hi == null) return `at least ${lo}`;
  if (lo == null) return `up to ${hi}`;
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}
/** A reconciled count: "27"; "≥ 24" when the highest report is open ("dozens", "at least 24");
 * "27 (21–30)" when the sources give a range. */
export function countLabel(lo, best, hi, open) {
  if (best == null && lo == null && hi == null) return "—";
  if (lo === best && best === hi) return open ? `≥ ${esc(best)}` : esc(best);
  return `${esc(best ?? "?")} <span class="muted">(${esc(lo ?? "?")}–${esc(hi ?? "?")}${open ? "+" : ""})</span>`;
}
/** Does a mention report an open count ("at least N", "dozens") reaching the high value? */
const openAt = (ms, field, hi) => ms.some((m) => m[`${field}_min`] != null && m[`${field}_max`] == null
  && (hi == null || m[`${field}_min`] >= hi));

// rows of the side-by-side table: [label, disagreement key, value of a mention]
const ROWS = [
  ["Type", "type", (m) => m.type + (m.mode ? ` (${m.mode})` : "")],
  ["Date", "date", (m) => (m.date_start ? dateLabel(m) : "")],
  ["Place", "location", (m) => [m.location, m.country].filter(Boolean).join(", ")],
  ["Actor", "actor", (m) => m.actor || ""],
  ["Target", "target", (m) => m.target || ""],
  ["Killed", "fatalities", (m) => range(m.fatalities_min, m.fatalities_max)],
  ["Injured", "injured", (m) => range(m.injured_min, m.injured_max)],
];

function sourcesTable(ev) {
  const ms = ev.mentions;
  const head = ms.map((m, i) => `<th title="${esc(m.title || m.doc_id)}">${i + 1}. ${esc(m.publisher.replace(/^doc:/, ""))}
      ${m.duplicate_of ? '<span class="tag">copy</span>' : ""}<br><span class="muted">${esc(m.published || "")}</span></th>`).join("");
  const body = ROWS.map(([label, key, read]) => {
    const values = ms.map(read);
    const given = values.filter((v) => v !== "");
    const counts = given.reduce((acc, v) => acc.set(v, (acc.get(v) || 0) + 1), new Map());
    // the value most sources give; on a tie there is none, and every given value is marked
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const majority = ranked.length > 1 && ranked[0][1] === ranked[1][1] ? undefined : ranked[0]?.[0];
    const disagree = ev.disagreements.includes(key);
    const cells = values.map((v) => `<td class="${disagree && v !== "" && v !== majority ? "differs" : ""}">${esc(v) || '<span class="muted">—</span>'}</td>`).join("");
    return `<tr class="${disagree ? "disagree" : ""}"><th>${label}${disagree ? ' <span class="flag" title="the sources disagree">≠</span>' : ""}</th>${cells}</tr>`;
  }).join("");
  return `<div class="table-scroll"><table class="sources"><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function linkList(title, links) {
  if (!links.length) return "";
  const items = links.map((l) => `<li><span class="rel">${esc(l.relation.replace("_", " "))}</span>
      <a href="#event=${l.event.id}" class="linked" data-event-id="${l.event.id}">
      <i class="dot" style="background:${COLORS[l.event.type]}"></i>${esc(l.event.type)} ${esc(l.event.location || l.event.country || "")}
      <span class="muted">${esc(dateLabel(l.event))}</span></a>
      ${l.evidence ? `<div class="quote">${esc(l.evidence)}</div>` : ""}</li>`).join("");
  return `<h3>${title}</h3><ul class="links">${items}</ul>`;
}

/** The document text as HTML, with this mention's evidence sentences and triggers marked. */
export function highlightText(text, evidence) {
  const kind = new Uint8Array(text.length); // 0 plain, 1 evidence sentence, 2 trigger
  for (const e of evidence) {
    for (let i = Math.max(0, e.start); i < Math.min(text.length, e.end); i++) kind[i] = Math.max(kind[i], 1);
    for (let i = Math.max(0, e.trigger.start); i < Math.min(text.length, e.trigger.end); i++) kind[i] = 2;
  }
  let html = "", i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && kind[j] === kind[i]) j++;
    const part = esc(text.slice(i, j));
    html += kind[i] === 0 ? part : kind[i] === 1 ? `<mark class="evidence">${part}</mark>`
      : `<mark class="evidence trigger">${part}</mark>`;
    i = j;
  }
  return html;
}

async function fillSource(box, mention) {
  const target = box.querySelector(".doc-text");
  try {
    const doc = await fetchDocument(mention.doc_id);
    target.innerHTML = highlightText(doc.text, mention.evidence);
    target.classList.remove("muted");
    const mark = target.querySelector("mark");
    if (mark) target.scrollTop = Math.max(0, mark.offsetTop - 40);
  } catch (err) {
    target.innerHTML = `<span class="error">${esc(err.message)}</span>`;
  }
}

export async function renderDetail(view, ev, { onOpen, onClose, back = "← all events" }) {
  const where = [ev.location, ev.admin1 !== ev.location ? ev.admin1 : null, ev.country].filter(Boolean).join(", ");
  const who = ev.actor || ev.target
    ? `${esc(ev.actor || "unknown actor")} → ${esc(ev.target || "no target named")}` : "";
  view.innerHTML = `
    <p><a href="#" class="back">${esc(back)}</a></p>
    <h2 id="detail-title"><i class="dot" style="background:${COLORS[ev.type]}"></i>${esc(ev.type)}${ev.mode ? ` <span class="muted">(${esc(ev.mode)})</span>` : ""}
      <span class="muted">#${ev.id}</span></h2>
    <p class="where">${esc(where || "place unknown")} · ${esc(dateLabel(ev))}${ev.date_precision && ev.date_precision !== "day" ? ` (${esc(ev.date_precision)})` : ""}</p>
    ${who ? `<p class="who">${who}</p>` : ""}
    <table class="reconciled">
      <tr><th>Killed</th><td>${countLabel(ev.fatalities_low, ev.fatalities_best, ev.fatalities_high, openAt(ev.mentions, "fatalities", ev.fatalities_high))}</td></tr>
      <tr><th>Injured</th><td>${countLabel(ev.injured_low, ev.injured_best, ev.injured_high, openAt(ev.mentions, "injured", ev.injured_high))}</td></tr>
      ${ev.arrested_best != null || ev.arrested_low != null ? `<tr><th>Arrested</th><td>${countLabel(ev.arrested_low, ev.arrested_best, ev.arrested_high, false)}</td></tr>` : ""}
      <tr><th>Reports</th><td>${ev.n_articles} article${ev.n_articles === 1 ? "" : "s"}, ${ev.n_sources} independent source${ev.n_sources === 1 ? "" : "s"}</td></tr>
    </table>
    <section id="review-box" class="review" aria-label="Review"></section>
    <h3>What each source says${ev.disagreements.length ? ` <span class="flag">they disagree on ${esc(ev.disagreements.join(", "))}</span>` : ""}</h3>
    ${sourcesTable(ev)}
    ${linkList("This event answers / follows", ev.links_out)}
    ${linkList("Answered / followed by", ev.links_in)}
    <h3>Source texts</h3>
    <div class="doc-list">${ev.mentions.map((m, i) => `
      <details class="doc" data-doc-id="${esc(m.doc_id)}" ${i === 0 ? "open" : ""}>
        <summary>${i + 1}. ${esc(m.title || m.doc_id)} <span class="muted">${esc(m.publisher.replace(/^doc:/, ""))}${m.published ? `, ${esc(m.published)}` : ""}</span></summary>
        ${m.url ? (/^https?:\/\//i.test(m.url)
          ? `<p class="url"><a href="${esc(m.url)}" rel="noreferrer noopener" target="_blank">${esc(m.url)}</a></p>`
          : `<p class="url">${esc(m.url)}</p>`) : ""}
        <div class="doc-text muted">loading…</div>
      </details>`).join("")}</div>`;
  view.querySelector(".back").addEventListener("click", (e) => { e.preventDefault(); onClose(); });
  for (const a of view.querySelectorAll("a[data-event-id]")) {
    a.addEventListener("click", (e) => { e.preventDefault(); onOpen(a.dataset.eventId); });
  }
  const boxes = [...view.querySelectorAll("details.doc")];
  const load = (i) => (boxes[i].filled ??= fillSource(boxes[i], ev.mentions[i]));
  boxes.forEach((box, i) => box.addEventListener("toggle", () => box.open && load(i)));
  if (boxes.length) await load(0);
  view.scrollTop = 0;
}
