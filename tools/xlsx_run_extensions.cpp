// The run workbook's sheets for the extensions a scenario uses, read from the run's JSON summary
// (docs/cli.md lists its keys), so the workbook holds exactly the figures the JSON does: ARR and
// its bridge (recurring revenue), Segments and Quota (segments, quotas), and Robustness and
// Drivers (uncertain assumptions). A consultant's walk found none of them in the workbook.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "tools/xlsx_run.hpp"

namespace salesim::tools {
namespace {

using nlohmann::json;

// A JSON object's numbers, booleans and strings as cells named by their path ("final_p50",
// "bridge_churn_mean"), in the object's order; arrays (weekly series) are left out and null is
// an empty cell.
void flatten(const json& j, const std::string& prefix, Row& row) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string name = prefix.empty() ? it.key() : prefix + "_" + it.key();
    const json& v = it.value();
    if (v.is_object())
      flatten(v, name, row);
    else if (v.is_number())
      row.emplace_back(name, v.get<double>());
    else if (v.is_boolean())
      row.emplace_back(name, v.get<bool>() ? 1.0 : 0.0);
    else if (v.is_string())
      row.emplace_back(name, v.get<std::string>());
    else if (v.is_null())
      row.emplace_back(name, std::nan(""));
  }
}

// Rows that may name different columns (a plan without a comparison, a null figure) as one
// table: the columns in the order first met, a missing cell empty.
Table union_table(const std::vector<Row>& rows) {
  std::vector<std::string> columns;
  for (const Row& r : rows)
    for (const auto& [name, cell] : r)
      if (std::find(columns.begin(), columns.end(), name) == columns.end()) columns.push_back(name);
  Table t;
  for (const Row& r : rows) {
    Row full;
    for (const std::string& c : columns) {
      Cell cell = std::nan("");
      for (const auto& [name, value] : r)
        if (name == c) cell = value;
      full.emplace_back(c, cell);
    }
    t.add(std::move(full));
  }
  return t;
}

void add_sheet(std::vector<Sheet>& sheets, const char* name, const std::vector<Row>& rows,
               const std::map<std::string, NumberFormat>& overrides = {}) {
  if (!rows.empty()) sheets.push_back(table_sheet(name, union_table(rows), overrides));
}

std::string plan_name(const json& plan) { return plan.value("name", std::string()); }

void arr_sheets(const json& s, std::vector<Sheet>& sheets) {
  std::vector<Row> plans, bridge;
  for (const json& p : s["plans"]) {
    if (!p.contains("arr") || !p["arr"].is_object()) continue;
    Row row = {{"plan", plan_name(p)}};
    flatten(p["arr"], "arr", row);
    if (p.contains("vs_first") && p["vs_first"].contains("arr_final_diff"))
      flatten(p["vs_first"]["arr_final_diff"], "arr_final_diff", row);
    plans.push_back(std::move(row));
    for (const json& q : p["arr"].value("bridge", json::array())) {
      Row b = {{"plan", plan_name(p)}};
      flatten(q, "", b);
      bridge.push_back(std::move(b));
    }
  }
  add_sheet(sheets, "ARR", plans);
  // The bridge's columns are money by what they are, not by their names.
  std::map<std::string, NumberFormat> money;
  for (const char* c : {"opening", "closing", "new_mean", "new_se", "expansion_mean",
                        "expansion_se", "churn_mean", "churn_se"})
    money[c] = NumberFormat::money;
  add_sheet(sheets, "ARR bridge", bridge, money);
}

void territory_sheets(const json& s, std::vector<Sheet>& sheets) {
  std::vector<Row> segments, quota;
  for (const json& p : s["plans"]) {
    for (json g : p.value("segments", json::array())) {
      Row row = {{"plan", plan_name(p)}, {"segment", g.value("name", std::string())}};
      g.erase("name");
      flatten(g, "", row);
      segments.push_back(std::move(row));
    }
    if (p.contains("quota") && p["quota"].is_object()) {
      Row row = {{"plan", plan_name(p)}};
      flatten(p["quota"], "", row);
      quota.push_back(std::move(row));
    }
  }
  add_sheet(sheets, "Segments", segments);
  add_sheet(sheets, "Quota", quota);
}

void robustness_sheets(const json& s, std::vector<Sheet>& sheets) {
  if (!s.contains("robustness")) return;
  const json& r = s["robustness"];
  std::vector<Row> plans, drivers;
  auto add_drivers = [&](const std::string& plan, const char* outcome, const json& list) {
    for (const json& d : list)
      drivers.push_back({{"plan", plan},
                         {"outcome", std::string(outcome)},
                         {"key", d.value("key", std::string())},
                         {"coef", d.value("coef", std::nan(""))},
                         {"se", d.value("se", std::nan(""))}});
  };
  // The JSON's keys come sorted: the plan is put first by hand.
  for (json p : r.value("plans", json::array())) {
    const std::string plan = p.value("plan", std::string());
    add_drivers(plan, "p_goal", p.value("goal_drivers", json::array()));
    p.erase("plan");
    Row row = {{"plan", plan}};
    flatten(p, "", row);
    plans.push_back(std::move(row));
  }
  for (json v : r.value("vs_baseline", json::array())) {
    const std::string plan = v.value("plan", std::string());
    add_drivers(plan, "gain_over_first", v.value("diff_drivers", json::array()));
    v.erase("plan");
    Row row;
    flatten(v, "vs_first", row);
    // Beside the plan's own figures (the first plan has none).
    for (Row& p : plans)
      if (std::get<std::string>(p.front().second) == plan)
        p.insert(p.end(), row.begin(), row.end());
  }
  add_sheet(sheets, "Robustness", plans);
  add_sheet(sheets, "Drivers", drivers);
}

// What the workbook is of, last: the scenario, the run's settings and the goal (a workbook sent
// on alone said none of it).
void about_sheet(const json& s, std::vector<Sheet>& sheets) {
  std::vector<Row> rows;
  auto add = [&](const char* item, const json& v) {
    if (v.is_string())
      rows.push_back({{"item", std::string(item)}, {"value", v.get<std::string>()}});
    else if (v.is_number())
      rows.push_back({{"item", std::string(item)}, {"value", v.get<double>()}});
  };
  for (const char* k : {"scenario", "file", "paths", "seed", "horizon_weeks"})
    if (s.contains(k)) add(k, s[k]);
  if (s.contains("goal") && s["goal"].is_object())
    for (const char* k : {"revenue", "by_week", "metric"})
      if (s["goal"].contains(k)) add((std::string("goal_") + k).c_str(), s["goal"][k]);
  for (const char* k : {"salesim_version", "git_revision", "model_version"})
    if (s.contains(k)) add(k, s[k]);
  // The seed keeps its digits (a 64-bit seed is no money nor a double's 15 digits as text).
  for (Row& r : rows)
    if (std::get<std::string>(r.front().second) == "seed" && s["seed"].is_number_unsigned())
      r.back().second = std::to_string(s["seed"].get<std::uint64_t>());
  add_sheet(sheets, "About", rows, {{"value", NumberFormat::general}});
}

}  // namespace

std::vector<Sheet> extension_sheets(const nlohmann::json& summary) {
  std::vector<Sheet> sheets;
  if (!summary.contains("plans") || !summary["plans"].is_array()) return sheets;
  arr_sheets(summary, sheets);
  territory_sheets(summary, sheets);
  robustness_sheets(summary, sheets);
  about_sheet(summary, sheets);
  return sheets;
}

}  // namespace salesim::tools
