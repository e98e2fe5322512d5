// twinvipers web app: plain JavaScript and SVG, everything from this server.
"use strict";

const $ = (sel) => document.querySelector(sel);
const SVGNS = "http://www.w3.org/2000/svg";
const S = {
  ens: null, summary: null, geo: null, view: null, bbox: null, mode: "run", run: 0,
  dateIdx: 0, timer: null, selected: null, chronicle: null, job: null, source: null,
};

function status(msg) { $("#status").textContent = msg || ""; }

async function api(url, opts) {
  const r = await fetch(url, opts);
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) {
    let d = body && body.detail;
    if (Array.isArray(d)) d = d.map((x) => `${(x.loc || []).join(".")}: ${x.msg}`).join("; ");
    throw new Error(d || `${r.status} ${r.statusText}`);
  }
  return body;
}

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}
function svg(tag, attrs) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}
const pct = (x) => (x == null ? "–" : `${Math.round(100 * x)}%`);

// ---------------------------------------------------------------- tabs
for (const b of document.querySelectorAll("nav button")) {
  b.addEventListener("click", () => showTab(b.dataset.tab));
}
function showTab(name) {
  for (const b of document.querySelectorAll("nav button")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
  for (const p of document.querySelectorAll(".tab-panel")) p.hidden = p.id !== `panel-${name}`;
  if (name === "plaus") loadPlausibility();
  if (name === "jobs") loadScenarios();
}

// ---------------------------------------------------------------- ensembles
async function loadEnsembles(select) {
  const data = await api("/api/ensembles?limit=1000");
  const sel = $("#ensemble");
  const keep = select || sel.value;
  sel.replaceChildren();
  for (const id of ["#cmp-a", "#cmp-b"]) $(id).replaceChildren();
  for (const e of data.items) {
    const label = `${e.name} — ${e.scenario} · ${e.runs} runs${e.canon ? " · canon" : ""}${e.status !== "complete" ? " · " + e.status : ""}`;
    sel.append(el("option", { value: e.name, text: label }));
    $("#cmp-a").append(el("option", { value: e.name, text: e.name }));
    $("#cmp-b").append(el("option", { value: e.name, text: e.name }));
  }
  if (keep && data.items.some((e) => e.name === keep)) sel.value = keep;
  if (data.items.length > 1) $("#cmp-b").selectedIndex = 1;
  if (!data.items.length) { status("No ensembles under the results root yet: run one from 'Scenarios & runs'."); return; }
  await openEnsemble(sel.value);
}
$("#ensemble").addEventListener("change", (ev) => openEnsemble(ev.target.value));

let ensToken = 0;
async function openEnsemble(name) {
  stop();
  status("");
  const token = ++ensToken;
  let s, g;
  try {
    s = await api(`/api/ensemble?e=${encodeURIComponent(name)}`);
    g = await api(`/api/map?e=${encodeURIComponent(name)}`);
  } catch (e) { status(e.message); return; }
  if (token !== ensToken) return;
  S.ens = name;
  S.summary = s;
  S.geo = g;
  $("#ens-info").textContent = `${s.scenario_name} · ${s.runs} runs · ${s.start} → ${s.end} · ${s.canon ? "canon" : "free"}`;
  const runSel = $("#run");
  runSel.replaceChildren();
  for (let i = 0; i < Math.min(s.runs, 1000); i++) runSel.append(el("option", { value: i, text: `run ${i}` }));
  S.run = 0;
  const range = $("#date");
  range.max = s.dates.length - 1;
  range.value = 0;
  S.dateIdx = 0;
  S.chronicle = null;
  $("#chronicle").replaceChildren(el("p", { class: "muted", text: "Read this run: its chronicle, the map following the text." }));
  $("#details").replaceChildren(el("p", { class: "muted", text: "Click a region or an event marker for its details." }));
  const viewSel = $("#view");
  viewSel.replaceChildren();
  for (const t of S.geo.theatres) viewSel.append(el("option", { value: t.id, text: `${t.name} (${t.regions} regions)` }));
  await setView(S.geo.theatres[0].id);
  if (!$("#panel-plaus").hidden) loadPlausibility();
}

// ---------------------------------------------------------------- the map
const mercY = (lat) => Math.log(Math.tan(Math.PI / 4 + (Math.max(-85, Math.min(85, lat)) * Math.PI) / 360));
let P = null; // projection of the current frame

function projection(b) {
  const [lon0, lat0, lon1, lat1] = b;
  const W = 1000;
  const kx = W / (((lon1 - lon0) * Math.PI) / 180);
  const H = Math.max(300, Math.min(900, kx * (mercY(lat1) - mercY(lat0))));
  const k = Math.min(kx, H / (mercY(lat1) - mercY(lat0)));
  const cx = (lon0 + lon1) / 2, cy = (mercY(lat0) + mercY(lat1)) / 2;
  return {
    W, H,
    x: (lon) => W / 2 + ((lon - cx) * Math.PI / 180) * k,
    y: (lat) => H / 2 - (mercY(lat) - cy) * k,
  };
}

function pathOf(geom) {
  if (!geom) return "";
  const polys = geom.type === "Polygon" ? [geom.coordinates] : geom.type === "MultiPolygon" ? geom.coordinates : [];
  let d = "";
  for (const poly of polys) for (const ring of poly) {
    ring.forEach(([lon, lat], i) => { d += `${i ? "L" : "M"}${P.x(lon).toFixed(1)},${P.y(lat).toFixed(1)}`; });
    d += "Z";
  }
  return d;
}

async function setView(id) {
  S.view = id;
  $("#view").value = id;
  const t = S.geo.theatres.find((x) => x.id === id);
  S.bbox = t.bbox.slice();
  await drawBase();
}

let baseToken = 0;
async function drawBase() {
  // A newer call (another ensemble, view or zoom) wins: an older one stops after its await.
  const token = ++baseToken;
  const proj = projection(S.bbox);
  const [lon0, lat0, lon1, lat1] = S.bbox;
  const pad = 2;
  const q = (v, lo, hi) => Math.max(lo, Math.min(hi, v)).toFixed(1);
  let land = null;
  try {
    land = await api(`/api/land?lon0=${q(lon0 - pad, -180, 179)}&lat0=${q(lat0 - pad, -90, 89)}&lon1=${q(lon1 + pad, -179, 180)}&lat1=${q(lat1 + pad, -89, 90)}`);
  } catch (e) { status(`Coastlines unavailable: ${e.message}`); }
  if (token !== baseToken) return;
  P = proj;
  const map = $("#map");
  map.setAttribute("viewBox", `0 0 ${P.W} ${P.H.toFixed(0)}`);
  map.replaceChildren();
  const gLand = svg("g", { id: "land-layer" });
  for (const f of (land ? land.features : [])) gLand.append(svg("path", { class: "land", d: pathOf(f.geometry) }));
  const gCells = svg("g", { id: "cells" });
  for (const f of S.geo.regions.features) {
    if (!f.geometry) continue;
    const p = svg("path", { class: "cell", d: pathOf(f.geometry), "data-region": f.id, tabindex: "0", role: "button", "aria-label": f.properties.name });
    p.append(svg("title"));
    p.querySelector("title").textContent = f.properties.name;
    p.addEventListener("click", () => selectRegion(f.id));
    p.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectRegion(f.id); } });
    gCells.append(p);
  }
  map.append(gLand, gCells, svg("g", { id: "fronts" }), svg("g", { id: "markers" }), svg("g", { id: "labels" }));
  drawLabels();
  await redraw();
}

