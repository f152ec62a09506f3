#include "models/recurring.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/recurring_layout.hpp"

namespace salesim {
namespace {

constexpr double kWeeksPerMonth = 52.0 / 12.0;
constexpr int kQuarterWeeks = 13;
constexpr int kRetentionWeeks = 52;  // NRR and GRR are over the last year (or the horizon)

// The week whose starting contracts make the retention cohort.
int cohort_week(int horizon) { return std::max(0, horizon - kRetentionWeeks); }

void snapshot_cohort(ContractBook& b) {
  b.cohort_arr = 0;
  for (std::size_t i = 0; i < b.acv.size(); ++i) {
    b.cohort_acv[i] = b.acv[i];  // 0 for a churned contract
    b.cohort_arr += b.acv[i];
  }
}

void add_contract(ContractBook& b, double acv, int signed_week, int due_week, int term) {
  const int id = int(b.acv.size());
  b.acv.push_back(acv);
  b.cohort_acv.push_back(0);
  b.signed_week.push_back(signed_week);
  b.due[std::size_t(due_week % term)].push_back(id);
  b.arr += acv;
}

}  // namespace

int term_weeks(const RevenueParams& r) {
  return std::max(1, int(std::lround(r.term_months * kWeeksPerMonth)));
}
double ramp_weeks(const RevenueParams& r) { return r.ramp_months * kWeeksPerMonth; }

double first_year_share(const RevenueParams& r) {
  // The mean over months 0..12 of min(1, m / ramp): 1 - R/24 up to a year's ramp, 6/R beyond.
  const double R = r.ramp_months;
  return R <= 12 ? 1 - R / 24 : 6 / R;
}

std::vector<std::pair<std::string, std::string>> recurring_problems(const Params& p) {
  std::vector<std::pair<std::string, std::string>> out;
  const bool on = arr_out::on(p);
  if (p.revenue.model != "bookings" && !on)
    out.emplace_back("revenue.model",
                     fmt::format("expected bookings or recurring, found '{}'", p.revenue.model));
  const auto& c = p.compensation.on;
  if (c != "bookings" && c != "acv" && c != "first_year")
    out.emplace_back("compensation.on",
                     fmt::format("expected bookings, acv or first_year, found '{}'", c));
  else if (c != "bookings" && !on)
    out.emplace_back("compensation.on",
                     "'" + c + "' needs revenue.model: recurring (without it there is no ACV)");
  if (p.goal.metric != "bookings" && p.goal.metric != "arr")
    out.emplace_back("goal.metric",
                     fmt::format("expected bookings or arr, found '{}'", p.goal.metric));
  else if (p.goal.metric == "arr" && !on)
    out.emplace_back("goal.metric", "arr needs revenue.model: recurring");
  if (p.customers.count > 0 && !on)
    out.emplace_back("customers.count",
                     "a starting base of contracts needs revenue.model: recurring");
  return out;
}

void init_contracts(const PlanModel& model, ContractBook& b, std::uint64_t path) {
  const Params& P = model.base;
  const int T = term_weeks(P.revenue);
  b.acv.clear(), b.cohort_acv.clear(), b.signed_week.clear(), b.won_acv.clear();
  b.due.resize(std::size_t(T));
  for (auto& d : b.due) d.clear();
  b.bridge.assign(arr_out::bridge_parts * arr_out::quarters(model.horizon), 0.0);
  b.arr = 0, b.week_new = b.week_expansion = b.week_churn = 0;
  // The base: contract i's first anniversary is week floor(i T / count) of the first term, so
  // anniversaries are spread evenly; its ACV is 64-bit slot 1 of (recurring, i, 0).
  const auto count = P.customers.count;
  const auto acv = sim::Lognormal::from_mean_cv(P.customers.acv_mean, P.customers.acv_cv);
  for (std::int64_t i = 0; i < count; ++i) {
    sim::Stream s = model.stream(path, Process::recurring, int(i), 0);
    const int due = int(i * T / count);
    add_contract(b, acv.draw(s.uniform_at(1)), std::numeric_limits<int>::min() / 2, due, T);
  }
  b.first_ramping = b.acv.size();
  b.arr_start = b.arr;
  b.mrr = b.arr / 12;
  if (cohort_week(model.horizon) == 0) snapshot_cohort(b);
}

void step_contracts(WeekContext& cx) {
  ContractBook& b = cx.st.contracts;
  const RevenueParams& R = cx.P.revenue;
  const int t = cx.t, T = int(b.due.size());
  b.week_new = b.week_expansion = b.week_churn = 0;
  if (t > 0 && t == cohort_week(cx.model.horizon)) snapshot_cohort(b);

  // Anniversaries: the contract renews when its uniform (64-bit slot 0 of (recurring, id, t))
  // is below the renewal rate in force, and grows by the expansion rate; else it churns.
  auto& due = b.due[std::size_t(t % T)];
  for (std::size_t k = 0; k < due.size();) {
    const int id = due[k];
    sim::Stream s = cx.stream(Process::recurring, id);
    if (s.uniform_at(0) < R.renewal_rate) {
      const double grow = b.acv[id] * R.expansion_rate;
      b.acv[id] += grow;
      b.week_expansion += grow;
      ++k;
    } else {
      b.week_churn += b.acv[id];
      b.acv[id] = 0;
      due[k] = due.back();
      due.pop_back();
    }
  }
  // A running sum: when every contract has churned its rounding could leave -1.7e-9 or 2.7e-5
  // (ACVs of 1e9): a book with no live contract is worth exactly 0, and ARR is never below 0.
  b.arr = std::max(0.0, b.arr + (b.week_expansion - b.week_churn));  // the sum as it was
  if (b.week_churn > 0 &&
      std::all_of(b.due.begin(), b.due.end(), [](const auto& d) { return d.empty(); }))
    b.arr = 0;

  // The week's won deals, each a contract worth its size a year, first renewing a term later.
  for (double v : b.won_acv) {
    add_contract(b, v, t, t, T);
    b.week_new += v;
  }
  b.won_acv.clear();

  // MRR: ARR less what contracts still ramping do not yet bill. Contracts are signed in order,
  // so those still ramping are the last ones. The ramp is the one in force (a plan may lengthen
  // it from its from_week), so the first ramping contract can move back as well as on; the
  // base, signed long before week 0, has always ramped.
  const double rw = ramp_weeks(R);
  double unbilled = 0;
  if (rw > 0) {
    auto ramped = [&](std::size_t i) { return double(t - b.signed_week[i] + 1) >= rw; };
    while (b.first_ramping > 0 && !ramped(b.first_ramping - 1)) --b.first_ramping;
    while (b.first_ramping < b.acv.size() && ramped(b.first_ramping)) ++b.first_ramping;
    for (std::size_t i = b.first_ramping; i < b.acv.size(); ++i)
      unbilled += b.acv[i] * (1 - double(t - b.signed_week[i] + 1) / rw);
  }
  b.mrr = std::max(0.0, b.arr - unbilled) / 12;

  double* q = &b.bridge[arr_out::bridge_parts * std::size_t(t / kQuarterWeeks)];
  q[arr_out::b_new] += b.week_new;
  q[arr_out::b_expansion] += b.week_expansion;
  q[arr_out::b_churn] += b.week_churn;
}

double commissionable(const WeekContext& cx) {
  const std::string& on = cx.P.compensation.on;
  if (on == "bookings") return cx.st.tally.bookings;
  const ContractBook& b = cx.st.contracts;
  if (on == "acv") return b.week_new + b.week_expansion;
  return b.week_new * first_year_share(cx.P.revenue);  // first_year
}

void write_contracts(const PlanModel& model, const ContractBook& b, double* S) {
  using namespace arr_out;
  S[arr_start] = b.arr_start;
  S[arr_final] = b.arr;
  S[mrr_final] = b.mrr;
  // Retention of the cohort: its ACV now (NRR) and, without expansion, what of it stayed (GRR).
  double kept = 0, kept_now = 0;
  for (std::size_t i = 0; i < b.acv.size(); ++i)
    if (b.cohort_acv[i] > 0 && b.acv[i] > 0) kept += b.cohort_acv[i], kept_now += b.acv[i];
  const double nan = std::numeric_limits<double>::quiet_NaN();
  S[nrr] = b.cohort_arr > 0 ? kept_now / b.cohort_arr : nan;
  S[grr] = b.cohort_arr > 0 ? kept / b.cohort_arr : nan;
  std::copy(b.bridge.begin(), b.bridge.end(), S + first_bridge);
  (void)model;
}

}  // namespace salesim
