// salesim serve's page: the report's head and stylesheet (so it looks like the report), a panel
// of controls for the chosen plan's levers, and a script that asks the API for each what-if,
// first with few paths and then with the file's, and shows the report's sections it answers.
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
  .serve aside label { display:block; font-size:13px; margin:10px 0 2px; overflow-wrap:anywhere; }
  .serve aside .lever { display:grid; grid-template-columns:1fr 88px; gap:6px; align-items:center; }
  .serve aside input[type=number], .serve aside input[type=text], .serve aside select { width:100%; box-sizing:border-box; font:inherit; padding:3px 4px; }
  .serve aside button { font:inherit; margin:10px 6px 0 0; padding:4px 10px; }
  .serve .headline { font-size:15px; margin:4px 0 12px; }
  .serve .headline strong { font-size:28px; }
  .serve .status { color:#555; font-size:12px; min-height:1.3em; }
  .serve .error { color:#a00; font-size:13px; white-space:pre-wrap; }
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
<main>
  <p class="headline">P(goal) of <span id="plan-name"></span>: <strong id="p-goal" data-value="" data-paths="" data-final="0">&hellip;</strong>
  <span id="p-goal-base"></span></p>
  <div class="status" id="status" aria-live="polite"></div>
  <div id="charts"></div>
</main>
</div>
<script>
"use strict";
const token = new URLSearchParams(location.search).get("token") || "";
const client = Array.from(crypto.getRandomValues(new Uint8Array(8)), b => b.toString(16).padStart(2, "0")).join("");
const FIRST_PATHS = 200;
let info = null, values = {}, generation = 0, controller = null, timer = null;
const $ = id => document.getElementById(id);

async function api(path, body, signal) {
  const r = await fetch(path, {method: body ? "POST" : "GET", signal,
    headers: {"Authorization": "Bearer " + token, "Content-Type": "application/json", "X-Salesim-Client": client},
    body: body ? JSON.stringify(body) : undefined});
  const text = await r.text();
  if (!r.ok) { let m = text; try { m = JSON.parse(text).error; } catch (e) {} throw {status: r.status, message: m}; }
  return text;
}
function plan() { return info.plans.find(p => p.name === $("plan").value); }
function percent(p) { return p === null || p === undefined ? "n/a" : (100 * p).toFixed(1) + "%"; }

function buildLevers() {
  const box = $("levers");
  box.textContent = "";
  values = {};
  for (const l of plan().levers) {
    const lo = l.min, value = l.value === null ? lo : l.value;
    let hi = l.max === null ? Infinity : l.max;
    if (l.max !== null && l.max_open) hi = l.integer ? l.max - 1 : l.max;
    // A slider over a wide range (hires up to 100000) would be useless near the plan's value:
    // it spans up to three times the value; the number box takes the key's whole range.
    const slider_hi = hi - lo <= 10 ? hi : Math.min(hi, Math.max(lo + 10, 3 * Math.abs(value)));
    // A round step (0.1, 1, 10, ...), so that the slider lands on the values one would type.
    const step = l.integer ? 1 : Math.pow(10, Math.floor(Math.log10(Math.max(slider_hi - lo, 1e-4) / 100)));
    const label = document.createElement("label");
    label.textContent = l.key;
    const row = document.createElement("div");
    row.className = "lever";
    const range = document.createElement("input");
    const num = document.createElement("input");
    range.type = "range"; num.type = "number";
    for (const i of [range, num]) { i.min = lo; i.step = step; i.value = value; i.dataset.key = l.key; }
    range.max = slider_hi;
    num.step = l.integer ? 1 : "any";
    if (isFinite(hi)) num.max = hi;
    range.value = value;
    range.setAttribute("aria-label", l.key);
    num.setAttribute("aria-label", l.key + " value");
    range.addEventListener("input", () => { num.value = range.value; changed(l.key, range.value); });
    // A box left empty (or with no number in it) has the value "", which Number() reads as 0.
    num.addEventListener("change", () => {
      if (num.value === "") { $("error").textContent = l.key + ": type a number"; return; }
      range.value = num.value; changed(l.key, num.value);
    });
    row.append(range, num);
    box.append(label, row);
  }
}
function changed(key, v) { values[key] = Number(v); clearTimeout(timer); timer = setTimeout(update, 60); }

function show(r, final) {
  const p = r.plans[r.plans.length - 1], base = r.plans[0];
  const g = p.goal ? p.goal.p_met : null;
  const el = $("p-goal");
  el.textContent = percent(g);
  el.dataset.value = g === null ? "" : String(g);
  el.dataset.paths = String(r.paths);
  el.dataset.final = final ? "1" : "0";
  $("plan-name").textContent = p.name;
  $("p-goal-base").textContent = r.plans.length > 1 && base.goal ? "against " + base.name + " (the baseline): " + percent(base.goal.p_met) : "";
  $("charts").innerHTML = r.charts;
  $("status").textContent = r.paths + " simulated futures, seed " + r.seed + (final ? "" : "; refining to " + info.paths + "…");
}

async function update() {
  const mine = ++generation;
  if (controller) controller.abort();
  controller = new AbortController();
  const signal = controller.signal;
  $("error").textContent = "";
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
    $("error").textContent = e.message || String(e);
    $("status").textContent = "";
  }
}

async function save() {
  const name = $("save-name").value.trim();
  $("error").textContent = "";
  try {
    const text = await api("/api/save", {plan: plan().name, set: values, name});
    const a = document.createElement("a");
    a.href = "data:application/yaml;charset=utf-8," + encodeURIComponent(text);
    a.download = name.replace(/[^A-Za-z0-9-]/g, "_") + ".yaml";
    document.body.append(a); a.click(); a.remove();
  } catch (e) { $("error").textContent = e.message || String(e); }
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