function drawLabels() {
  // Names where they fit: the regions by victory points, each kept when its box is clear.
  const g = $("#labels");
  g.replaceChildren();
  const placed = [];
  const feats = S.geo.regions.features.filter((f) => f.properties.kind === "land")
    .slice().sort((a, b) => (b.properties.vp - a.properties.vp) || a.properties.name.localeCompare(b.properties.name));
  for (const f of feats) {
    const x = P.x(f.properties.lon), y = P.y(f.properties.lat);
    if (x < 0 || y < 0 || x > P.W || y > P.H) continue;
    const w = f.properties.name.length * 6.6 + 6, h = 14;
    const box = [x + 3, y - h + 2, x + 3 + w, y + 2];
    if (box[2] > P.W) { box[0] -= w + 6; box[2] -= w + 6; }
    if (placed.some((b) => !(box[2] < b[0] || box[0] > b[2] || box[3] < b[1] || box[1] > b[3]))) continue;
    placed.push(box);
    g.append(svg("circle", { class: "dot", cx: x.toFixed(1), cy: y.toFixed(1), r: 2.2 }));
    const t = svg("text", { class: "label", x: (box[0] + 1).toFixed(1), y: (y - 1).toFixed(1), "data-region": f.id });
    t.textContent = f.properties.name;
    g.append(t);
  }
}

