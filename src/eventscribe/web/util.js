// Small helpers every module of the page uses: the API call, HTML escaping, date labels.

/** Headers added to every API call (review.js sets the reviewer's Authorization here). */
export const apiHeaders = {};

/** fetch + JSON; a non-2xx answer throws with the API's `detail` (and its status on .status). */
export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json", ...apiHeaders };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const detail = typeof data.detail === "string" ? data.detail : data.detail ? JSON.stringify(data.detail) : "";
    const err = new Error(detail || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

export function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export function dateLabel(ev) {
  if (!ev.date_start) return "undated";
  return ev.date_end && ev.date_end !== ev.date_start ? `${ev.date_start} – ${ev.date_end}` : ev.date_start;
}
