// --xlsx on run, sweep, batch and sensitivity: the workbook read back with openpyxl (Debian's
// python3-openpyxl): sheet names, values equal to the JSON summary and the CSV tables, number
// formats, a frozen header row, and text cells that stay text.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;

// Runs a Python check: the script gets the arguments; exit 0 means every check held.
void python_check(const fs::path& dir, const std::string& script, const std::string& args) {
  const fs::path file = dir / "check.py";
  std::ofstream(file) << script;
  std::string printed;
  const int rc =
      test::shell(std::string(SALESIM_PYTHON) + " " + file.string() + " " + args, &printed);
  EXPECT_EQ(rc, 0) << printed;
}

const char* kCommon = R"PY(
import csv, json, math, sys
import openpyxl

def close(a, b, what):
    if a is None or b is None:
        assert a is None and b is None, f"{what}: {a} != {b}"
        return
    assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9), f"{what}: {a} != {b}"

def rows(ws):
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, [c for c in r])) for r in ws.iter_rows(min_row=2)]

def no_formulas(wb):
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", f"{ws.title}: header not frozen ({ws.freeze_panes})"
        for r in ws.iter_rows():
            for c in r:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula"

def same_as_csv(ws, csv_path):
    with open(csv_path, newline="") as f:
        table = list(csv.reader(f))
    header, body = rows(ws)
    assert len(body) == len(table) - 1, f"{ws.title}: {len(body)} rows, CSV {len(table) - 1}"
    for r, line in zip(body, table[1:]):
        for name, text in zip(table[0], line):
            cell = r[name.lstrip("'")]
            if text == "":
                assert cell.value in (None, ""), f"{ws.title} {name}: {cell.value} for empty"
            else:
                try:
                    close(cell.value, float(text), f"{ws.title} {name}")
                except ValueError:
                    assert cell.value == text.lstrip("'"), f"{ws.title} {name}: {cell.value!r}"
    return header, body
)PY";

TEST(Xlsx, RunWorkbookReadsBackWithTheJsonFiguresAndFormats) {
  const fs::path dir = fs::temp_directory_path() / "salesim-xlsx-run";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string json = (dir / "s.json").string(), xlsx = (dir / "run.xlsx").string();
  std::string printed;
  ASSERT_EQ(test::shell(test::binary() + " run " + test::example() + " --paths 64 --quiet --json " +
                            json + " --xlsx " + xlsx,
                        &printed),
            0)
      << printed;
  EXPECT_FALSE(fs::exists(xlsx + ".tmp." + std::to_string(getpid())));
  python_check(dir, std::string(kCommon) + R"PY(
wb = openpyxl.load_workbook(sys.argv[1])
s = json.load(open(sys.argv[2]))
assert wb.sheetnames == ["Plans", "Comparison", "Checkpoints", "Weekly", "Costs", "Periods",
                         "Horizon", "About"], wb.sheetnames
no_formulas(wb)
# What the workbook is of (a workbook sent on alone said none of it): the seed keeps its digits.
about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=2, values_only=True)}
assert about["scenario"] == s["scenario"] and about["paths"] == s["paths"], about
assert about["seed"] == str(s["seed"]) and about["goal_revenue"] == s["goal"]["revenue"], about
assert about["git_revision"] == s["git_revision"], about
plans = s["plans"]
_, body = rows(wb["Plans"])
assert [r["plan"].value for r in body] == [p["name"] for p in plans]
for r, p in zip(body, plans):
    assert r["plan"].data_type == "s"
    close(r["final_bookings_mean"].value, p["final_bookings"]["mean"], "final bookings")
    close(r["final_bookings_p50"].value, p["final_bookings"]["p50"], "median")
    close(r["p_goal"].value, p["goal"]["p_met"], "p_goal")
    close(r["cost_mean"].value, p["cost"]["mean"], "cost")
    assert r["p_goal"].number_format == "0.0%", r["p_goal"].number_format
    assert r["final_bookings_mean"].number_format == "#,##0", r["final_bookings_mean"].number_format
    assert r["paths"].number_format == "0", r["paths"].number_format
    assert r["leavers_mean"].number_format == "#,##0.0", r["leavers_mean"].number_format
    assert r["paths"].value == s["paths"]
assert wb["Plans"].column_dimensions["A"].width > 8