function zoom(factor) {
  const [lon0, lat0, lon1, lat1] = S.bbox;
  const cx = (lon0 + lon1) / 2, cy = (lat0 + lat1) / 2;
  const hw = Math.min(180, ((lon1 - lon0) / 2) * factor), hh = Math.min(85, ((lat1 - lat0) / 2) * factor);
  if (hw < 1.5) return;
  S.bbox = [Math.max(-180, cx - hw), Math.max(-85, cy - hh), Math.min(180, cx + hw), Math.min(85, cy + hh)];
  drawBase();
}
$("#zoom-in").addEventListener("click", () => zoom(0.6));
$("#zoom-out").addEventListener("click", () => zoom(1 / 0.6));
$("#view").addEventListener("change", (ev) => setView(ev.target.value));
document.addEventListener("keydown", (ev) => {
  if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) return;
  if (ev.key === "+" || ev.key === "=") zoom(0.6);
  if (ev.key === "-") zoom(1 / 0.6);
});

function currentDate() { return S.summary.dates[S.dateIdx]; }

function mix(hex, share) {
  // the colour mixed with white: share 1 the colour, 0 white
  const n = parseInt(hex.slice(1), 16);
  const c = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => Math.round(255 - share * (255 - v)));
  return `rgb(${c.join(",")})`;
}

function groupColour(g) {
  const s = S.summary;
  if (s.camps[g]) return s.camps[g];
  if (s.powers[g]) return s.powers[g].color || "#999999";
  return "#999999";
}

let drawToken = 0;
async function redraw() {
  if (!S.summary || !P) return;
  const d = currentDate();
  $("#date-label").textContent = d;
  const token = ++drawToken;
  try {
    if (S.mode === "run") await drawRun(d, token); else await drawOdds(d, token);
  } catch (e) { status(e.message); }
  followChronicle();
}

async function drawRun(d, token) {
  const e = encodeURIComponent(S.ens);
  const c = await api(`/api/run/control?e=${e}&run=${S.run}&date=${d}`);
  if (token !== drawToken) return;
  const s = S.summary;
  const atWar = new Set(c.at_war);
  const used = new Map();
  const peace = new Set();
  for (const p of document.querySelectorAll("#cells .cell")) {
    const who = c.control[p.dataset.region];
    const pw = s.powers[who] || {};
    let colour = "#cccccc", key = "none";
    if (who) {
      const camp = pw.camp || who;
      // Who is at war with whom on this date: a power at war wears its camp's colour (a
      // "neutral" at war its own); a power at peace is drawn pale.
      if (atWar.has(who)) {
        key = camp === "neutral" ? who : camp;
        colour = groupColour(key);
      } else {
        key = null;
        colour = mix(groupColour(camp === "neutral" ? who : camp), 0.35);
        peace.add(who);
      }
    }
    p.setAttribute("fill", colour);
    p.dataset.holder = who || "";
    if (key) used.set(key, colour);
  }
  // Fronts: the shared edges of cells whose holders are at war with each other that day.
  const warPairs = new Set(c.wars.map((w) => w.join("|")));
  const fronts = $("#fronts");
  fronts.replaceChildren();
  for (const b of S.geo.regions.borders || []) {
    const ha = c.control[b.a], hb = c.control[b.b];
    if (!ha || !hb || ha === hb || !warPairs.has([ha, hb].sort().join("|"))) continue;
    const lines = b.geometry.type === "LineString" ? [b.geometry.coordinates] : b.geometry.coordinates;
    let dd = "";
    for (const line of lines) line.forEach(([lon, lat], i) => { dd += `${i ? "L" : "M"}${P.x(lon).toFixed(1)},${P.y(lat).toFixed(1)}`; });
    fronts.append(svg("path", { class: "front", d: dd, "data-a": b.a, "data-b": b.b }));
  }
  const wars = c.wars.length ? `At war on ${d}: ${c.wars.map((w) => w.join("–")).join(", ")}.` : `No wars on ${d}.`;
  legend([...used.entries()], `${wars} Pale: not at war that day (${peace.size} power${peace.size === 1 ? "" : "s"}).`);
  // this snapshot's events: from the day after the previous snapshot to this date
  const prev = S.dateIdx > 0 ? s.dates[S.dateIdx - 1] : s.start;
  const from = new Date(Date.parse(prev) + 86400000).toISOString().slice(0, 10);
  const ev = await api(`/api/run/events?e=${e}&run=${S.run}&start=${S.dateIdx > 0 ? from : s.start}&end=${d}&limit=1000`);
  if (token !== drawToken) return;
  const g = $("#markers");
  g.replaceChildren();
  for (const x of ev.items) {
    if (x.lon == null) continue;
    const kind = ["battle", "region_captured", "naval_battle", "landing", "blockade", "bombardment"].includes(x.kind) ? x.kind : "other";
    const m = kind === "region_captured"
      ? svg("rect", { class: `marker ${kind}`, x: P.x(x.lon) - 5, y: P.y(x.lat) - 5, width: 10, height: 10 })
      : svg("circle", { class: `marker ${kind}`, cx: P.x(x.lon) + (kind === "battle" ? 6 : -6), cy: P.y(x.lat), r: 6 });
    m.setAttribute("tabindex", "0");
    m.setAttribute("role", "button");
    m.setAttribute("aria-label", `${x.kind} ${x.date} ${x.region_name || ""}`);
    m.dataset.kind = x.kind;
    const t = svg("title"); t.textContent = `${x.date}: ${describe(x)}`; m.append(t);
    m.addEventListener("click", () => showEvent(x));
    m.addEventListener("keydown", (k) => { if (k.key === "Enter") showEvent(x); });
    g.append(m);
  }
}

