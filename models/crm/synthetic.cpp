#include "models/crm/synthetic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/random.hpp"
#include "sim/samplers.hpp"

namespace salesim::crm {
namespace {
double at(const std::vector<double>& v, int age_days) {
  if (v.empty()) return 0;
  return v[std::min<std::size_t>(std::size_t(age_days / 7), v.size() - 1)];
}
}  // namespace

double SyntheticSpec::hazard_win(int a) const { return at(win, a); }
double SyntheticSpec::hazard_loss(int a) const { return at(loss, a); }
double SyntheticSpec::month_factor_win(Day d) const {
  const int m = month_number(d) - month_number(start);
  return m >= 0 && m < int(month_win.size()) ? month_win[m] : 1.0;
}
double SyntheticSpec::month_factor_loss(Day d) const {
  const int m = month_number(d) - month_number(start);
  return m >= 0 && m < int(month_loss.size()) ? month_loss[m] : 1.0;
}

std::string synthetic_export_csv(const SyntheticSpec& s) {
  std::string out =
      "opportunity_id,sales_agent,product,deal_stage,engage_date,close_date,close_value\n";
  double share_total = 0;
  for (const auto& p : s.products) share_total += p.share;
  std::size_t id = 0;
  for (std::size_t r = 0; r < s.rep_rates.size(); ++r) {
    for (Day d = s.start; d <= s.snapshot; ++d) {
      sim::Stream day(sim::Address{s.seed, r, 200, std::uint32_t(d - s.start), 0});
      const auto n = sim::poisson_inv(s.rep_rates[r] / 7, day.uniform_at(0));
      for (std::int64_t j = 0; j < n; ++j) {
        sim::Stream deal(
            sim::Address{s.seed, r, 201, std::uint32_t(d - s.start), std::uint32_t(j)});
        const double target = -std::log(deal.uniform_at(0));
        double H = 0;
        int close = -1;
        // A deal that never closes (its own draw, slot 4: the other draws are unchanged).
        const bool never =
            r < s.rep_never.size() && s.rep_never[r] > 0 && deal.uniform_at(4) < s.rep_never[r];
        for (int a = 0; !never && d + a <= s.snapshot; ++a) {
          H += (s.hazard_win(a) * s.month_factor_win(d + a) +
                s.hazard_loss(a) * s.month_factor_loss(d + a)) /
               7;
          if (H >= target) {
            close = a;
            break;
          }
        }
        const double u = deal.uniform_at(2) * share_total;
        const SyntheticProduct* p = &s.products.back();
        double cum = 0;
        for (const auto& q : s.products)
          if (u <= (cum += q.share)) {
            p = &q;
            break;
          }
        if (close >= 0 && d + close < s.history_start) {
          ++id;  // closed before the history start: not in the export
          continue;
        }
        std::string stage = "Engaging", closed, value;
        if (close >= 0) {
          const double w = s.hazard_win(close) * s.month_factor_win(d + close),
                       l = s.hazard_loss(close) * s.month_factor_loss(d + close);
          const bool won = deal.uniform_at(1) * (w + l) < w;
          stage = won ? "Won" : "Lost";
          closed = format_date(d + close);
          value = won ? fmt::format(
                            "{:.2f}",
                            sim::Lognormal::from_mean_cv(p->mean, p->cv).draw(deal.uniform_at(3)))
                      : "0";
        }
        out += fmt::format("S{:06d},rep{:02d},{},{},{},{},{}\n", id++, r, p->name, stage,
                           format_date(d), closed, value);
      }
    }
  }
  return out;
}

}  // namespace salesim::crm