_, body = rows(wb["Comparison"])
assert len(body) == len(plans) - 1
for r, p in zip(body, plans[1:]):
    close(r["final_bookings_diff_mean"].value, p["vs_first"]["final_bookings_diff_mean"], "diff")
    close(r["p_better"].value, p["vs_first"]["p_better"], "p_better")
    close(r["exit_run_rate_diff_mean"].value, p["vs_first"]["exit_run_rate_diff"]["mean"], "rr")
    assert r["p_better"].number_format == "0.0%"

_, body = rows(wb["Checkpoints"])
assert len(body) == sum(len(p["checkpoints"]) for p in plans)
for r in body:
    p = next(p for p in plans if p["name"] == r["plan"].value)
    c = next(c for c in p["checkpoints"] if c["label"] == r["checkpoint"].value)
    close(r["p_met"].value, c["p_met"], "checkpoint")
    assert r["week"].value == c["week"] and r["week"].number_format == "0"

_, body = rows(wb["Weekly"])
assert len(body) == len(plans) * s["horizon_weeks"]
assert body[-1]["week"].value == s["horizon_weeks"]
assert body[0]["cum_bookings_p50"].number_format == "#,##0"

_, body = rows(wb["Costs"])
assert len(body) == len(plans) * 8
for r in body:
    p = next(p for p in plans if p["name"] == r["plan"].value)
    part = r["part"].value
    want = p["cost"]["mean"] if part == "total" else p["cost_breakdown"][part]["mean"]
    close(r["cost_mean"].value, want, "cost " + part)
    assert r["cost_mean"].number_format == "#,##0"

_, body = rows(wb["Periods"])
assert len(body) == sum(len(p["bookings_by_period"]) for p in plans)
for r in body:
    p = next(p for p in plans if p["name"] == r["plan"].value)
    b = next(b for b in p["bookings_by_period"] if b["from_week"] == r["from_week"].value)
    close(r["bookings_mean"].value, b["mean"], "period")
    assert r["to_week"].value == b["to_week"]

_, body = rows(wb["Horizon"])
for r, p in zip(body, plans):
    h = p["horizon"]
    close(r["exit_run_rate_mean"].value, h["exit_run_rate"]["mean"], "run-rate")
    close(r["open_pipeline_value_mean"].value, h["open_pipeline_value"]["mean"], "pipeline")
    close(r["ramped_headcount_mean"].value, h["ramped_headcount"]["mean"], "ramped")
    assert r["run_rate_weeks"].value == h["exit_run_rate"]["weeks"]
    assert r["exit_run_rate_mean"].number_format == "#,##0"
    assert r["ramped_headcount_mean"].number_format == "#,##0.0"
)PY",
               xlsx + " " + json);
  fs::remove_all(dir);
}

// A name a spreadsheet would evaluate stays text in the workbook: no formula is ever written.
TEST(Xlsx, TextThatLooksLikeAFormulaStaysText) {
  const fs::path dir = fs::temp_directory_path() / "salesim-xlsx-text";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string file = (dir / "s.yaml").string(), xlsx = (dir / "t.xlsx").string();
  std::ofstream(file) << R"PY(salesim: 2
name: formula
simulation: {horizon_weeks: 6, paths: 8, seed: 1}
goal: {revenue: 100000, checkpoints: [{week: 3, revenue: 10000, label: "=SUM(A1:A9)"
}]
}
plans: [{name: "=1+2"}, {name: "@cmd"}]
)PY";
  std::string printed;
  ASSERT_EQ(test::shell(test::binary() + " run " + file + " --quiet --xlsx " + xlsx, &printed), 0)
      << printed;
  python_check(dir, std::string(kCommon) + R"PY(
wb = openpyxl.load_workbook(sys.argv[1])
no_formulas(wb)
ws = wb["Plans"]
assert ws["A2"].value == "=1+2" and ws["A2"].data_type == "s", (ws["A2"].value, ws["A2"].data_type)
assert ws["A3"].value == "@cmd"
_, body = rows(wb["Checkpoints"])
assert body[0]["checkpoint"].value == "=SUM(A1:A9)"
)PY",
               xlsx);
  fs::remove_all(dir);
}