function name(tag) { const p = S.summary.powers[tag]; return p ? p.name : tag || ""; }
function describe(x) {
  const where = x.region_name || x.region || "";
  switch (x.kind) {
    case "battle": return `${name(x.actor)} attacks ${name(x.target)} at ${where}${x.value ? " and clears it" : ""}`;
    case "region_captured": return `${name(x.actor)} takes ${where} from ${name(x.target)}`;
    case "war_declared": return `${name(x.actor)} declares war on ${name(x.target)}`;
    case "capitulation": return `${name(x.actor)} gives up to ${name(x.target)}`;
    case "peace": return `Peace between ${name(x.actor)} and ${name(x.target)}`;
    default: return `${x.kind.replace(/_/g, " ")} ${[name(x.actor), name(x.target), where].filter(Boolean).join(" · ")}`;
  }
}

function showEvent(x) {
  const rows = [["Date", x.date], ["What", describe(x)]];
  if (x.details && typeof x.details === "object") {
    for (const [k, v] of Object.entries(x.details)) rows.push([k.replace(/_/g, " "), typeof v === "number" ? v.toLocaleString("en") : String(v)]);
  }
  const t = el("table", { class: "event" });
  for (const [k, v] of rows) t.append(el("tr", {}, el("td", { text: k }), el("td", { text: v })));
  $("#details").replaceChildren(el("h3", { text: "Event" }), t);
}

async function drawOdds(d, token) {
  const o = await api(`/api/odds?e=${encodeURIComponent(S.ens)}&date=${d}`);
  if (token !== drawToken) return;
  const used = new Map();
  for (const p of document.querySelectorAll("#cells .cell")) {
    const sh = o.shares[p.dataset.region] || {};
    // the leading group's colour, as strong as its share; the title gives every share
    let best = null, bs = 0;
    for (const [g, v] of Object.entries(sh)) if (v > bs) { best = g; bs = v; }
    p.setAttribute("fill", best ? mix(groupColour(best), 0.15 + 0.85 * bs) : "#cccccc");
    p.querySelector("title").textContent = `${p.getAttribute("aria-label")}: ` + Object.entries(sh).map(([g, v]) => `${g} ${pct(v)}`).join(", ");
    if (best) used.set(best, groupColour(best));
  }
  $("#markers").replaceChildren();
  $("#fronts").replaceChildren();
  legend([...used.entries()], `Share of ${S.summary.runs} runs holding each region on ${d} (the leading camp; paler is less sure). Click a region for its timeline.`);
}

function legend(items, text) {
  const L = $("#legend");
  L.replaceChildren();
  for (const [k, c] of items) L.append(el("span", {}, el("span", { class: "sw", style: `background:${c}` }), k));
  L.append(el("span", { class: "muted", text }));
}

