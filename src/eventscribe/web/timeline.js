// Events per day as an SVG bar chart with a brush: drag to select a period, click a bar for
// one day. The chosen period is reported through onSelect(since, until) as YYYY-MM-DD strings.
const NS = "http://www.w3.org/2000/svg";
const DAY = 86400000;
const M = { left: 34, right: 10, top: 8, bottom: 20 };

const toDay = (iso) => Math.round(Date.parse(iso + "T00:00:00Z") / DAY);
const toIso = (day) => new Date(day * DAY).toISOString().slice(0, 10);

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

export function drawTimeline(svg, data, { onSelect }) {
  svg.replaceChildren();
  const width = svg.clientWidth || 800, height = svg.clientHeight || 120;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const innerW = width - M.left - M.right, innerH = height - M.top - M.bottom;
  const days = data.days.map((d) => ({ day: toDay(d.date), date: d.date, count: d.count }));
  if (!days.length) {
    el("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" }, svg).textContent =
      data.undated ? `${data.undated} undated events only` : "no events";
    return { select() {} };
  }
  const d0 = days[0].day, d1 = days[days.length - 1].day + 1;
  const x = (day) => M.left + ((day - d0) / (d1 - d0)) * innerW;
  const dayAt = (px) => Math.min(d1 - 1, Math.max(d0, Math.floor(d0 + ((px - M.left) / innerW) * (d1 - d0))));
  const maxCount = Math.max(...days.map((d) => d.count));
  const y = (n) => M.top + innerH - (n / maxCount) * innerH;
  const barW = Math.max(1.5, innerW / (d1 - d0) - 0.5);

  // axes: a baseline, the largest count, and about six date labels
  el("line", { x1: M.left, x2: width - M.right, y1: M.top + innerH, y2: M.top + innerH, class: "axis" }, svg);
  el("text", { x: M.left - 4, y: M.top + 8, "text-anchor": "end", class: "tick" }, svg).textContent = maxCount;
  el("text", { x: M.left - 4, y: M.top + innerH, "text-anchor": "end", class: "tick" }, svg).textContent = 0;
  const ticks = Math.min(6, d1 - d0);
  for (let i = 0; i <= ticks; i++) {
    const day = Math.round(d0 + (i / ticks) * (d1 - d0 - 1));
    el("text", { x: x(day), y: height - 5, "text-anchor": i === 0 ? "start" : i === ticks ? "end" : "middle", class: "tick" }, svg)
      .textContent = toIso(day);
  }

  const bars = el("g", { class: "bars" }, svg);
  for (const d of days) {
    const bar = el("rect", { x: x(d.day), y: y(d.count), width: barW, height: M.top + innerH - y(d.count),
                             class: "bar", "data-date": d.date }, bars);
    el("title", {}, bar).textContent = `${d.date}: ${d.count} event${d.count === 1 ? "" : "s"}`;
  }
  const brush = el("rect", { y: M.top, height: innerH, width: 0, class: "brush", visibility: "hidden" }, svg);
  const showBrush = (a, b) => {
    brush.setAttribute("x", x(a));
    brush.setAttribute("width", Math.max(2, x(b + 1) - x(a)));
    brush.setAttribute("visibility", "visible");
  };

  // drag = period, click = the day under the pointer
  let start = null;
  const px = (e) => e.clientX - svg.getBoundingClientRect().left;
  svg.onpointerdown = (e) => {
    start = px(e);
    svg.setPointerCapture(e.pointerId);
  };
  svg.onpointermove = (e) => {
    if (start === null) return;
    const a = dayAt(Math.min(start, px(e))), b = dayAt(Math.max(start, px(e)));
    showBrush(a, b);
  };
  svg.onpointerup = (e) => {
    if (start === null) return;
    const end = px(e);
    let a, b;
    if (Math.abs(end - start) < 4) {
      // a click: the nearest day that has events, within a few pixels
      const hit = e.target.closest?.("rect.bar");
      a = b = hit ? toDay(hit.dataset.date) : dayAt(end);
    } else {
      a = dayAt(Math.min(start, end));
      b = dayAt(Math.max(start, end));
    }
    start = null;
    showBrush(a, b);
    onSelect(toIso(a), toIso(b));
  };

  return {
    /** Show the current date filter as the brush (null hides it). */
    select(period) {
      if (!period) { brush.setAttribute("visibility", "hidden"); return; }
      const a = period.since ? Math.max(d0, toDay(period.since)) : d0;
      const b = period.until ? Math.min(d1 - 1, toDay(period.until)) : d1 - 1;
      if (b < a) { brush.setAttribute("visibility", "hidden"); return; }
      showBrush(a, b);
    },
  };
}
