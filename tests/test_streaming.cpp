// Streaming mode (salesim run --streaming): the quantile sketch against exact quantiles, moments
// against mean_se, the streaming runner against the storing one (same sums, same figures up to
// rounding, fixed bits for any thread count, memory that does not grow with paths), and the
// whole scenario streamed against stored.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <tuple>

#include "sim/h5.hpp"
#include "sim/stream_runner.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

const std::vector<double> kProbs{0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0};

// The sketch's bound: within relative_error of the larger of the two order statistics that the
// exact quantile interpolates between.
void expect_within_sketch_error(const std::vector<double>& x, const sim::QuantileSketch& s) {
  std::vector<double> v = x;
  std::sort(v.begin(), v.end());
  const auto exact = sim::quantiles(x, kProbs);
  const auto approx = s.quantiles(kProbs);
  for (std::size_t i = 0; i < kProbs.size(); ++i) {
    ASSERT_TRUE(exact[i] && approx[i]) << kProbs[i];
    const double h = (double(v.size()) - 1) * kProbs[i];
    const auto lo = std::size_t(h), hi = std::min(v.size() - 1, lo + 1);
    const double bound = s.relative_error() * std::max(std::abs(v[lo]), std::abs(v[hi])) * 1.0001;
    EXPECT_LE(std::abs(*approx[i] - *exact[i]), bound) << "p = " << kProbs[i];
  }
}

TEST(Sketch, QuantilesWithinTheRelativeErrorOnKnownDistributions) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> lognormal(15.0, 0.4);  // money-like
  std::normal_distribution<double> normal(0.0, 1e6);         // profit-like: both signs
  std::exponential_distribution<double> expo(1.0);
  for (int d = 0; d < 3; ++d) {
    std::vector<double> x(50000);
    sim::QuantileSketch s;
    for (double& v : x) {
      v = d == 0 ? lognormal(rng) : d == 1 ? normal(rng) : expo(rng);
      s.add(v);
    }
    EXPECT_EQ(s.count(), x.size());
    expect_within_sketch_error(x, s);
    // Bins follow the spread of the values, not their number.
    EXPECT_LT(s.bins(), 20000u) << d;
  }
}

TEST(Sketch, DiscreteValuesInfinityAndNanComeOutExact) {
  // Goal weeks: integers, +inf for never; NaN is skipped.
  std::vector<double> x;
  for (int i = 0; i < 1000; ++i) x.push_back(i % 7 == 0 ? INFINITY : double(1 + (i * 37) % 52));
  x.push_back(NAN);
  sim::QuantileSketch s;
  for (double v : x) s.add(v);
  EXPECT_EQ(s.count(), 1000u);
  EXPECT_EQ(s.count_of_inf(), 143u);
  const auto exact = sim::quantiles(x, kProbs), approx = s.quantiles(kProbs);
  for (std::size_t i = 0; i < kProbs.size(); ++i) {
    ASSERT_EQ(exact[i].has_value(), approx[i].has_value()) << kProbs[i];
    if (exact[i]) {
      EXPECT_EQ(*exact[i], *approx[i]) << kProbs[i];
    }
  }
  const std::vector<double> zeros(10, 0.0);
  sim::QuantileSketch z;
  for (double v : zeros) z.add(v);
  EXPECT_EQ(*z.quantiles(kProbs)[5], 0.0);
  EXPECT_FALSE(sim::QuantileSketch().quantiles(kProbs)[0].has_value());
}

TEST(Sketch, MergeOrderDoesNotChangeTheBits) {
  std::mt19937_64 rng(7);
  std::gamma_distribution<double> g(2.0, 3.0);
  sim::QuantileSketch parts[3];
  for (int i = 0; i < 30000; ++i) parts[i % 3].add(g(rng) - 4.0);
  sim::QuantileSketch abc = parts[0], cba = parts[2];
  abc.merge(parts[1]), abc.merge(parts[2]);
  cba.merge(parts[1]), cba.merge(parts[0]);
  const auto a = abc.quantiles(kProbs), b = cba.quantiles(kProbs);
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(std::memcmp(&*a[i], &*b[i], sizeof(double)), 0) << kProbs[i];
}