// A sheet with nothing to show says why instead of being blank.
// With an ARR goal the checkpoints' bookings columns hold the mean ARR at the week; the last
// column, measure, says so (a consultant read ARR as cumulative bookings).
TEST(Xlsx, CheckpointsSayWhetherTheyCountArrOrBookings) {
  const fs::path dir =
      fs::temp_directory_path() / ("salesim-xlsx-measure-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const char* name : {"saas-renewals", "nexacorp"}) {
    const std::string xlsx = (dir / (std::string(name) + ".xlsx")).string();
    std::string printed;
    ASSERT_EQ(test::shell(test::binary() + " run " + test::source_dir() + "/scenarios/" + name +
                              ".yaml --paths 20 --quiet --xlsx " + xlsx,
                          &printed),
              0)
        << printed;
    python_check(dir, std::string(kCommon) + R"PY(
wb = openpyxl.load_workbook(sys.argv[1])
rows = list(wb["Checkpoints"].iter_rows(values_only=True))
head = list(rows[0])
assert head[-1] == "measure" and head[6] == "bookings_mean", head
want = "arr" if "saas" in sys.argv[1] else "cumulative_bookings"
assert all(r[-1] == want for r in rows[1:]), [r[-1] for r in rows[1:]]
)PY",
                 xlsx);
  }
  fs::remove_all(dir);
}

// The extensions' figures are in the workbook as in the JSON (a consultant found no ARR,
// segment, quota or robustness figures in it): ARR and ARR bridge, Segments and Quota,
// Robustness and Drivers, each only for a scenario that has them.
TEST(Xlsx, ExtensionSheetsHoldTheJsonFigures) {
  const fs::path dir = fs::temp_directory_path() / ("salesim-xlsx-ext-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const char* name : {"saas-renewals", "territory-rebalance", "uncertain-assumptions"}) {
    const std::string base = (dir / name).string();
    std::string printed;
    ASSERT_EQ(test::shell(test::binary() + " run " + test::source_dir() + "/scenarios/" + name +
                              ".yaml --paths 40 --quiet --xlsx " + base + ".xlsx --json " + base +
                              ".json",
                          &printed),
              0)
        << printed;
    python_check(dir, std::string(kCommon) + R"PY(
import json
wb = openpyxl.load_workbook(sys.argv[1] + ".xlsx")
j = json.load(open(sys.argv[1] + ".json"))
def table(sheet):
    r = list(wb[sheet].iter_rows(values_only=True))
    return [dict(zip(r[0], x)) for x in r[1:]]
names = set(wb.sheetnames)
def fmt(sheet, column):
    # the number format of a column's last cell (the first plan may have no comparison)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    return ws.cell(ws.max_row, header.index(column) + 1).number_format
def formats(sheet, want):
    for column, code in want.items():
        assert fmt(sheet, column) == code, (sheet, column, fmt(sheet, column), code)
if "saas" in sys.argv[1]:
    # Ratios as percentages (NRR 0.92 displayed as "1" before), money as money.
    formats("ARR", {"arr_retention_nrr_mean": "0.0%", "arr_retention_grr_se": "0.0%",
                    "arr_final_diff_p_better": "0.0%", "arr_final_diff_per_extra_cost": "0.00",
                    "arr_final_p50": "#,##0", "arr_retention_from_week": "0"})
    formats("ARR bridge", {"opening": "#,##0", "new_mean": "#,##0", "churn_se": "#,##0",
                           "closing": "#,##0", "to_week": "0"})
    assert {"ARR", "ARR bridge"} <= names and "Segments" not in names, names
    for p, r in zip(j["plans"], table("ARR")):
        assert r["plan"] == p["name"], r
        close(r["arr_final_p50"], p["arr"]["final"]["p50"], "arr_final_p50")
    close(table("ARR")[1]["arr_final_diff_p_better"], j["plans"][1]["vs_first"]["arr_final_diff"]["p_better"], "p_better")
    assert len(table("ARR bridge")) == sum(len(p["arr"]["bridge"]) for p in j["plans"])
elif "territory" in sys.argv[1]:
    assert {"Segments", "Quota"} <= names and "ARR" not in names, names
    seg = table("Segments")
    assert len(seg) == sum(len(p["segments"]) for p in j["plans"])
    assert seg[0]["segment"] == j["plans"][0]["segments"][0]["name"]
    close(seg[0]["bookings_mean"], j["plans"][0]["segments"][0]["bookings"]["mean"], "segment bookings")
    formats("Segments", {"win_rate": "0.0%", "coverage_left": "0.0%", "customers_final_mean": "#,##0.0",
                         "bookings_mean": "#,##0"})
    formats("Quota", {"attainment_p90": "0.0%", "new_hires_attainment_mean": "0.0%",
                      "accelerators_mean": "#,##0", "share_at_or_above": "0.0%", "reps_mean": "#,##0.0"})
else:
    assert {"Robustness", "Drivers"} <= names and "ARR" not in names, names
    rb = table("Robustness")
    assert [r["plan"] for r in rb] == [p["plan"] for p in j["robustness"]["plans"]]
    close(rb[1]["vs_first_p_beats"], j["robustness"]["vs_baseline"][0]["p_beats"], "p_beats")
    assert rb[0].get("vs_first_p_beats") is None
    d = table("Drivers")
    v = j["robustness"]["vs_baseline"][0]
    mine = [r for r in d if r["plan"] == v["plan"] and r["outcome"] == "gain_over_first"]
    assert [r["key"] for r in mine] == [x["key"] for x in v["diff_drivers"]], mine
)PY",
                 base);
  }
  fs::remove_all(dir);
}