async function selectRegion(id) {
  for (const p of document.querySelectorAll("#cells .cell")) p.classList.toggle("selected", p.dataset.region === id);
  const f = S.geo.regions.features.find((x) => x.id === id);
  const tl = await api(`/api/timeline?e=${encodeURIComponent(S.ens)}&region=${encodeURIComponent(id)}`);
  const groups = [...new Set(tl.series.flatMap((r) => Object.keys(r).filter((k) => k !== "date" && !k.startsWith("power:"))))];
  const W = 420, H = 150, n = tl.series.length;
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H + 20}`, width: "100%", role: "img", "aria-label": `Control of ${f.properties.name} across runs` });
  const xs = (i) => 30 + (n > 1 ? (i * (W - 40)) / (n - 1) : 0);
  const ys = (v) => 5 + (1 - v) * H;
  chart.append(svg("line", { x1: 30, y1: ys(0), x2: W - 10, y2: ys(0), stroke: "#999" }));
  for (const v of [0, 0.5, 1]) { const t = svg("text", { x: 0, y: ys(v) + 4, "font-size": 10 }); t.textContent = pct(v); chart.append(t); }
  for (const g of groups) {
    const pts = tl.series.map((r, i) => `${xs(i).toFixed(1)},${ys(r[g] || 0).toFixed(1)}`).join(" ");
    chart.append(svg("polyline", { points: pts, fill: "none", stroke: groupColour(g), "stroke-width": 2.5 }));
  }
  const t0 = svg("text", { x: 30, y: H + 18, "font-size": 10 }); t0.textContent = tl.series[0]?.date || ""; chart.append(t0);
  const t1 = svg("text", { x: W - 70, y: H + 18, "font-size": 10 }); t1.textContent = tl.series[n - 1]?.date || ""; chart.append(t1);
  const now = tl.series.find((r) => r.date === currentDate()) || {};
  const holder = document.querySelector(`#cells .cell[data-region="${id}"]`)?.dataset.holder;
  $("#details").replaceChildren(
    el("h3", { text: f.properties.name }),
    el("p", { text: S.mode === "run" && holder ? `Run ${S.run}: held by ${name(holder)} on ${currentDate()}.` : "" }),
    el("p", { class: "muted", text: `Control across the ${S.summary.runs} runs, share per camp: ` + groups.map((g) => `${g} ${pct(now[g] || 0)}`).join(", ") + ` on ${currentDate()}.` }),
    chart,
    el("div", {}, ...groups.map((g) => el("span", {}, el("span", { class: "sw", style: `background:${groupColour(g)};display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 .8em` }), g))),
  );
}

// ---------------------------------------------------------------- playback
$("#date").addEventListener("input", (ev) => { S.dateIdx = Number(ev.target.value); redraw(); });
$("#run").addEventListener("change", (ev) => {
  S.run = Number(ev.target.value);
  S.chronicle = null;
  $("#chronicle").replaceChildren(el("p", { class: "muted", text: "Read this run: its chronicle, the map following the text." }));
  redraw();
});
for (const r of document.querySelectorAll("input[name=mode]")) {
  r.addEventListener("change", () => {
    S.mode = document.querySelector("input[name=mode]:checked").value;
    for (const x of document.querySelectorAll(".run-only")) x.hidden = S.mode !== "run";
    redraw();
  });
}
function stop() {
  if (S.timer) { clearInterval(S.timer); S.timer = null; }
  $("#play").textContent = "▶ Play";
  $("#play").setAttribute("aria-label", "Play");
}
$("#play").addEventListener("click", () => {
  if (S.timer) { stop(); return; }
  if (S.dateIdx >= S.summary.dates.length - 1) S.dateIdx = 0;
  $("#play").textContent = "❚❚ Pause";
  $("#play").setAttribute("aria-label", "Pause");
  let busy = false;
  S.timer = setInterval(async () => {
    if (busy) return;
    if (S.dateIdx >= S.summary.dates.length - 1) { stop(); return; }
    busy = true;
    S.dateIdx += 1;
    $("#date").value = S.dateIdx;
    await redraw();
    busy = false;
  }, 800);
});

