// salesim serve's page: the report's head and stylesheet (so it looks like the report), a panel
// of controls for the chosen plan's levers, and a script that asks the API for each what-if,
// first with few paths (marked as a rough first look) and then with the file's, and shows the
// report's sections it answers. Levers are labelled in the report's plain words; a refused value
// is said beside its lever and the answer still shown is marked as not the levers'.
// Self-contained: nothing is loaded from the network (the report's Content-Security-Policy,
// plus fetches to this server).
#include "tools/report.hpp"
#include "tools/serve.hpp"

namespace salesim::tools {
namespace {

constexpr const char* kBody = R"html(<style>
  .serve { display:grid; grid-template-columns:minmax(260px, 330px) minmax(0, 1fr); gap:24px; align-items:start; max-width:1480px; margin:0 auto; padding:0 16px; box-sizing:border-box; }
  .serve main { max-width:none; margin:0; padding:0; min-width:0; }
  .serve aside { position:sticky; top:8px; border:1px solid #d8d8d8; border-radius:8px; padding:12px 14px; background:#fafafa; }
  .serve aside label { display:block; font-size:13px; margin:10px 0 2px; overflow-wrap:break-word; }
  .serve aside label .now { font-weight:600; white-space:nowrap; }
  .serve aside .key { display:block; font-size:11px; color:#667; font-family:ui-monospace, "DejaVu Sans Mono", monospace; }
  .serve aside .lever { display:grid; grid-template-columns:1fr 88px; gap:6px; align-items:center; }
  .serve aside .lever.bad input[type=number] { outline:2px solid #a00; }
  .serve aside .lever-error { color:#a00; font-size:12.5px; }
  .serve aside .hint { font-size:13px; color:#444; }
  .serve aside input[type=number], .serve aside input[type=text], .serve aside select { width:100%; box-sizing:border-box; font:inherit; padding:3px 4px; }
  .serve aside button { font:inherit; margin:10px 6px 0 0; padding:4px 10px; }
  .serve .headline { font-size:15px; margin:4px 0 12px; }
  /* A long unbroken name or description breaks rather than widening the page past the window. */
  header.cover h1, header.cover .subtitle, .serve aside, .serve main p, .serve .headline { overflow-wrap:anywhere; }
  .serve .headline strong { font-size:28px; }
  .serve .status { color:#555; font-size:12px; min-height:1.3em; }
  .serve .error { color:#a00; font-size:13px; white-space:pre-wrap; }
  .serve .notice { border-radius:6px; padding:6px 10px; font-size:13.5px; margin:0 0 8px; }
  .serve .notice.rough { background:#fff6dc; border:1px solid #d9b44a; }
  .serve .notice.stale { background:#fde8e8; border:1px solid #c55; color:#700; }
  /* A rough first look and an answer that no longer matches the levers are greyed out. */
  .serve main.rough #charts, .serve main.rough .headline strong { opacity:.55; }
  .serve main.stale #charts, .serve main.stale .headline strong { opacity:.35; filter:grayscale(1); }
  /* A table wider than the column (the paired comparison's) scrolls in its own box, not the page. */
  .serve main table.data { display:block; overflow-x:auto; font-size:12.5px; }
  .serve main table.data th, .serve main table.data td { padding:4px 6px; }
  .serve main table.data thead th { min-width:5.5em; }
  @media (max-width: 800px) { .serve { grid-template-columns:1fr; } .serve aside { position:static; } }
</style>
<header class="cover"><div><h1 id="title">What if?</h1>
<p class="subtitle">Move a lever: the answer comes from a few hundred simulated futures first, then from all of the file's.</p></div></header>
<div class="serve">
<aside aria-label="Levers">
  <label for="plan">Plan</label><select id="plan"></select>
  <div id="levers"></div>
  <button type="button" id="reset">Reset to the plan</button>
  <label for="save-name">Save as a new plan</label>
  <input type="text" id="save-name" placeholder="name of the new plan">
  <button type="button" id="save">Save as plan (YAML)</button>
  <div class="error" id="error" role="alert"></div>
</aside>
<main id="results">
  <div class="notice rough" id="rough" hidden></div>
  <div class="notice stale" id="stale" role="alert" hidden></div>
  <p class="headline">P(goal) of <span id="plan-name"></span>: <strong id="p-goal" data-value="" data-paths="" data-final="0">&hellip;</strong>
  <span id="p-goal-base"></span></p>
  <div class="status" id="status" aria-live="polite"></div>
  <div id="charts"></div>
</main>
</div>
<script>
"use strict";
const token = new URLSearchParams(location.search).get("token") || "";
const newClient = () => Array.from(crypto.getRandomValues(new Uint8Array(8)), b => b.toString(16).padStart(2, "0")).join("");
let client = newClient();
const FIRST_PATHS = 200;
let info = null, values = {}, levers = {}, generation = 0, controller = null, timer = null, sent = 0;
// Levers whose number box is left empty: nothing runs until each has a number again (the value
// kept in `values` is the one the box no longer shows).
let emptyBoxes = new Set();
const $ = id => document.getElementById(id);

// Each request numbered in the order sent: the server lets a newer run replace an older one, never
// the other way round, whatever order its threads reach them in.
async function api(path, body, signal) {
  const r = await fetch(path, {method: body ? "POST" : "GET", signal,
    headers: {"Authorization": "Bearer " + token, "Content-Type": "application/json", "X-Salesim-Client": client,
              "X-Salesim-Request": String(++sent)},
    body: body ? JSON.stringify(body) : undefined});
  const text = await r.text();
  if (!r.ok) {
    let j = {error: text};
    try { j = JSON.parse(text); } catch (e) {}
    throw {status: r.status, message: j.error, key: j.key, plain: j.message};
  }
  return text;
}
function plan() { return info.plans.find(p => p.name === $("plan").value); }
// x with one decimal as the report's C++ formatting writes it. Both take the nearest tenth of
// x's exact binary value; they differ only on an exact tie, which toFixed sends up and C++ to
// the even tenth (99.25 read 99.3 here, 99.2 in the report). A double is exactly halfway
// between tenths only when it ends in .25 or .75 (x * 4 an odd whole number: exact, a power of
// two); 0.05, not exactly 1/20 as a double, is no tie and toFixed is right for it.
function fixed1(x) {
  const q = x * 4;
  if (Number.isInteger(q) && q % 2 !== 0) {
    const f = Math.floor(x * 10);  // exact: x has two binary places
    return ((f % 2 === 0 ? f : f + 1) / 10).toFixed(1);
  }
  return x.toFixed(1);
}
// A probability as the report writes it (Fmt::prob): never 0.0% or 100.0% strictly between.
function percent(p) {
  if (p === null || p === undefined || !isFinite(p)) return "n/a";
  if (p <= 0) return "0%";
  if (p >= 1) return "100%";
  if (p < 0.0005) return "<0.1%";
  if (p >= 0.9995) return ">99.9%";
  return fixed1(100 * p) + "%";
}
// A share as the report writes it (plain_share): "12%", "12.5%".
function share(v) { return fixed1(100 * v).replace(/\.0$/, "") + "%"; }
// A key's unit in words: "hours/week", "$ a week" ("" for a share, shown as a percent).
function unitWords(unit) {
  // (A week is a point in time: "Hires (item 0): week" says it; "(week)" after it repeated it.)
  if (!unit || unit === "ratio" || unit === "share" || unit === "rate" || unit === "week") return "";
  if (!unit.startsWith("currency")) return unit;
  const per = unit.slice(8);
  return (info.currency || "money") + (per === "/week" ? " a week" : per === "/year" ? " a year" : per);
}
// Decimals of x (at most 6): 0.12 has 2, 1.25 has 2, 40 has 0.
function decimals(x) {
  let d = 0;
  while (d < 6 && Math.abs(Math.round(x * 10 ** d) - x * 10 ** d) > 1e-6) ++d;
  return d;
}
// The slider's top: a share keeps its range; otherwise up to three times the plan's value
// from the bottom (hires up to 100000 would leave the plan's 5 at the very start).
function sliderTop(l, lo, hi, value) {
  if (l.share && isFinite(hi)) return hi;
  const top = value > lo ? lo + 3 * (value - lo) : (isFinite(hi) && hi - lo <= 10 ? hi : lo + 10);
  return Math.min(hi, top);
}
// A round step (0.1, 1, 10, ...) of about a hundredth of the range, made finer until the plan's
// own value is on the grid (0.12 needs 0.01 at least; 18000 keeps 100).
function sliderStep(l, lo, top, value) {
  if (l.integer) return 1;
  let step = Math.pow(10, Math.floor(Math.log10(Math.max(top - lo, 1e-4) / 100)));
  while (step > 1e-6 && decimals(value / step) > 0) step /= 10;
  return Number(step.toPrecision(1));
}
// The key with a break allowed after each "." and "[" (never inside a word).
function keyElement(key) {
  const k = document.createElement("small");
  k.className = "key";
  for (const part of key.split(/(?<=[.\[])/)) k.append(part, document.createElement("wbr"));
  return k;
}

function buildLevers() {
  const box = $("levers");
  box.textContent = "";
  values = {};
  levers = {};
  emptyBoxes = new Set();
  if (plan().levers.length === 0) {
    // A key another plan offers makes the example (any plan has the org keys).
    const other = info.plans.flatMap(p => p.levers.map(l => l.key))[0] || "org.coaching_hours_per_rep";
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.id = "no-levers";
    const code = document.createElement("code");
    code.textContent = "salesim serve " + info.file + " --lever " + other;
    hint.append("Plan " + plan().name + " changes no numeric key of the scenario" +
      (plan().name === info.baseline ? " (it is the baseline as written)" : "") +
      ", so it has no levers to move. Choose another plan, or start the server with --lever KEY " +
      "for each key to offer on every plan, e.g. ", code);
    box.append(hint);
    return;
  }
  for (const l of plan().levers) {
    const lo = l.min, value = l.value === null ? lo : l.value;
    let hi = l.max === null ? Infinity : l.max;
    if (l.max !== null && l.max_open) hi = l.integer ? l.max - 1 : l.max;
    const top = sliderTop(l, lo, hi, value), step = sliderStep(l, lo, top, value);
    // The slider starts at the first point of its grid in the range (a key from 1e-9 at 0.1).
    const bottom = Math.min(value, Number((Math.ceil(lo / step) * step).toFixed(decimals(step))));
    const ui = {label: l.label};
    const label = document.createElement("label");
    const unit = unitWords(l.unit);
    label.append(l.label + (unit ? " (" + unit + ")" : ""));
    ui.now = document.createElement("span");
    ui.now.className = "now";
    if (l.percent) label.append(": ", ui.now);
    label.append(keyElement(l.key));
    const row = document.createElement("div");
    row.className = "lever";
    const range = document.createElement("input");
    const num = document.createElement("input");
    range.type = "range"; num.type = "number";
    for (const i of [range, num]) { i.min = lo; i.step = step; i.value = value; i.dataset.key = l.key; }
    range.min = bottom;
    range.max = top;
    num.step = l.integer ? 1 : "any";
    if (isFinite(hi)) num.max = hi;
    range.value = value;
    num.id = "lever-" + Object.keys(levers).length;
    label.htmlFor = num.id;
    range.setAttribute("aria-label", l.label);
    ui.error = document.createElement("div");
    ui.error.className = "lever-error";
    ui.error.dataset.key = l.key;
    ui.error.setAttribute("role", "alert");
    ui.row = row;
    const readout = v => { ui.now.textContent = l.percent && v !== "" ? share(Number(v)) : ""; };
    readout(value);
    range.addEventListener("input", () => { emptyBoxes.delete(l.key); num.value = range.value; readout(range.value); changed(l.key, range.value); });
    // A box left empty (or with no number in it) has the value "", which Number() reads as 0.
    num.addEventListener("change", () => {
      readout(num.value);
      if (num.value === "") { emptyBoxes.add(l.key); clearLeverErrors(); sayEmptyBoxes(); return; }
      emptyBoxes.delete(l.key);
      range.value = num.value; changed(l.key, num.value);
    });
    row.append(range, num);
    levers[l.key] = ui;
    box.append(label, row, ui.error);
  }
}
function sayEmptyBoxes() {
  for (const key of emptyBoxes)
    leverError(key, levers[key].label + " needs a number: the box is empty", "a box is empty");
}
function changed(key, v) { values[key] = Number(v); clearTimeout(timer); timer = setTimeout(update, 60); }

function clearLeverErrors() {
  for (const ui of Object.values(levers)) { ui.error.textContent = ""; ui.row.classList.remove("bad"); }
}
// A lever's value was refused (or is missing): said beside it, and the answer shown is marked as
// not the levers' until a valid value runs.
function leverError(key, message, what = "a value was refused") {
  const ui = levers[key];
  if (ui) { ui.error.textContent = message; ui.row.classList.add("bad"); }
  stale(ui ? what + " (said in red beside its lever)" : message);
}
function stale(why) {
  $("stale").textContent = "The answer below is not for the levers as they are now: " + why + ".";
  $("stale").hidden = false;
  $("results").classList.add("stale");
}

function show(r, final) {
  const p = r.plans[r.plans.length - 1], base = r.plans[0];
  const g = p.goal ? p.goal.p_met : null;
  const el = $("p-goal");
  el.textContent = percent(g);
  el.dataset.value = g === null ? "" : String(g);
  el.dataset.paths = String(r.paths);
  el.dataset.final = final ? "1" : "0";
  $("plan-name").textContent = p.name;
  $("p-goal-base").textContent = r.plans.length > 1 && base.goal ? "against the baseline" +
    (base.name === "baseline" ? "" : ", " + base.name) + ": " + percent(base.goal.p_met) : "";
  $("charts").innerHTML = r.charts;
  $("stale").hidden = true;
  $("results").classList.remove("stale");
  // The few-path answer can differ from the full one: marked rough until it is replaced.
  $("rough").hidden = final;
  $("rough").textContent = final ? "" : "Rough first look: " + r.paths + " simulated futures; refining to " + info.paths + "…";
  $("results").classList.toggle("rough", !final);
  $("status").textContent = r.paths + " simulated futures, seed " + r.seed + (final ? "" : "; refining to " + info.paths + "…");
}

async function update() {
  const mine = ++generation;
  if (controller) controller.abort();
  controller = new AbortController();
  const signal = controller.signal;
  $("error").textContent = "";
  clearLeverErrors();
  // Another lever moved while a box is empty: still nothing runs, and the page says why.
  if (emptyBoxes.size > 0) { sayEmptyBoxes(); return; }
  $("p-goal").dataset.final = "0";
  const counts = info.paths > FIRST_PATHS ? [FIRST_PATHS, info.paths] : [info.paths];
  try {
    for (let i = 0; i < counts.length; ++i) {
      $("status").textContent = "Running " + counts[i] + " simulated futures…";
      const r = JSON.parse(await api("/api/run", {plan: plan().name, set: values, paths: counts[i], charts: true}, signal));
      if (mine !== generation) return;
      show(r, i === counts.length - 1);
    }
  } catch (e) {
    if (mine !== generation || e.name === "AbortError" || e.status === 409) return;
    if (e.key) leverError(e.key, e.plain || e.message);
    else stale(e.message || String(e));
    $("status").textContent = "";
  }
}

// Leaving or closing the page ends its run going, which would otherwise hold the server's cores
// to its end (keepalive: the request outlives the page).
// The server then refuses this client id, so a page restored from the back-forward cache takes a
// new one and runs its levers again (its cancelled run's answer never came).
window.addEventListener("pagehide", () => {
  if (!controller || $("p-goal").dataset.final === "1") return;
  fetch("/api/cancel", {method: "POST", keepalive: true, body: "{}",
    headers: {"Authorization": "Bearer " + token, "Content-Type": "application/json", "X-Salesim-Client": client}});
});
window.addEventListener("pageshow", e => {
  if (!e.persisted) return;
  client = newClient();
  if (info && $("p-goal").dataset.final !== "1") update();
});

async function save() {
  const name = $("save-name").value.trim();
  $("error").textContent = "";
  // A box left empty: nothing is saved (the value kept for it is one the box no longer shows).
  if (emptyBoxes.size > 0) {
    sayEmptyBoxes();
    $("error").textContent = "Not saved: " + [...emptyBoxes].map(k => levers[k].label).join(", ") +
      " needs a number: the box is empty.";
    return;
  }
  try {
    const text = await api("/api/save", {plan: plan().name, set: values, name});
    const a = document.createElement("a");
    a.href = "data:application/yaml;charset=utf-8," + encodeURIComponent(text);
    a.download = name.replace(/[^A-Za-z0-9-]/g, "_") + ".yaml";
    document.body.append(a); a.click(); a.remove();
  } catch (e) {
    if (e.key && levers[e.key]) levers[e.key].error.textContent = e.plain;
    $("error").textContent = e.key ? "Not saved: " + e.plain : e.message || String(e);
  }
}

async function start() {
  try { info = JSON.parse(await api("/api/plans")); }
  catch (e) { $("error").textContent = e.message || String(e); return; }
  $("title").textContent = info.scenario + ": what if?";
  for (const p of info.plans) {
    const o = document.createElement("option");
    o.value = o.textContent = p.name;
    $("plan").append(o);
  }
  if (info.plans.length > 1) $("plan").value = info.plans[1].name;
  $("plan").addEventListener("change", () => { buildLevers(); update(); });
  $("reset").addEventListener("click", () => { buildLevers(); update(); });
  $("save").addEventListener("click", save);
  buildLevers();
  update();
}
start();
</script>
</body>
</html>
)html";

}  // namespace

std::string serve_page(const std::string& title) { return report_page_head(title, true) + kBody; }

}  // namespace salesim::tools