TEST(Moments, MergedChunksAgreeWithMeanSe) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> nd(1e7, 2e6);
  std::vector<double> x(10000), bits(10000);
  sim::Moments total, share;
  for (std::size_t c = 0; c < x.size(); c += 64) {
    sim::Moments part, part_share;
    for (std::size_t i = c; i < std::min(x.size(), c + 64); ++i) {
      x[i] = i % 97 == 0 ? NAN : nd(rng);
      bits[i] = x[i] > 1e7;
      part.add(x[i]), part_share.add(bits[i]);
    }
    total.merge(part), share.merge(part_share);
  }
  const sim::MeanSe exact = sim::mean_se(x), streamed = total.mean_se();
  EXPECT_EQ(streamed.n, exact.n);
  EXPECT_NEAR(streamed.mean, exact.mean, 1e-12 * std::abs(exact.mean));
  EXPECT_NEAR(streamed.se, exact.se, 1e-9 * exact.se);
  // Shares of 0/1 samples are sums of integers: exact.
  EXPECT_EQ(share.proportion().mean, sim::proportion(bits).mean);
  EXPECT_EQ(share.proportion().se, sim::proportion(bits).se);
}

// A generic path function: values from a hash of the path index.
double uniform(std::uint64_t path, std::uint64_t k) {
  std::uint64_t z = path * 0x9E3779B97F4A7C15ull + k * 0xBF58476D1CE4E5B9ull + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return double((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}
const sim::OutputShape kShape{5, 2, 1, 1};
void toy_path(std::uint64_t path, sim::Scratch&, sim::PathSlots& s) {
  s.scalars[0] = 1 + uniform(path, 0);  // in [1, 2)
  s.scalars[1] = uniform(path, 1) < 0.3;
  for (std::size_t w = 0; w < kShape.weeks; ++w) {
    s.kept[w] = 100 * (w + 1) * uniform(path, 2 + w);
    s.summed[w] = uniform(path, 10 + w);
  }
}
sim::StreamOutput toy_stream(std::size_t paths, int threads) {
  sim::RunOptions o;
  o.paths = paths;
  o.threads = threads;
  sim::StreamSpec spec;
  spec.sketched_scalars = {0};
  return sim::stream_paths(kShape, spec, o, toy_path,
                           [] { return std::make_unique<sim::Scratch>(); });
}

TEST(StreamRunner, AgreesWithTheStoringRunner) {
  sim::RunOptions o;
  o.paths = 1000;
  const sim::RunOutput stored =
      sim::run_paths(kShape, o, toy_path, [] { return std::make_unique<sim::Scratch>(); });
  const sim::StreamOutput so = toy_stream(1000, 0);
  EXPECT_EQ(std::memcmp(stored.sums.data(), so.sums.data(), so.sums.size() * sizeof(double)), 0);
  std::vector<double> col(1000);
  for (std::size_t i = 0; i < 1000; ++i) col[i] = stored.scalar(i, 0);
  EXPECT_NEAR(so.scalars[0].mean_se().mean, sim::mean_se(col).mean, 1e-13);
  EXPECT_NEAR(so.scalars[0].mean_se().se, sim::mean_se(col).se, 1e-12);
  expect_within_sketch_error(col, so.scalar_sketch(0));
  for (std::size_t w = 0; w < kShape.weeks; ++w) {
    const auto week = stored.kept_week(0, w);
    std::vector<double> v(week.begin(), week.end());
    EXPECT_NEAR(so.kept_moments(0, w).mean_se().mean, sim::mean_se(v).mean, 1e-9);
    expect_within_sketch_error(v, so.kept_sketch(0, w));
  }
}

TEST(StreamRunner, SameBitsForAnyThreadCount) {
  const sim::StreamOutput one = toy_stream(3000, 1);
  for (int threads : {2, 3}) {
    const sim::StreamOutput other = toy_stream(3000, threads);
    EXPECT_EQ(std::memcmp(one.sums.data(), other.sums.data(), one.sums.size() * sizeof(double)), 0);
    for (std::size_t k = 0; k < one.scalars.size(); ++k) {
      EXPECT_EQ(std::memcmp(&one.scalars[k], &other.scalars[k], sizeof(sim::Moments)), 0);
    }
    for (std::size_t k = 0; k < one.kept.size(); ++k)
      EXPECT_EQ(std::memcmp(&one.kept[k], &other.kept[k], sizeof(sim::Moments)), 0);
    const auto a = one.scalar_sketch(0).quantiles(kProbs);
    const auto b = other.scalar_sketch(0).quantiles(kProbs);
    for (std::size_t i = 0; i < a.size(); ++i)
      EXPECT_EQ(std::memcmp(&*a[i], &*b[i], sizeof(double)), 0);
  }
}

TEST(StreamRunner, MemoryDoesNotGrowWithPaths) {
  const sim::StreamOutput small = toy_stream(1000, 2), large = toy_stream(300000, 2);
  EXPECT_EQ(large.paths, 300000u);
  EXPECT_EQ(small.working_bytes, large.working_bytes);
  EXPECT_EQ(small.scalars.size(), large.scalars.size());
  EXPECT_EQ(small.kept.size(), large.kept.size());
  // Values in [1, 2) occupy at most ln 2 / ln gamma + 1 bins, however many paths.
  const double gamma = (1 + sim::QuantileSketch::kDefaultRelativeError) /
                       (1 - sim::QuantileSketch::kDefaultRelativeError);
  EXPECT_LE(large.scalar_sketch(0).bins(), std::size_t(std::log(2.0) / std::log(gamma)) + 2);
}

// The figures of a plan as one vector, for bit comparisons across thread counts.
std::vector<double> figures(const PlanResult& r) {
  std::vector<double> v{r.final_bookings.mean, r.final_bookings.se,  r.cost.mean, r.profit.se,
                        r.leavers.mean,        r.burnout_final.mean, r.goal->mean};
  for (const auto& q : r.final_q) v.push_back(q.value_or(-1));
  for (const auto& c : r.checkpoints) v.push_back(c.met.mean), v.push_back(c.bookings.se);
  for (const auto& row : r.weekly.cum_q)
    for (const auto& q : row) v.push_back(q.value_or(-1));
  return v;
}

ScenarioResults run_example(std::size_t paths, int threads, bool streaming) {
  const Scenario sc = load_scenario_file(test::example());
  RunSettings s;
  s.paths = paths;
  s.threads = threads;
  s.streaming = streaming;
  return run_scenario(sc, s);
}

void expect_close(const sim::MeanSe& a, const sim::MeanSe& b, const char* what) {
  EXPECT_EQ(a.n, b.n) << what;
  EXPECT_NEAR(a.mean, b.mean, 1e-9 * std::max(1.0, std::abs(a.mean))) << what;
  EXPECT_NEAR(a.se, b.se, 1e-7 * std::max(1e-3, std::abs(a.se))) << what;
}
void expect_quantiles_close(const Quantiles& exact, const Quantiles& approx, const char* what) {
  ASSERT_EQ(exact.size(), approx.size());
  for (std::size_t i = 0; i < exact.size(); ++i) {
    ASSERT_EQ(exact[i].has_value(), approx[i].has_value()) << what << " " << i;
    if (!exact[i]) continue;
    EXPECT_NEAR(*approx[i], *exact[i],
                sim::QuantileSketch::kDefaultRelativeError * 1.05 * std::abs(*exact[i]) + 1e-9)
        << what << " " << i;
  }
}

TEST(Streaming, ScenarioAgreesWithStoredMode) {
  const ScenarioResults stored = run_example(200, 2, false);
  const ScenarioResults streamed = run_example(200, 2, true);
  EXPECT_TRUE(streamed.streamed);
  ASSERT_EQ(stored.plans.size(), streamed.plans.size());
  for (std::size_t p = 0; p < stored.plans.size(); ++p) {
    const PlanResult &a = stored.plans[p], &b = streamed.plans[p];
    expect_close(a.final_bookings, b.final_bookings, "final bookings");
    expect_close(a.cost, b.cost, "cost");
    expect_close(a.profit, b.profit, "profit");
    expect_close(a.leavers, b.leavers, "leavers");
    expect_close(a.burnout_final, b.burnout_final, "burnout");
    expect_close(a.hours_per_rep_week, b.hours_per_rep_week, "hours");
    EXPECT_EQ(a.goal->mean, b.goal->mean);  // shares are exact
    EXPECT_EQ(a.goal->se, b.goal->se);
    EXPECT_EQ(a.never_share, b.never_share);
    EXPECT_EQ(a.time_to_goal_p50, b.time_to_goal_p50);  // weeks are discrete: exact
    EXPECT_EQ(a.time_to_goal_p90, b.time_to_goal_p90);
    EXPECT_NEAR(*a.shortfall_mean, *b.shortfall_mean, 1e-9 * *a.shortfall_mean);
    EXPECT_EQ(a.rep_weeks, b.rep_weeks);
    expect_quantiles_close(a.final_q, b.final_q, "final bookings");
    for (std::size_t i = 0; i < a.checkpoints.size(); ++i) {
      EXPECT_EQ(a.checkpoints[i].met.mean, b.checkpoints[i].met.mean);
      expect_close(a.checkpoints[i].bookings, b.checkpoints[i].bookings, "checkpoint bookings");
    }
    for (std::size_t w = 0; w < a.weekly.cum_q.size(); ++w) {
      EXPECT_NEAR(a.weekly.cum_mean[w], b.weekly.cum_mean[w], 1e-9 * a.weekly.cum_mean[w]);
      expect_quantiles_close(a.weekly.cum_q[w], b.weekly.cum_q[w], "weekly cumulative");
      expect_quantiles_close(a.weekly.weekly_q[w], b.weekly.weekly_q[w], "weekly");
    }
    EXPECT_EQ(a.weekly.means, b.weekly.means);  // summed series: same reduction, same bits
  }
  for (std::size_t c = 0; c < stored.comparisons.size(); ++c) {
    const Comparison &a = stored.comparisons[c], &b = streamed.comparisons[c];
    EXPECT_EQ(a.p_better, b.p_better);
    expect_close(a.bookings_diff, b.bookings_diff, "bookings diff");
    expect_close(a.cost_diff, b.cost_diff, "cost diff");
    expect_close(a.profit_diff, b.profit_diff, "profit diff");
    expect_close(a.leavers_diff, b.leavers_diff, "leavers diff");
    expect_close(a.burnout_diff, b.burnout_diff, "burnout diff");
    expect_close(*a.goal_diff, *b.goal_diff, "goal diff");
    for (std::size_t i = 0; i < a.checkpoint_diffs.size(); ++i)
      expect_close(a.checkpoint_diffs[i], b.checkpoint_diffs[i], "checkpoint diff");
    ASSERT_EQ(a.roi.has_value(), b.roi.has_value());
    if (a.roi) {
      EXPECT_NEAR(*a.roi, *b.roi, 1e-7 * std::abs(*a.roi));
    }
  }
  EXPECT_THROW(streamed.plans[0].column(out::final_bookings), std::logic_error);
}

// Recurring revenue with its goal on ARR (the goal, its shortfall and the checkpoints count
// ARR): the same figures as the stored run, up to summation order and the sketch's error.
TEST(Streaming, RecurringRevenueAgreesWithStoredMode) {
  const Scenario sc = load_scenario_file(test::source_dir() + "/scenarios/saas-renewals.yaml");
  ASSERT_EQ(sc.base.goal.metric, "arr");
  RunSettings s;
  s.paths = 150;
  s.threads = 2;
  const ScenarioResults stored = run_scenario(sc, s);
  s.streaming = true;
  const ScenarioResults streamed = run_scenario(sc, s);
  s.threads = 1;
  const ScenarioResults one_thread = run_scenario(sc, s);
  for (std::size_t p = 0; p < stored.plans.size(); ++p) {
    const PlanResult &a = stored.plans[p], &b = streamed.plans[p];
    ASSERT_TRUE(a.recurring && b.recurring) << p;
    const RecurringResult &x = *a.recurring, &y = *b.recurring;
    EXPECT_EQ(a.goal->mean, b.goal->mean);
    EXPECT_NEAR(*a.shortfall_mean, *b.shortfall_mean, 1e-9 * *a.shortfall_mean);
    for (std::size_t i = 0; i < a.checkpoints.size(); ++i)  // ARR at the week, not bookings
      expect_close(a.checkpoints[i].bookings, b.checkpoints[i].bookings, "checkpoint ARR");
    for (auto [f, g, what] : {std::tuple{&x.arr_start, &y.arr_start, "ARR at the start"},
                              {&x.arr_final, &y.arr_final, "final ARR"},
                              {&x.mrr_final, &y.mrr_final, "final MRR"},
                              {&x.nrr, &y.nrr, "NRR"},
                              {&x.grr, &y.grr, "GRR"}}) {
      expect_close(f->est, g->est, what);
      expect_quantiles_close(f->q, g->q, what);
    }
    EXPECT_EQ(x.retention_from_week, y.retention_from_week);
    ASSERT_EQ(x.arr_mean.size(), y.arr_mean.size());
    for (std::size_t w = 0; w < x.arr_mean.size(); ++w) {
      EXPECT_NEAR(x.arr_mean[w], y.arr_mean[w], 1e-9 * x.arr_mean[w]) << w;
      EXPECT_NEAR(x.mrr_mean[w], y.mrr_mean[w], 1e-9 * x.mrr_mean[w]) << w;
      expect_quantiles_close(x.arr_q[w], y.arr_q[w], "weekly ARR");
      expect_quantiles_close(x.mrr_q[w], y.mrr_q[w], "weekly MRR");
    }
    ASSERT_EQ(x.bridge.size(), y.bridge.size());
    for (std::size_t q = 0; q < x.bridge.size(); ++q) {
      EXPECT_NEAR(x.bridge[q].opening, y.bridge[q].opening, 1e-9 * x.bridge[q].opening);
      expect_close(x.bridge[q].added, y.bridge[q].added, "new ACV");
      expect_close(x.bridge[q].expansion, y.bridge[q].expansion, "expansion");
      expect_close(x.bridge[q].churn, y.bridge[q].churn, "churn");
    }
    // Any thread count, the same bits.
    const RecurringResult& z = *one_thread.plans[p].recurring;
    EXPECT_EQ(y.arr_final.est.mean, z.arr_final.est.mean);
    EXPECT_EQ(y.arr_final.q, z.arr_final.q);
    EXPECT_EQ(y.arr_q, z.arr_q);
  }
  ASSERT_FALSE(stored.comparisons.empty());
  for (std::size_t c = 0; c < stored.comparisons.size(); ++c) {
    const ArrFinalDiff &a = *stored.comparisons[c].arr_final_diff,
                       &b = *streamed.comparisons[c].arr_final_diff;
    expect_close(a, b, "final ARR diff");
    EXPECT_EQ(a.p_better, b.p_better);
    expect_close(a.start, b.start, "start diff");
    expect_close(a.added, b.added, "new ACV diff");
    expect_close(a.expansion, b.expansion, "expansion diff");
    expect_close(a.churn, b.churn, "churn diff");
    EXPECT_GT(std::abs(a.mean), 0.0);  // the plans differ, so the comparison says something
    EXPECT_EQ(b.mean, one_thread.comparisons[c].arr_final_diff->mean);
  }
}

TEST(Streaming, SameBitsForAnyThreadCount) {
  const ScenarioResults one = run_example(130, 1, true);
  for (int threads : {2, 3}) {
    const ScenarioResults other = run_example(130, threads, true);
    for (std::size_t p = 0; p < one.plans.size(); ++p) {
      const auto a = figures(one.plans[p]), b = figures(other.plans[p]);
      ASSERT_EQ(a.size(), b.size());
      EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)), 0) << threads;
    }
    for (std::size_t c = 0; c < one.comparisons.size(); ++c) {
      const Comparison &a = one.comparisons[c], &b = other.comparisons[c];
      const double x[] = {a.bookings_diff.mean, a.bookings_diff.se, a.profit_diff.se, a.p_better};
      const double y[] = {b.bookings_diff.mean, b.bookings_diff.se, b.profit_diff.se, b.p_better};
      EXPECT_EQ(std::memcmp(x, y, sizeof x), 0) << threads;
    }
  }
}