// ---------------------------------------------------------------- chronicle
$("#load-chronicle").addEventListener("click", loadChronicle);
async function loadChronicle() {
  const box = $("#chronicle");
  box.replaceChildren(el("p", { class: "muted", text: "Composing…" }));
  let ch;
  try { ch = await api(`/api/chronicle?e=${encodeURIComponent(S.ens)}&run=${S.run}`); } catch (e) { box.replaceChildren(el("p", { text: e.message })); return; }
  S.chronicle = ch;
  const parts = [el("h3", { text: ch.title })];
  const add = (ss) => {
    for (const s of ss) {
      const sp = el("span", { class: `sentence ${s.style}`, "data-day": s.day, tabindex: "0", text: s.text });
      sp.addEventListener("click", () => goToDay(s.day));
      sp.addEventListener("keydown", (k) => { if (k.key === "Enter") goToDay(s.day); });
      parts.push(sp);
    }
  };
  add(ch.intro);
  for (const c of ch.chapters) { parts.push(el("h3", { text: c.heading })); add(c.sentences); }
  if (ch.epilogue.length) { parts.push(el("h3", { text: ch.epilogue[0].text })); add(ch.epilogue.slice(1)); }
  box.replaceChildren(...parts);
  followChronicle();
}
function goToDay(day) {
  // the map follows the text: the last snapshot on or before the sentence's day
  const ds = S.summary.dates;
  let i = 0;
  for (let k = 0; k < ds.length; k++) if (ds[k] <= day) i = k;
  S.dateIdx = i;
  $("#date").value = i;
  if (S.mode !== "run") { document.querySelector("input[name=mode][value=run]").click(); return; }
  redraw();
}
function followChronicle() {
  if (!S.chronicle) return;
  const d = currentDate();
  const prev = S.dateIdx > 0 ? S.summary.dates[S.dateIdx - 1] : "";
  let first = null;
  for (const sp of document.querySelectorAll("#chronicle .sentence")) {
    const day = sp.dataset.day;
    sp.classList.toggle("past", day <= d);
    const now = day <= d && day > prev;
    sp.classList.toggle("now", now);
    if (now && !first) first = sp;
  }
  if (first) first.scrollIntoView({ block: "nearest" });
}

// ---------------------------------------------------------------- plausibility
async function loadPlausibility() {
  if (!S.ens) return;
  let p;
  try { p = await api(`/api/plausibility?e=${encodeURIComponent(S.ens)}`); } catch (e) { status(e.message); return; }
  const tb = $("#checkpoints tbody");
  tb.replaceChildren();
  if (!p.checkpoints.length) tb.append(el("tr", {}, el("td", { colspan: 3, text: "This ensemble's scenario has no checkpoints." })));
  for (const c of p.checkpoints) {
    const words = el("td", { class: "cp" }, el("strong", { text: c.description }), el("div", { class: "muted", text: c.test }));
    if (c.quote) words.append(el("blockquote", { text: c.quote }));
    if (c.instead) words.append(el("div", { class: "instead", text: `What happened instead: ${c.instead}` }));
    if (c.note) words.append(el("div", { class: "muted", text: c.note }));
    const bar = svg("svg", { class: "bar", width: 120, height: 14, role: "img", "aria-label": `${pct(c.share)}` });
    bar.append(svg("rect", { x: 0, y: 4, width: 120, height: 6, fill: "#e4e4e4" }));
    bar.append(svg("rect", { x: 120 * c.ci_low, y: 2, width: Math.max(1, 120 * (c.ci_high - c.ci_low)), height: 10, fill: "#9db8d6" }));
    bar.append(svg("rect", { x: 120 * c.share - 1, y: 0, width: 3, height: 14, fill: "#1d3f66" }));
    const share = el("td", {}, bar, `${pct(c.share)} (${pct(c.ci_low)}–${pct(c.ci_high)}) · ${c.runs_met} of ${c.runs}`);
    const when = el("td", { text: c.when_median ? `${c.when_median} (${c.when_q1} – ${c.when_q3}), in ${c.happened} runs` : "never happened" });
    tb.append(el("tr", {}, words, share, when));
  }
  drawTiming(p.timing);
  const ob = $("#outcomes tbody");
  ob.replaceChildren();
  for (const o of p.outcomes) {
    ob.append(el("tr", {}, el("td", { text: o.label }), el("td", { text: `${pct(o.share)} (${o.k} of ${o.n})` + (o.median ? ` · median ${o.median}` : "") }), el("td", { text: `${pct(o.lo)}–${pct(o.hi)}` })));
  }
}