TEST(Xlsx, EmptySheetsSayWhy) {
  const fs::path dir = fs::temp_directory_path() / "salesim-xlsx-empty";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string file = (dir / "s.yaml").string(), xlsx = (dir / "e.xlsx").string();
  std::ofstream(file) << "salesim: 2\nname: one\nsimulation: {horizon_weeks: 6, paths: 8}\n"
                         "plans: [{name: only}]\n";
  std::string printed;
  ASSERT_EQ(test::shell(test::binary() + " run " + file + " --quiet --xlsx " + xlsx, &printed), 0)
      << printed;
  python_check(dir, std::string(kCommon) + R"PY(
wb = openpyxl.load_workbook(sys.argv[1])
assert "one plan" in wb["Comparison"]["A1"].value, wb["Comparison"]["A1"].value
assert "no checkpoints" in wb["Checkpoints"]["A1"].value, wb["Checkpoints"]["A1"].value
assert wb["Plans"]["A2"].value == "only"
)PY",
               xlsx);
  fs::remove_all(dir);
}

TEST(Xlsx, SweepSensitivityAndBatchWriteTheirTables) {
  const fs::path dir = fs::temp_directory_path() / "salesim-xlsx-tables";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string bin = test::binary(), ex = test::example();
  const auto p = [&](const char* name) { return (dir / name).string(); };
  std::string printed;
  ASSERT_EQ(
      test::shell(bin + " sweep " + ex +
                      " --plan push-activity --vary prospecting.target_hours=10,14 "
                      "--paths 24 --quiet -o " +
                      p("sweep.h5") + " --csv " + p("sweep.csv") + " --xlsx " + p("sweep.xlsx"),
                  &printed),
      0)
      << printed;
  ASSERT_EQ(test::shell(bin + " sensitivity " + ex +
                            " --plan push-activity --keys prospecting.target_hours,"
                            "capacity.max_hours --paths 24 --quiet --csv " +
                            p("sens.csv") + " --xlsx " + p("sens.xlsx"),
                        &printed),
            0)
      << printed;
  fs::create_directories(dir / "in");
  fs::copy_file(test::source_dir() + "/fuzz/corpus/scenario/tiny.yaml", dir / "in" / "tiny.yaml");
  ASSERT_EQ(test::shell(bin + " batch " + p("in") + " -o " + p("out") + " --paths 16 --quiet " +
                            "--xlsx " + p("batch.xlsx"),
                        &printed),
            0)
      << printed;
  python_check(dir, std::string(kCommon) + R"PY(
d = sys.argv[1]
wb = openpyxl.load_workbook(d + "/sweep.xlsx")
assert wb.sheetnames == ["Sweep"], wb.sheetnames
no_formulas(wb)
header, body = same_as_csv(wb["Sweep"], d + "/sweep.csv")
assert body[0]["p_goal"].number_format == "0.0%"
assert body[0]["final_bookings_mean"].number_format == "#,##0"
assert body[0]["point"].number_format == "0"
assert body[0]["prospecting.target_hours"].number_format == "General"

wb = openpyxl.load_workbook(d + "/sens.xlsx")
assert wb.sheetnames == ["Sensitivity"], wb.sheetnames
no_formulas(wb)
header, body = same_as_csv(wb["Sensitivity"], d + "/sens.csv")
assert body[0]["swing"].number_format == "0.0%"  # the metric is P(goal)
assert body[0]["rank"].number_format == "0"

wb = openpyxl.load_workbook(d + "/batch.xlsx")
assert wb.sheetnames == ["Batch"], wb.sheetnames
no_formulas(wb)
same_as_csv(wb["Batch"], d + "/out/batch.csv")
)PY",
               dir.string());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace salesim