// The same JSON keys as stored mode, and a results file that says it has no per-path data.
TEST(Streaming, CliKeepsTheJsonKeysAndMarksTheResultsFile) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "salesim-streaming-cli";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string run = test::binary() + " run " + test::example() + " --paths 64 --quiet";
  const auto a = (dir / "a.json").string(), b = (dir / "b.json").string();
  const auto h5 = (dir / "b.h5").string();
  ASSERT_EQ(test::shell(run + " --json " + a), 0);
  ASSERT_EQ(test::shell(run + " --streaming --json " + b + " -o " + h5), 0);
  const nlohmann::json ja = nlohmann::json::parse(test::read_file(a)).flatten();
  const nlohmann::json jb = nlohmann::json::parse(test::read_file(b)).flatten();
  EXPECT_EQ(ja.size(), jb.size());
  for (auto it = ja.begin(); it != ja.end(); ++it) EXPECT_TRUE(jb.contains(it.key())) << it.key();

  const auto f = sim::h5::File::open_read(h5);
  EXPECT_EQ(f.attr_int("per_path"), 0);
  EXPECT_EQ(f.attr_string("format_version"), "1.6");
  EXPECT_EQ(f.attr_string("goal_metric"), "bookings");
  EXPECT_EQ(f.attr_int("model_version"), 2);
  EXPECT_GT(f.attr_double("quantile_relative_error"), 0.0);
  const auto plans = f.open_group("plans");
  const auto baseline = plans.open_group("baseline");
  EXPECT_FALSE(baseline.has("paths"));
  EXPECT_TRUE(baseline.has("weekly"));
  EXPECT_TRUE(baseline.has("checkpoints"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace salesim