function drawTiming(rows) {
  const chart = $("#timing");
  chart.replaceChildren();
  const s = S.summary;
  const t0 = Date.parse(s.start), t1 = Date.parse(s.end);
  const W = 1000, left = 260, rowH = 18, H = Math.max(40, rows.length * rowH + 30);
  chart.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const x = (d) => left + ((Date.parse(d) - t0) / Math.max(1, t1 - t0)) * (W - left - 20);
  rows.forEach((r, i) => {
    const y = 10 + i * rowH;
    const lab = svg("text", { x: 4, y: y + 11 }); lab.textContent = `${r.label} (${pct(r.share)})`; chart.append(lab);
    if (!r.median) return;
    chart.append(svg("line", { x1: x(r.first), x2: x(r.last), y1: y + 7, y2: y + 7, stroke: "#aaa" }));
    chart.append(svg("rect", { x: x(r.q1), y: y + 2, width: Math.max(2, x(r.q3) - x(r.q1)), height: 10, fill: "#9db8d6" }));
    chart.append(svg("rect", { x: x(r.median) - 1, y: y, width: 3, height: 14, fill: "#1d3f66" }));
  });
  const a = svg("text", { x: left, y: H - 4 }); a.textContent = s.start; chart.append(a);
  const b = svg("text", { x: W - 90, y: H - 4 }); b.textContent = s.end; chart.append(b);
}

// ---------------------------------------------------------------- claims and compare
$("#claim-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const box = $("#claim-result");
  box.replaceChildren();
  try {
    const r = await api("/api/claims", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ e: S.ens, claim: $("#claim").value }) });
    box.append(
      el("p", {}, el("strong", { text: `${pct(r.share)}` }), ` of ${r.runs} runs (95% interval ${pct(r.ci_low)}–${pct(r.ci_high)}; ${r.runs_met} runs).`),
      el("p", { class: "muted", text: `True in runs ${r.true_in.join(", ") || "none"}; false in runs ${r.false_in.join(", ") || "none"}.` }),
    );
  } catch (e) { box.append(el("pre", { class: "errors", text: e.message })); }
});
$("#compare-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const tb = $("#compare tbody");
  tb.replaceChildren();
  try {
    const r = await api(`/api/compare?a=${encodeURIComponent($("#cmp-a").value)}&b=${encodeURIComponent($("#cmp-b").value)}`);
    if (!r.rows.length) tb.append(el("tr", {}, el("td", { colspan: 4, text: "A's scenario has no checkpoints; ask a claim above." })));
    for (const x of r.rows) {
      tb.append(el("tr", {}, el("td", { text: x.id ? `${x.id}: ${x.claim}` : x.claim }),
        el("td", { text: `${pct(x.share_a)} (${pct(x.ci_a[0])}–${pct(x.ci_a[1])})` }),
        el("td", { text: `${pct(x.share_b)} (${pct(x.ci_b[0])}–${pct(x.ci_b[1])})` }),
        el("td", { text: `${x.difference >= 0 ? "+" : ""}${Math.round(100 * x.difference)} points (${Math.round(100 * x.diff_low)} to ${Math.round(100 * x.diff_high)})` })));
    }
  } catch (e) { tb.append(el("tr", {}, el("td", { colspan: 4, text: e.message }))); }
  const cb = $("#compare-control tbody");
  cb.replaceChildren();
  try {
    const d = await api(`/api/compare/control?a=${encodeURIComponent($("#cmp-a").value)}&b=${encodeURIComponent($("#cmp-b").value)}`);
    $("#diff-title").textContent = d.total ? `Where control differs on ${d.date} (share of runs holding the region; the largest of ${d.total} differences)` : `Control is the same in both on ${d.date}.`;
    for (const r of d.rows) {
      cb.append(el("tr", {}, el("td", { text: r.name }), el("td", { text: r.camp }), el("td", { text: pct(r.a) }), el("td", { text: pct(r.b) }),
        el("td", { text: `${r.difference >= 0 ? "+" : ""}${Math.round(100 * r.difference)} points` })));
    }
  } catch (e) { $("#diff-title").textContent = e.message; }
});

// ---------------------------------------------------------------- scenarios and jobs
let scenariosLoaded = false;
async function loadScenarios() {
  if (scenariosLoaded) return;
  scenariosLoaded = true;
  const s = await api("/api/scenarios");
  const sel = $("#scenario");
  sel.replaceChildren();
  for (const n of s.shipped) sel.append(el("option", { value: n, text: `${n} (shipped)` }));
  for (const n of s.user) sel.append(el("option", { value: n, text: `${n} (yours)` }));
  sel.addEventListener("change", () => showScenario(sel.value));
  const j = await api("/api/jobs");
  renderJobs(j.items);
  const running = j.items.find((x) => !x.finished);
  if (running) follow(running);
}
async function showScenario(n) {
  const box = $("#scenario-info");
  box.replaceChildren(el("p", { class: "muted", text: "Loading…" }));
  let s;
  try { s = await api(`/api/scenario?name=${encodeURIComponent(n)}&limit=50`); } catch (e) { box.replaceChildren(el("p", { text: e.message })); return; }
  if (!s.valid) {
    box.replaceChildren(el("h3", { text: `${n}: ${s.errors.length} error${s.errors.length === 1 ? "" : "s"}` }),
      el("ul", { class: "errors" }, ...s.errors.map((x) => el("li", { text: x.text }))));
    $("#launch").disabled = true;
    return;
  }
  $("#launch").disabled = false;
  const m = s.meta;
  $("#l-until").min = m.start; $("#l-until").max = m.end;
  box.replaceChildren(
    el("h3", { text: m.name }),
    el("p", { text: `${m.start} → ${m.end}. ${m.description || ""}` }),
    el("p", { class: "muted", text: `${s.powers.total} powers, ${s.forces.total} forces, ${s.events.total} events, ${s.checkpoints} checkpoints.` }),
    el("p", { text: "Powers: " + s.powers.items.map((p) => `${p.name} (${p.id}, ${p.camp || "no camp"})`).join("; ") }),
    el("details", {}, el("summary", { text: `Forces (${s.forces.total})` }), el("ul", {}, ...s.forces.items.map((f) => el("li", { text: `${f.name || f.id} — ${f.power}, ${f.region}${f.men ? `, ${Number(f.men).toLocaleString("en")} men` : ""}` })))),
    el("details", {}, el("summary", { text: `Events (${s.events.total})` }), el("ul", {}, ...s.events.items.map((f) => el("li", { text: `${f.id}: ${f.description || ""}` })))),
  );
}
$("#launch-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  await launch(false);
});
$("#job-resume").addEventListener("click", () => launch(true));
async function launch(resume) {
  const body = {
    scenario: $("#scenario").value, out: $("#l-out").value, runs: Number($("#l-runs").value),
    seed: Number($("#l-seed").value), canon: $("#l-mode").value === "canon", resume,
  };
  if ($("#l-until").value) body.until = $("#l-until").value;
  if (!body.scenario) { status("Pick a scenario first."); return; }
  try {
    const job = await api("/api/jobs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    status("");
    follow(job);
  } catch (e) { status(e.message); }
}
function follow(job) {
  if (S.source) S.source.close();
  S.job = job;
  showJob(job);
  const src = new EventSource(`/api/jobs/${job.id}/events`);
  S.source = src;
  src.onmessage = async (m) => {
    const j = JSON.parse(m.data);
    S.job = j;
    showJob(j);
    if (j.finished) {
      src.close();
      renderJobs((await api("/api/jobs")).items);
      if (j.state === "complete") await loadEnsembles(j.out);
    }
  };
}
function showJob(j) {
  $("#job-progress").max = Math.max(1, j.total);
  $("#job-progress").value = j.done;
  const words = { starting: "starting", waiting: "waiting for another ensemble job on this machine", compiling: "compiling the engine (the first run after an install: minutes)", running: "running", complete: "complete", cancelled: "cancelled", failed: "failed" };
  $("#job-state").textContent = `Job ${j.id} (${j.scenario} → ${j.out}): ${words[j.state] || j.state}, ${j.done} of ${j.total} runs${j.message ? " — " + j.message : ""}`;
  $("#job-state").dataset.state = j.state;
  $("#job-cancel").hidden = j.finished;
  $("#job-resume").hidden = j.state !== "cancelled";
}
$("#job-cancel").addEventListener("click", async () => { if (S.job) await api(`/api/jobs/${S.job.id}/cancel`, { method: "POST" }); });
function renderJobs(items) {
  $("#jobs").replaceChildren(...items.map((j) => el("li", { text: `#${j.id} ${j.scenario} → ${j.out}: ${j.state} (${j.done}/${j.total})` })));
}

// ---------------------------------------------------------------- start
loadEnsembles().catch((e) => status(e.message));
