// Forecasting from a CRM export (models/crm): the CSV reader, the import and its quality report,
// calibration with censoring (recovery of known parameters from a synthetic export), the
// forecast's determinism and its agreement with the hazards, and the commands end to end.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "crm_checks.hpp"
#include "crm_truth.hpp"
#include "models/crm/backtest.hpp"
#include "models/crm/calibrate.hpp"
#include "models/crm/csv.hpp"
#include "models/crm/drift.hpp"
#include "models/crm/errors.hpp"
#include "models/crm/export.hpp"
#include "models/crm/forecast.hpp"
#include "models/crm/report.hpp"
#include "models/crm/scenario_writer.hpp"
#include "models/crm/scoring.hpp"
#include "models/crm/synthetic.hpp"
#include "models/format_upgrade.hpp"
#include "sim/random.hpp"
#include "sim/samplers.hpp"
#include "test_support.hpp"
#include "tools/charts.hpp"

namespace salesim::crm {
namespace {

namespace fs = std::filesystem;

using checks::day;
using checks::sample;
using checks::sample_dir;

// The synthetic team of the recovery tests: known hazards by age week (losses early, wins
// later, none after ten weeks: a deal that old goes stale), two products, rates per rep.
SyntheticSpec spec(std::vector<double> rates, std::uint64_t seed) {
  SyntheticSpec s;
  s.start = day("2023-01-02");
  s.snapshot = s.start + 7 * 30 - 1;
  s.rep_rates = std::move(rates);
  s.win = {0.02, 0.02, 0.02, 0.02, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.0};
  s.loss = {0.08, 0.08, 0.08, 0.08, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.0};
  s.products = {{"Small", 1000, 0.2, 0.7}, {"Large", 20000, 0.4, 0.3}};
  s.seed = seed;
  return s;
}

using truth::true_p_win;

TEST(Crm, CsvReadsQuotedFieldsCrlfAndEmbeddedLineBreaks) {
  const CsvTable t = parse_csv(
      "\xEF\xBB\xBFid, name ,note\r\n1,\"Smith, J\",\"said "
      "\"\"hi\"\"\"\r\n\r\n2,x,\"two\nlines\"\r\n3,,",
      "t.csv");
  ASSERT_EQ(t.header, (std::vector<std::string>{"id", "name", "note"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].fields[1], "Smith, J");
  EXPECT_EQ(t.rows[0].fields[2], "said \"hi\"");
  EXPECT_EQ(t.rows[1].fields[2], "two\nlines");
  EXPECT_EQ(t.rows[1].line, 4u);
  EXPECT_EQ(t.rows[2].fields, (std::vector<std::string>{"3", "", ""}));
  EXPECT_EQ(t.column("NAME"), 1);
  EXPECT_THROW(parse_csv("a,b\n1,\"open", "u.csv"), InputError);
}

TEST(Crm, DatesParseTheMappedLayoutAndRejectImpossibleDays) {
  EXPECT_EQ(format_date(*parse_date("2017-03-31")), "2017-03-31");
  EXPECT_EQ(*parse_date("2017-03-31T10:00:00"), *parse_date("2017-03-31"));
  EXPECT_EQ(*parse_date("31/03/2017", DateFormat::day_month_year), *parse_date("2017-03-31"));
  EXPECT_EQ(*parse_date("03/31/2017", DateFormat::month_day_year), *parse_date("2017-03-31"));
  EXPECT_FALSE(parse_date("2017-02-30"));
  EXPECT_FALSE(parse_date("31/03/2017"));
  EXPECT_FALSE(parse_date("soon"));
  EXPECT_EQ(month_of_quarter(*parse_date("2017-05-15")), 2);
  EXPECT_EQ(format_date(quarter_start(*parse_date("2017-05-15"))), "2017-04-01");
}

TEST(Crm, SampleImportReportFindsTheProductMismatch) {
  const Export e = import_export(sample(), load_mapping(sample_dir() + "/mapping.yaml"));
  const QualityReport& q = e.quality;
  EXPECT_EQ(q.rows_read, 4365u);
  EXPECT_EQ(q.rows_kept + q.rows_excluded, q.rows_read);
  EXPECT_EQ(q.won, 1785u);
  EXPECT_EQ(q.lost, 894u);
  EXPECT_EQ(q.open, 1686u);
  ASSERT_EQ(q.product_matches.count("GTXPro"), 1u);
  EXPECT_EQ(q.product_matches.at("GTXPro"), "GTX Pro");
  std::size_t unpriced = 0;
  for (const auto& c : q.checks)
    if (c.reason.find("price list") != std::string::npos) unpriced = c.rows;
  EXPECT_EQ(unpriced, 742u);
  EXPECT_EQ(q.org_owners_without_deals.size(), 5u);
  EXPECT_EQ(format_date(e.export_date), "2017-06-30");
  EXPECT_NE(format_quality(q).find("'GTXPro': 742 rows"), std::string::npos);
}

TEST(Crm, ImportCountsEveryExcludedRowWithItsReason) {
  const std::string csv =
      "opportunity_id,sales_agent,product,deal_stage,engage_date,close_date,close_value\n"
      "A,ann,X,Won,2023-01-02,2023-02-01,100\n"
      "B,ann,X,Won,2023-01-02,2023-02-01,\n"     // won without an amount: kept
      "C,bob,Y,Lost,2023-13-02,2023-02-01,0\n"   // unparseable created date
      "D,bob,X,Won,2023-03-01,2023-02-01,50\n"   // closes before engagement
      "A,bob,X,Won,2023-01-02,2023-02-01,100\n"  // duplicate id
      "E,,X,Won,2023-01-02,2023-02-01,5\n"       // missing owner of a closed deal
      "I,,X,Engaging,2023-01-02,,\n"             // an open lead without owner: kept, unassigned
      "F,bob,X,Lost,2023-01-02,,0\n"             // closed without a close date
      "G,bob,X,Engaging,2023-01-05,,\n"
      "H,bob,X,Engaging,2023-01-05\n";  // wrong number of fields
  const Export e = import_export_text(csv, "x.csv", checks::sample_mapping());
  const QualityReport& q = e.quality;
  EXPECT_EQ(q.rows_read, 10u);
  EXPECT_EQ(q.rows_kept, 4u);
  EXPECT_EQ(q.rows_excluded, 6u);
  std::size_t excluded = 0;
  for (const auto& c : q.checks)
    if (c.excluded) excluded += c.rows;
  EXPECT_EQ(excluded, q.rows_excluded) << "every excluded row has a reason";
  auto rows = [&](const std::string& prefix) {
    for (const auto& c : q.checks)
      if (c.reason.rfind(prefix, 0) == 0) return c.rows;
    ADD_FAILURE() << "no check " << prefix;
    return std::size_t(0);
  };
  EXPECT_EQ(rows("unparseable created"), 1u);
  EXPECT_EQ(rows("closes before engagement"), 1u);
  EXPECT_EQ(rows("duplicate id"), 1u);
  EXPECT_EQ(rows("missing owner"), 1u);
  EXPECT_EQ(rows("open without an owner"), 1u);
  EXPECT_EQ(rows("won or lost without a close date"), 1u);
  EXPECT_EQ(rows("wrong number of fields"), 1u);
  EXPECT_EQ(rows("won without an amount"), 1u);
  EXPECT_EQ(rows("unparseable close date"), 0u);
}

TEST(Crm, MappingErrorsNameTheFileTheFieldAndTheMissingColumn) {
  ColumnMapping m = checks::sample_mapping();
  apply_map_option(m, "owner=sales_agnt");
  try {
    import_export(sample(), m);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("sales_pipeline_asof_2017-06-30.csv"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'sales_agnt'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("owner"), std::string::npos) << msg;
    EXPECT_NE(msg.find("did you mean 'sales_agent'"), std::string::npos) << msg;
  }
  ColumnMapping none;  // nothing mapped: the export has no column named "owner"
  try {
    import_export(sample(), none);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("required field 'owner'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(apply_map_option(none, "ownr=x"), InputError);
}

// A mapping file is one YAML document: a second one would be ignored silently by the reader.
TEST(Crm, AMappingWithASecondYamlDocumentIsRefusedAtItsLine) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("salesim-mapping-two-docs-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "columns: {owner: sales_agent}\n---\ncolumns: {owner: x}\n";
  try {
    load_mapping(path.string());
    ADD_FAILURE() << "a second document was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + ":2: a second YAML document"),
              std::string::npos)
        << e.what();
  }
  std::ofstream(path) << "columns: {owner: sales_agent}\n---\n# only a comment\n";
  EXPECT_NO_THROW(load_mapping(path.string()));
  std::filesystem::remove(path);
}

// One column for two fields (closed: engage_date) closed every deal the day it was created; a
// list inside a status list threw yaml-cpp's "bad conversion" (exit 1, naming nothing); a
// column given as a list read as column ''.
TEST(Crm, AMappingThatCannotMeanAnExportIsRefusedNamingItsKey) {
  ColumnMapping m = checks::sample_mapping();
  apply_map_option(m, "closed=engage_date");
  try {
    import_export(sample(), m);
    ADD_FAILURE() << "one column for two fields was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "the column 'engage_date' is mapped to two fields, closed (by --map) and "
                  "created (by "),
              std::string::npos)
        << e.what();
  }
  const auto path = std::filesystem::temp_directory_path() /
                    ("salesim-mapping-shapes-" + std::to_string(::getpid()) + ".yaml");
  for (const auto& [yaml, says] : std::vector<std::pair<std::string, std::string>>{
           {"status: {won: [[Won]]}\n",
            "status.won: expected a list of stage values, each a text such as Won"},
           {"columns: {owner: [sales_agent]}\n",
            "columns.owner: expected the name of a column of the export"}}) {
    std::ofstream(path) << yaml;
    try {
      load_mapping(path.string());
      ADD_FAILURE() << yaml;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(path.string() + ": " + says), std::string::npos)
          << e.what();
    }
  }
  std::filesystem::remove(path);
}

TEST(Crm, EveryDealStillOpenGivesNoWinRateRatherThanZero) {
  std::string csv =
      "opportunity_id,sales_agent,product,deal_stage,engage_date,close_date,close_value\n";
  for (int i = 0; i < 60; ++i)
    csv += fmt::format("O{},rep{},X,Engaging,{},,\n", i, i % 4, format_date(day("2023-01-02") + i));
  const Export e = import_export_text(csv, "open.csv", checks::sample_mapping());
  CalibrationOptions o;
  o.as_of = e.export_date;
  const Calibration c = calibrate(e, o);
  EXPECT_FALSE(c.hazards.has_value());
  EXPECT_FALSE(c.new_deal.has_value()) << "no win probability, and certainly not 0";
  ASSERT_TRUE(c.missing_for_forecast().has_value());
  EXPECT_NE(c.missing_for_forecast()->find("censored"), std::string::npos);
  EXPECT_THROW(forecast(c, ForecastOptions{}), InputError);
}

// Calibrating a synthetic export recovers the hazards, the eventual win probability, the
// deal sizes and the creation rate within their standard errors, although half of the deals
// are still open (censored) on the day; the naive share of won among closed deals is not.
TEST(Crm, CalibrationRecoversKnownParametersWithinTheirStandardErrors) {
  const SyntheticSpec s = spec(std::vector<double>(40, 4.0), 11);
  const Export e =
      import_export_text(synthetic_export_csv(s), "synthetic.csv", checks::sample_mapping());
  CalibrationOptions o;
  o.as_of = s.start + 7 * 14 - 1;  // fourteen weeks in: every deal is younger than that
  const Calibration c = calibrate(e, o);
  ASSERT_TRUE(c.hazards && c.sizes && c.creation);
  ASSERT_GT(c.history.open(), c.history.deals.size() / 3) << "the test needs censoring";

  // Each band against the exposure-weighted true hazard over its weeks.
  const AgeTable t = tabulate(c.history, *c.history_start);
  double z2 = 0;
  int k = 0;
  for (const HazardBand& b : c.hazards->bands) {
    if (b.to_week < 0 || b.wins + b.losses < 10) continue;
    double ew = 0, el = 0, ex = 0;
    for (int w = b.from_week; w <= b.to_week; ++w) {
      ew += t.exposure_days[w] * s.hazard_win(7 * w);
      el += t.exposure_days[w] * s.hazard_loss(7 * w);
      ex += t.exposure_days[w];
    }
    for (auto [est, se, truth] :
         {std::tuple{b.win, b.win_se, ew / ex}, std::tuple{b.loss, b.loss_se, el / ex}}) {
      const double sd = std::sqrt(truth / b.exposure_weeks);  // se under the truth
      EXPECT_LT(std::abs(est - truth), 4 * sd)
          << "weeks " << b.from_week << "-" << b.to_week << " est " << est << " true " << truth;
      z2 += (est - truth) * (est - truth) / (sd * sd);
      ++k;
    }
  }
  ASSERT_GT(k, 10);
  const double crit = boost::math::quantile(boost::math::chi_squared(k), 0.999);
  EXPECT_LT(z2, crit) << "sum of squared z over " << k << " band rates";

  const double p = true_p_win(s);
  EXPECT_LT(std::abs(c.new_deal->p_win - p), 3 * c.p_win_se)
      << "estimate " << c.new_deal->p_win << " se " << c.p_win_se << " true " << p;
  EXPECT_GT(std::abs(c.p_win_naive - p), 3 * c.p_win_se)
      << "the data must be censored enough for ignoring censoring to show";

  for (const auto& truth : s.products) {
    const SizeEstimate& est = c.sizes->of(truth.name);
    ASSERT_EQ(est.product, truth.name);
    EXPECT_LT(std::abs(est.mean - truth.mean), 3 * est.mean_se) << truth.name;
    EXPECT_LT(std::abs(est.mix - truth.share),
              3 * std::sqrt(truth.share * (1 - truth.share) / c.creation->created));
  }
  EXPECT_LT(std::abs(c.creation->per_rep_week - 4.0), 3 * c.creation->per_rep_week_se)
      << c.creation->per_rep_week << " se " << c.creation->per_rep_week_se;
  EXPECT_FALSE(c.creation->season.used) << "no seasonality was put in";
}

TEST(Crm, RepDifferencesAreFoundWhenRealAndShrunkTowardTheTeam) {
  std::vector<double> rates;
  for (int r = 0; r < 12; ++r) rates.push_back(r < 6 ? 2.0 : 6.0);
  const SyntheticSpec s = spec(rates, 5);
  const Export e =
      import_export_text(synthetic_export_csv(s), "reps.csv", checks::sample_mapping());
  CalibrationOptions o;
  o.as_of = s.snapshot;
  const Calibration c = calibrate(e, o);
  ASSERT_TRUE(c.creation);
  const Shrinkage& sh = c.creation->rep_rates;
  EXPECT_TRUE(sh.test.distinguishable) << "p = " << sh.test.p_value;
  for (const auto& r : sh.reps) {
    const double truth = (r.owner < "rep06" ? 2.0 : 6.0) / 4.0;  // factor on the team mean 4
    EXPECT_LT(std::abs(r.shrunk - truth), 4 * r.se) << r.owner;
    EXPECT_LE(std::abs(r.shrunk - 1), std::abs(r.raw - 1) + 1e-12) << "shrunk toward the team";
  }
  // Wins follow the same hazards for every rep: their factors are not told apart from noise.
  EXPECT_FALSE(c.win_reps.test.distinguishable) << "p = " << c.win_reps.test.p_value;
}

TEST(Crm, ForecastIsTheSameBitsForAnyThreadCount) {
  const SyntheticSpec s = spec(std::vector<double>(8, 3.0), 3);
  const Export e = import_export_text(synthetic_export_csv(s), "det.csv", checks::sample_mapping());
  CalibrationOptions co;
  co.as_of = s.snapshot - 40;
  const Calibration c = calibrate(e, co);
  ForecastOptions o;
  o.paths = 300, o.weeks = 6, o.seed = 99;
  const ForecastResult a = checks::expect_same_bits_for_any_thread_count(c, o);
  o.seed = 100;
  EXPECT_NE(forecast(c, o).total.mean, a.total.mean) << "the seed matters";
}

// Without parameter uncertainty, the mean bookings from the open pipeline are the sum over open
// deals of P(won within the horizon) times the mean size: the Monte Carlo mean must agree
// within its standard error.
TEST(Crm, ForecastOfTheOpenPipelineAgreesWithItsHazards) {
  const SyntheticSpec s = spec(std::vector<double>(10, 3.0), 21);
  const Export e =
      import_export_text(synthetic_export_csv(s), "open.csv", checks::sample_mapping());
  CalibrationOptions co;
  co.as_of = s.snapshot - 56;
  const Calibration c = calibrate(e, co);
  ForecastOptions o;
  o.paths = 2000, o.weeks = 8, o.parameter_uncertainty = false;
  const ForecastResult f = forecast(c, o);
  double expected = 0;
  for (const KnownDeal& d : c.history.deals) {
    if (d.outcome != Outcome::open) continue;
    const int age0 = c.history.as_of + 1 - d.created;
    const double wf = c.win_reps.reps[d.owner].shrunk, lf = c.loss_reps.reps[d.owner].shrunk;
    expected += eventual(*c.hazards, age0, wf, lf, age0 + 7 * o.weeks).p_win *
                c.sizes->of(d.source->product).mean;
  }
  std::vector<double> open(o.paths);
  for (std::size_t p = 0; p < o.paths; ++p) open[p] = f.run.scalar(p, fc::open);
  const sim::MeanSe m = sim::mean_se(open);
  EXPECT_LT(std::abs(m.mean - expected), 4 * m.se) << m.mean << " vs " << expected;
}

TEST(Crm, StaleDealsOfTheSampleAlmostNeverClose) {
  const Export e = import_export(sample(), load_mapping(sample_dir() + "/mapping.yaml"));
  CalibrationOptions o;
  o.as_of = e.export_date;
  const Calibration c = calibrate(e, o);
  ASSERT_TRUE(c.hazards);
  EXPECT_GT(c.open.stale, 100u) << "the sample has many deals older than any close";
  const int stale_age = 7 * c.hazards->tail_from_week;
  const double p13 = eventual(*c.hazards, stale_age, 1, 1, stale_age + 91).p_win;
  const double fresh = eventual(*c.hazards, 0, 1, 1, 91).p_win;
  EXPECT_LT(p13, 0.03) << "a stale deal's chance to be won within a quarter";
  EXPECT_GT(fresh, 10 * p13);
}

TEST(Crm, CrpsMatchesItsClosedForm) {
  std::vector<double> u(4000);
  for (std::size_t i = 0; i < u.size(); ++i) u[i] = (double(i) + 0.5) / double(u.size());
  for (double y : {0.5, 0.2, 1.5}) {
    // CRPS of U(0,1) at y: E|X-y| - 1/6.
    const double e_abs = y <= 1 ? (y * y + (1 - y) * (1 - y)) / 2 : y - 0.5;
    EXPECT_NEAR(crps(u, y), e_abs - 1.0 / 6, 1e-6) << y;
  }
  const std::vector<double> point(10, 3.0);
  EXPECT_NEAR(crps(point, 5.0), 2.0, 1e-12);
  EXPECT_DOUBLE_EQ(pit(u, 0.25), 0.25);
  // Ties count half: nothing forecast and nothing happened is the middle, not the top.
  EXPECT_DOUBLE_EQ(pit(std::vector<double>(10, 0.0), 0.0), 0.5);
  EXPECT_DOUBLE_EQ(pit(std::vector<double>{0, 0, 1, 2}, 0.0), 0.25);
}

// The month-to-month variance of a level, estimated from counts O_m ~ Poisson(E_m theta_m) with
// theta_m ~ Gamma(mean 1, variance tau^2): the moment estimate is within 3 of its standard
// errors (var ~ sum 2 (1 + E tau^2)^2 / (sum E)^2) of the truth, and finds nothing when
// there is nothing. The prior is pooled as the weights say.
TEST(Crm, MonthVariationEstimateRecoversTheVarianceOfMonthlyLevels) {
  const int M = 300;
  for (double tau2 : {0.0, 0.09}) {
    std::vector<double> o(M), e(M);
    double sum_e = 0, var = 0;
    for (int m = 0; m < M; ++m) {
      e[m] = 40 + 2 * (m % 50);
      sim::Stream s(sim::Address{7, std::uint64_t(m), 0x77, 0, 0});
      double theta = 1;
      if (tau2 > 0) {
        boost::random::gamma_distribution<double> g(1 / tau2, tau2);
        theta = g(s);
      }
      o[m] = double(sim::poisson_inv(e[m] * theta, s.uniform_at(100)));
      sum_e += e[m];
      var += 2 * (1 + e[m] * tau2) * (1 + e[m] * tau2);
    }
    const double se = std::sqrt(var) / sum_e;
    const LevelVariation v = level_variation(o, e, DriftPrior{0.3, 0});
    EXPECT_EQ(v.df, M - 1);
    EXPECT_LT(std::abs(v.tau2_data - tau2), 3 * se) << "tau2 " << tau2 << " est " << v.tau2_data;
    EXPECT_DOUBLE_EQ(v.tau2, v.tau2_data) << "a prior of weight 0 is no prior";
    if (tau2 == 0) {
      EXPECT_GT(v.p_value, 0.001) << "no variation put in";
    } else {
      EXPECT_LT(v.p_value, 1e-6) << "variation put in";
    }
    const LevelVariation p = level_variation(o, e, DriftPrior{0.3, 2});
    EXPECT_NEAR(p.tau2, (2 * 0.09 + (M - 1) * v.tau2_data) / (2 + M - 1), 1e-12);
  }
  // One month: nothing is estimable from the data, the prior is all there is.
  const LevelVariation one = level_variation({100}, {80}, DriftPrior{0.25, 2});
  EXPECT_EQ(one.df, 0);
  EXPECT_DOUBLE_EQ(one.tau2_data, 0);
  EXPECT_DOUBLE_EQ(one.tau2, 0.0625);
}

// End to end on synthetic exports: month factors put on the hazards are found (the test of no
// variation rejects, the estimate is of the size put in), a stationary team shows none.
TEST(Crm, MonthVariationIsFoundInTheHistoryWhenItIsThere) {
  SyntheticSpec s = spec(std::vector<double>(30, 4.0), 17);
  CalibrationOptions o;
  o.as_of = s.snapshot;
  o.drift_prior = DriftPrior{0.3, 0};
  {
    const Export e =
        import_export_text(synthetic_export_csv(s), "flat.csv", checks::sample_mapping());
    const Calibration c = calibrate(e, o);
    ASSERT_TRUE(c.drift);
    ASSERT_GE(c.drift->win.df, 5);
    EXPECT_GT(c.drift->win.p_value, 0.001);
    EXPECT_GT(c.drift->loss.p_value, 0.001);
    EXPECT_TRUE(c.warnings.empty()) << "30 weeks of closes are not a short history";
  }
  s.month_win = {1.0, 1.5, 0.7, 1.3, 0.6, 1.4, 0.8, 1.2};
  s.month_loss = {1.0, 0.7, 1.5, 0.8, 1.4, 0.6, 1.3, 0.9};
  const Export e =
      import_export_text(synthetic_export_csv(s), "drift.csv", checks::sample_mapping());
  const Calibration c = calibrate(e, o);
  ASSERT_TRUE(c.drift);
  EXPECT_LT(c.drift->win.p_value, 1e-6);
  EXPECT_LT(c.drift->loss.p_value, 1e-6);
  // The factors' own variance, weighted as the estimator weighs the months, against the
  // estimate: the Poisson noise of the estimate is small next to it, the confounding of month
  // and age in the hazards is not, hence the wide bracket (a factor 2 either way).
  auto weighted_variance = [&](const std::vector<double>& f, bool wins) {
    double se = 0, sef = 0, se2 = 0, sq = 0;
    for (std::size_t m = 0; m < c.drift->months.size(); ++m) {
      const MonthCounts& k = c.drift->months[m];
      const double e_m = wins ? k.expected_wins : k.expected_losses;
      se += e_m, sef += e_m * f[m], se2 += e_m * e_m;
    }
    for (std::size_t m = 0; m < c.drift->months.size(); ++m) {
      const MonthCounts& k = c.drift->months[m];
      const double e_m = wins ? k.expected_wins : k.expected_losses, r = f[m] / (sef / se) - 1;
      sq += e_m * r * r;
    }
    return sq / (se - se2 / se);
  };
  const double win_truth = weighted_variance(s.month_win, true);
  const double loss_truth = weighted_variance(s.month_loss, false);
  EXPECT_GT(c.drift->win.tau2_data, win_truth / 2) << win_truth;
  EXPECT_LT(c.drift->win.tau2_data, win_truth * 2) << win_truth;
  EXPECT_GT(c.drift->loss.tau2_data, loss_truth / 2) << loss_truth;
  EXPECT_LT(c.drift->loss.tau2_data, loss_truth * 2) << loss_truth;
}

// On 2017-03-31 the sample's close history is one month (March): the calibration says so, the
// month variation is the prior's, and the forecast's interval is wider than without it.
TEST(Crm, ShortCloseHistoryIsWarnedAboutAndWidensTheInterval) {
  const Export e = import_export(sample(), load_mapping(sample_dir() + "/mapping.yaml"));
  CalibrationOptions o;
  o.as_of = day("2017-03-31");
  const Calibration c = calibrate(e, o);
  ASSERT_TRUE(c.drift);
  EXPECT_EQ(c.drift->history_weeks, 4);
  EXPECT_EQ(c.drift->months.size(), 1u);
  EXPECT_EQ(c.drift->win.df, 0);
  EXPECT_DOUBLE_EQ(c.drift->win.tau2, o.drift_prior.sd * o.drift_prior.sd);
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("only 4 weeks of closes before 2017-03-31"), std::string::npos)
      << c.warnings[0];
  ForecastOptions f;
  f.paths = 400, f.weeks = 4;
  const ForecastResult with = forecast(c, f);
  EXPECT_DOUBLE_EQ(with.month_sd_win, 0.3);
  ASSERT_EQ(with.warnings.size(), 1u);
  CalibrationOptions none = o;
  none.drift_prior = DriftPrior{0, 0};
  const ForecastResult without = forecast(calibrate(e, none), f);
  EXPECT_EQ(without.month_sd_win, 0);
  // The open pipeline's P10-P90 width: with one month of history and a month sd of 0.3, the
  // level's log sd is about sqrt(0.09 + 0.09) on wins and on losses; without it, about
  // 1/sqrt(wins) = 0.04. The width must grow by far more than its Monte Carlo noise.
  const double w1 = with.from_open.p90 - with.from_open.p10;
  const double w0 = without.from_open.p90 - without.from_open.p10;
  EXPECT_GT(w1, 2 * w0) << w1 << " vs " << w0;
  o.as_of = day("2017-06-30");
  EXPECT_TRUE(calibrate(e, o).warnings.empty()) << "four months of closes";
}

// The sample's text with `edit` applied to it (tests of bad rows in an otherwise good export).
std::string sample_text() { return test::read_file(sample()); }
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}
const QualityCheck& check_named(const QualityReport& q, const std::string& prefix) {
  for (const auto& c : q.checks)
    if (c.reason.rfind(prefix, 0) == 0) return c;
  ADD_FAILURE() << "no check " << prefix;
  return q.checks.front();
}

TEST(Crm, BytesThatAreNotUtf8AreReplacedAndCountedWithTheirLineAndColumn) {
  const std::string fffd = "\xEF\xBF\xBD";
  auto repaired = [](std::string s) {
    const std::size_t n = repair_utf8(s);
    return std::pair{s, n};
  };
  EXPECT_EQ(repaired("Jos\xE9"), std::pair(std::string("Jos") + fffd, std::size_t(1)));
  EXPECT_EQ(repaired("Jos\xC3\xA9 \xF0\x9F\x98\x80").second, 0u) << "valid UTF-8 is kept";
  EXPECT_EQ(repaired("\xC0\xAF").second, 2u) << "overlong";
  EXPECT_EQ(repaired("\xED\xA0\x80").second, 3u) << "surrogate";
  EXPECT_EQ(repaired("\xF4\x90\x80\x80").second, 4u) << "above U+10FFFF";
  EXPECT_EQ(repaired("a\xE2\x82").second, 2u) << "truncated";

  // One Latin-1 byte in an owner name: the row is kept, the byte replaced and counted.
  const ColumnMapping m = load_mapping(sample_dir() + "/mapping.yaml");
  const Export e = import_export_text(
      replaced(sample_text(), "1C1I7A6R,Moses Frase", "1C1I7A6R,Moses Fr\xE4se"), "x.csv", m);
  EXPECT_EQ(e.quality.rows_kept, 4365u);
  const QualityCheck& c = check_named(e.quality, "bytes that are not UTF-8");
  EXPECT_FALSE(c.excluded);
  EXPECT_EQ(c.rows, 1u);
  ASSERT_EQ(c.examples.size(), 1u);
  EXPECT_EQ(c.examples[0], "line 2, column 'sales_agent'");
  EXPECT_EQ(e.deals.front().owner, "Moses Fr" + fffd + "se");
  EXPECT_NO_THROW((void)quality_json(e.quality).dump());
  CalibrationOptions o;
  o.as_of = day("2017-06-30");
  const Calibration cal = calibrate(e, o);
  EXPECT_NO_THROW((void)calibration_json(cal).dump()) << "owner names are in the report";
}

TEST(Crm, DatesOutsideThePlausibleWindowAreExcludedAndNeverMoveTheAsOf) {
  const ColumnMapping m = load_mapping(sample_dir() + "/mapping.yaml");
  std::string text =
      replaced(sample_text(), "2016-10-20,2017-03-01,1054", "2016-10-20,9999-12-31,1054");
  text = replaced(text, "Isdom,Won,2016-10-25", "Isdom,Won,1900-01-01");
  // The epoch itself: a zero timestamp exported as a date (its deals were 47 years old).
  const Export epoch = import_export_text(
      replaced(text, "Isdom,Won,1900-01-01", "Isdom,Won,1970-01-01"), "x.csv", m);
  EXPECT_EQ(epoch.quality.rows_excluded, 2u);
  const Export e = import_export_text(text, "x.csv", m);
  EXPECT_EQ(format_date(e.export_date), "2017-06-30") << "the default as-of day";
  EXPECT_EQ(e.quality.rows_excluded, 2u);
  const QualityCheck& c = check_named(e.quality, "created or close date outside");
  EXPECT_TRUE(c.excluded);
  EXPECT_EQ(c.rows, 2u);
  EXPECT_NE(c.reason.find("1970-01-02 .. 2018-0"), std::string::npos)
      << "a year past the 99th percentile of the sample's dates: " << c.reason;
  EXPECT_EQ(format_date(*e.quality.last_closed), "2017-06-30");
  EXPECT_EQ(format_date(*e.quality.first_created), "2016-10-25") << "the 2016-10-20 row is out";
  // A small export has no percentile to go by: today + 5 years still catches 9999-12-31.
  const std::string small =
      "opportunity_id,sales_agent,product,deal_stage,engage_date,close_date,close_value\n"
      "A,ann,X,Won,2023-01-02,2023-02-01,100\n"
      "B,ann,X,Won,2023-01-02,9999-12-31,100\n"
      "C,bob,X,Engaging,2023-01-05,9999-12-31,\n";  // an open deal's close date is ignored
  const Export s = import_export_text(small, "s.csv", checks::sample_mapping());
  EXPECT_EQ(s.quality.rows_excluded, 1u);
  EXPECT_EQ(format_date(s.export_date), "2023-02-01");
}

TEST(Crm, AmountsThatAreNotFiniteOrAbove1e12AreExcludedAndNeverReachTheScenario) {
  const ColumnMapping m = load_mapping(sample_dir() + "/mapping.yaml");
  std::string text = sample_text();
  text = replaced(text, "Cancity,Won,2016-10-20,2017-03-01,1054",
                  "Cancity,Won,2016-10-20,2017-03-01,1e308");
  text =
      replaced(text, "Isdom,Won,2016-10-25,2017-03-11,4514", "Isdom,Won,2016-10-25,2017-03-11,inf");
  text = replaced(text, "Cancity,Won,2016-10-25,2017-03-07,50",
                  "Cancity,Won,2016-10-25,2017-03-07,nan");
  text = replaced(text, "Codehow,Won,2016-10-25,2017-03-09,588",
                  "Codehow,Won,2016-10-25,2017-03-09,2e12");
  const Export e = import_export_text(text, "x.csv", m);
  const QualityCheck& c = check_named(e.quality, "amount not finite or above 1e12");
  EXPECT_TRUE(c.excluded);
  EXPECT_EQ(c.rows, 4u);
  EXPECT_EQ(e.quality.rows_excluded, 4u);
  for (const auto& d : e.deals)
    EXPECT_TRUE(!d.amount || (std::isfinite(*d.amount) && *d.amount <= 1e12)) << d.line;
  CalibrationOptions o;
  o.as_of = day("2017-06-30");
  const Calibration cal = calibrate(e, o);
  const std::string yaml = scenario_yaml(cal, 13, 1);
  EXPECT_EQ(yaml.find("inf"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("nan"), std::string::npos) << yaml;
  const Scenario sc = load_scenario_text(yaml, "cal.yaml");
  EXPECT_TRUE(std::isfinite(sc.base.pipeline.deal_mean));
  EXPECT_LT(sc.base.pipeline.deal_mean, 1e5);
}

TEST(Crm, DuplicateHeaderNamesAndWonLostOverlapsAreErrorsNamingTheFileAndValue) {
  try {
    parse_csv("id,owner,stage,owner\n1,a,Won,b\n", "dup.csv");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("dup.csv"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'owner' twice (columns 2 and 4)"), std::string::npos) << msg;
  }
  EXPECT_NO_THROW(parse_csv("id,owner,,\n1,a,,\n", "t.csv")) << "unnamed columns are not names";
  const auto dir = fs::temp_directory_path() / "salesim-crm-overlap";
  fs::create_directories(dir);
  const auto mapping = (dir / "mapping.yaml").string();
  std::ofstream(mapping) << "status:\n  won: [Won, Closed]\n  lost: [Lost, closed]\n";
  try {
    load_mapping(mapping);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(mapping), std::string::npos) << msg;
    EXPECT_NE(msg.find("'Closed'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("both won and lost"), std::string::npos) << msg;
  }
  fs::remove_all(dir);
}

TEST(Crm, ScenarioYamlQuotesTheExportsNameSoItLoadsBackAsText) {
  const ColumnMapping m = load_mapping(sample_dir() + "/mapping.yaml");
  const std::string name = "we\"ird: name\nsalesim: 99\r\nplans: []\t#.csv";
  const Export e = import_export_text(sample_text(), "/some/folder/" + name, m);
  CalibrationOptions o;
  o.as_of = day("2017-06-30");
  const Calibration cal = calibrate(e, o);
  const std::string yaml = scenario_yaml(cal, 13, 7);
  const YAML::Node root = YAML::Load(yaml);
  EXPECT_EQ(root["name"].as<std::string>(), name + " as of 2017-06-30") << yaml;
  EXPECT_EQ(root["salesim"].as<int>(), 2) << yaml;
  EXPECT_EQ(root["plans"].size(), 1u) << yaml;
  std::vector<std::string> keys;
  for (const auto& kv : root) keys.push_back(kv.first.as<std::string>());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"salesim", "name", "description", "simulation", "pipeline",
                                      "team", "prospecting", "burnout", "people", "plans"}))
      << yaml;
  const Scenario sc = load_scenario_text(yaml, "cal.yaml");
  EXPECT_EQ(sc.name, name + " as of 2017-06-30");
  EXPECT_EQ(sc.base.simulation.seed, 7u);
  // The figures are the calibration's, rounded as before the emitter wrote them.
  const ScenarioFigures f = scenario_figures(cal);
  EXPECT_EQ(root["pipeline"]["stages"][0]["exit_rate"].as<double>(),
            std::stod(fmt::format("{:.5f}", f.exit_rate)));
  EXPECT_EQ(root["pipeline"]["deal_size"]["mean"].as<double>(),
            std::stod(fmt::format("{:.2f}", f.deal_mean)));
  EXPECT_EQ(root["prospecting"]["yield"]["top"].as<double>(),
            std::stod(fmt::format("{:.6f}", f.yield)));
  EXPECT_EQ(root["team"]["reps"].as<long>(), f.reps);
}

// Format 2, read without the format 1 notice; the file holds no event weeks, so it is the same
// model, on the same draws, as the format 1 text this writer wrote before (the same text with
// `salesim: 1`), and `salesim upgrade` of that text gives this one.
TEST(Crm, TheCalibratedScenarioIsFormat2AndTheSameModelAsTheFormat1FileItReplaces) {
  const Export e =
      import_export_text(sample_text(), "sample.csv", load_mapping(sample_dir() + "/mapping.yaml"));
  CalibrationOptions o;
  o.as_of = day("2017-06-30");
  const std::string yaml = scenario_yaml(calibrate(e, o), 13, 3);
  const Scenario two = load_scenario_text(yaml, "cal.yaml");
  EXPECT_EQ(two.format, 2);
  EXPECT_TRUE(two.notices.empty()) << fmt::format("{}", fmt::join(two.notices, "\n"));
  const std::string before = replaced(yaml, "\nsalesim: 2\n", "\nsalesim: 1\n");
  const Scenario one = load_scenario_text(before, "cal1.yaml");
  EXPECT_EQ(one.format, 1);
  EXPECT_EQ(model_fingerprint(two), model_fingerprint(one));
  EXPECT_EQ(upgrade_scenario_text(before, "cal1.yaml"), yaml);
  const sim::RunOutput a = test::run(two, 0, 64, 1), b = test::run(one, 0, 64, 1);
  ASSERT_EQ(a.scalars.size(), b.scalars.size());
  ASSERT_EQ(a.kept.size(), b.kept.size());
  EXPECT_EQ(0, std::memcmp(a.scalars.data(), b.scalars.data(), a.scalars.size() * sizeof(double)));
  EXPECT_EQ(0, std::memcmp(a.kept.data(), b.kept.data(), a.kept.size() * sizeof(double)));
}

// Amounts are plain decimal numbers, with '$' and thousands separators allowed; what strtod
// would also take (hexadecimal, "0X1p4") and digit separators such as '_' are unparseable
// amounts, counted as such, and never a deal size.
TEST(Crm, AmountsAreDecimalNumbersAndHexadecimalOrUnderscoresCountAsUnparseable) {
  const std::vector<std::pair<std::string, double>> good = {
      {"1054", 1054},  {"\"$1,054\"", 1054},
      {"1 054", 1054}, {"\"$1,054.50\"", 1054.5},
      {"1.5e3", 1500}, {"+20", 20},
      {".5", 0.5},     {"7.", 7},
      {"2E+2", 200},   {"-0", 0}};
  const std::vector<std::string> bad = {"0x10", "0X1p4", "1_000", "0x1P-2", "12abc",
                                        "1e",   "--5",   "1.2.3", "nan(1)", "e5"};
  std::string csv =
      "opportunity_id,sales_agent,product,deal_stage,engage_date,close_date,close_value\n";
  for (std::size_t i = 0; i < good.size(); ++i)
    csv += fmt::format("G{},ann,X,Won,2023-01-02,2023-02-01,{}\n", i, good[i].first);
  for (std::size_t i = 0; i < bad.size(); ++i)
    csv += fmt::format("B{},ann,X,Won,2023-01-02,2023-02-01,{}\n", i, bad[i]);
  const Export e = import_export_text(csv, "a.csv", checks::sample_mapping());
  const QualityCheck& unparseable = check_named(e.quality, "unparseable or negative amount");
  EXPECT_EQ(unparseable.rows, bad.size());
  ASSERT_FALSE(unparseable.examples.empty());
  EXPECT_NE(unparseable.examples[0].find("'0x10'"), std::string::npos) << unparseable.examples[0];
  EXPECT_EQ(check_named(e.quality, "amount not finite").rows, 0u);
  EXPECT_EQ(e.quality.rows_excluded, 0u);
  ASSERT_EQ(e.deals.size(), good.size() + bad.size());
  for (std::size_t i = 0; i < good.size(); ++i) {
    const Opportunity& d = e.deals[i];
    if (good[i].second == 0) {
      EXPECT_FALSE(d.amount) << good[i].first << ": an amount of 0 is missing";
      continue;
    }
    ASSERT_TRUE(d.amount) << good[i].first;
    EXPECT_DOUBLE_EQ(*d.amount, good[i].second) << good[i].first;
  }
  for (std::size_t i = 0; i < bad.size(); ++i)
    EXPECT_FALSE(e.deals[good.size() + i].amount) << bad[i];
}

// Lines that end in CR alone (old Mac OS) are lines, in quoted fields too; in a file whose lines
// end in LF or CRLF a CR inside a field stays a character of it.
TEST(Crm, CsvReadsLinesThatEndInCrAlone) {
  const CsvTable t =
      parse_csv("id,name,note\r1,\"Smith, J\",\"two\rlines\"\r\r2,x,\"y\"\"\"\r", "mac.csv");
  ASSERT_EQ(t.header, (std::vector<std::string>{"id", "name", "note"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].fields, (std::vector<std::string>{"1", "Smith, J", "two\rlines"}));
  EXPECT_EQ(t.rows[0].line, 2u);
  EXPECT_EQ(t.rows[1].fields, (std::vector<std::string>{"2", "x", "y\""}));
  EXPECT_EQ(t.rows[1].line, 5u);
  EXPECT_EQ(parse_csv("\"a\r\",b\r1,2", "q.csv").rows.size(), 1u) << "the quoted CR is no line end";
  for (const char* eol : {"\n", "\r\n"}) {
    const CsvTable u = parse_csv(fmt::format("a,b{}x\ry,2{}", eol, eol), "u.csv");
    ASSERT_EQ(u.rows.size(), 1u) << eol;
    EXPECT_EQ(u.rows[0].fields, (std::vector<std::string>{"x\ry", "2"}));
  }
  // The sample with its line ends made CR: the same import.
  const ColumnMapping m = load_mapping(sample_dir() + "/mapping.yaml");
  std::string cr = sample_text();
  std::replace(cr.begin(), cr.end(), '\n', '\r');
  const Export lf = import_export_text(sample_text(), "lf.csv", m);
  const Export mac = import_export_text(cr, "cr.csv", m);
  EXPECT_EQ(mac.quality.rows_read, 4365u);
  EXPECT_EQ(mac.quality.rows_excluded, 0u);
  EXPECT_EQ(mac.quality.won, lf.quality.won);
  EXPECT_EQ(mac.quality.open, lf.quality.open);
  ASSERT_EQ(mac.deals.size(), lf.deals.size());
  for (std::size_t i = 0; i < lf.deals.size(); ++i) {
    EXPECT_EQ(mac.deals[i].id, lf.deals[i].id);
    EXPECT_EQ(mac.deals[i].amount, lf.deals[i].amount);
    EXPECT_EQ(mac.deals[i].line, lf.deals[i].line);
  }
}

// A mapped column missing from the header is said to be mapped by whoever mapped it: --map, or
// the mapping file.
TEST(Crm, AMissingColumnIsSaidToBeMappedByMapOrByTheFile) {
  const std::string file = sample_dir() + "/mapping.yaml";
  ColumnMapping m = load_mapping(file);
  apply_map_option(m, "id=nope");
  try {
    import_export(sample(), m);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("column 'nope' (mapped to id by --map)"),
              std::string::npos)
        << e.what();
  }
  m = load_mapping(file);
  apply_map_option(m, "owner=sales_agent");
  m.columns["created"] = "engaged_on";  // as if the file said so
  try {
    import_export(sample(), m);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("(mapped to created by " + file + ")"), std::string::npos)
        << e.what();
  }
}

// A cutoff listed twice would be scored twice and weigh double in the means: refused.
TEST(Crm, ABacktestCutoffListedTwiceIsRefused) {
  const Export e = import_export(sample(), load_mapping(sample_dir() + "/mapping.yaml"));
  ForecastOptions f;
  f.weeks = 4, f.paths = 50;
  try {
    backtest(e, {day("2017-03-31"), day("2017-04-28"), day("2017-03-31")}, CalibrationOptions{}, f);
    FAIL() << "expected InputError";
  } catch (const InputError& x) {
    EXPECT_NE(std::string(x.what()).find("2017-03-31: given twice"), std::string::npos) << x.what();
  }
}

struct CrmCli : test::FolderTest {
  CrmCli() : FolderTest("crm") {}
};

TEST_F(CrmCli, ImportPrintsTheQualityReportAndMappingErrorsExitTwo) {
  std::string out;
  const auto json = (dir / "q.json").string();
  ASSERT_EQ(test::shell(salesim("import " + sample() + " --json " + json), &out), 0) << out;
  EXPECT_NE(out.find("GTXPro"), std::string::npos) << out;
  EXPECT_EQ(nlohmann::json::parse(test::read_file(json))["rows_read"], 4365);
  EXPECT_EQ(test::shell(salesim("import " + sample() + " --map created=engaged_on"), &out), 2);
  EXPECT_NE(out.find("column 'engaged_on' (mapped to created"), std::string::npos) << out;
  EXPECT_NE(out.find("sales_pipeline_asof_2017-06-30.csv"), std::string::npos) << out;
  EXPECT_EQ(test::shell(salesim("import " + (dir / "none.csv").string()), &out), 2);
  EXPECT_NE(out.find("cannot open"), std::string::npos) << out;
}

TEST_F(CrmCli, CalibratedScenarioValidatesAndRuns) {
  std::string out;
  const auto yaml = (dir / "baseline.yaml").string();
  ASSERT_EQ(test::shell(salesim("calibrate " + sample() + " --as-of 2017-06-30 --quiet -o " + yaml),
                        &out),
            0)
      << out;
  ASSERT_TRUE(fs::exists(dir / "baseline.calibration.json"));
  const auto report =
      nlohmann::json::parse(test::read_file((dir / "baseline.calibration.json").string()));
  EXPECT_TRUE(report["creation"]["seasonality"]["estimable"]);
  EXPECT_GT(report["open_pipeline"]["stale"], 100);
  EXPECT_EQ(test::shell(salesim("validate " + yaml), &out), 0) << out;
  const auto json = (dir / "run.json").string();
  ASSERT_EQ(test::shell(salesim("run " + yaml + " --paths 200 --quiet --json " + json), &out), 0)
      << out;
  // The scenario's bookings over its 13 weeks are of the order the calibration says
  // (steady state per week, times 13): same magnitude, not a unit error.
  const double steady = report["scenario"]["steady_state_bookings_per_week"];
  const double mean =
      nlohmann::json::parse(test::read_file(json))["plans"][0]["final_bookings"]["mean"];
  EXPECT_GT(mean, 0.5 * 13 * steady);
  EXPECT_LT(mean, 2.0 * 13 * steady);
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
}

// (--map as written in prose, "a=x, b = y": the spaces around an item and its parts are not part
// of the names; ' owner' was an unknown field.)
TEST_F(CrmCli, AllOpenExportCannotBeCalibratedAndSaysWhy) {
  std::string csv = "opportunity_id,sales_agent,deal_stage,engage_date,close_date\n";
  for (int i = 0; i < 20; ++i)
    csv += fmt::format("O{},rep{},Engaging,2023-01-{:02d},\n", i, i % 3, i + 1);
  std::ofstream(dir / "open.csv") << csv;
  std::string out;
  EXPECT_EQ(test::shell(salesim("calibrate " + (dir / "open.csv").string() +
                                " --map 'id=opportunity_id, owner = sales_agent,stage=deal_stage,"
                                "created=engage_date,closed=close_date ' -o " +
                                (dir / "b.yaml").string()),
                        &out),
            2);
  EXPECT_NE(out.find("Win rate: not estimable"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir / "b.yaml"));
  const auto report = nlohmann::json::parse(test::read_file((dir / "b.calibration.json").string()));
  EXPECT_TRUE(report["win_probability"].is_null());
}

// An export taken on a quiet weekend: --as-of after its last dated event is the day it was made.
TEST_F(CrmCli, AsOfAfterTheLastEventIsTheExportDayWithANote) {
  std::string out;
  const auto json = (dir / "f.json").string();
  ASSERT_EQ(test::shell(salesim("forecast " + sample() +
                                " --as-of 2017-07-02 --weeks 4 --paths 100 --json " + json),
                        &out),
            0)
      << out;
  EXPECT_NE(out.find("--as-of 2017-07-02 is 2 days after the last dated event"), std::string::npos)
      << out;
  EXPECT_EQ(nlohmann::json::parse(test::read_file(json))["open_deals"], 1686);  // as on 06-30
  EXPECT_EQ(
      test::shell(salesim("forecast " + sample() + " --as-of 2018-08-01 --weeks 4 --quiet"), &out),
      2);
  EXPECT_NE(out.find("more than 366 days after the export's last dated event 2017-06-30"),
            std::string::npos)
      << out;
}

TEST_F(CrmCli, ForecastWritesWeeklyBandsSplitByPipeline) {
  std::string out;
  const auto json = (dir / "f.json").string(), csv = (dir / "f.csv").string();
  ASSERT_EQ(test::shell(salesim("forecast " + sample() +
                                " --as-of 2017-06-30 --weeks 13 --paths 400 --quiet --json " +
                                json + " -o " + csv),
                        &out),
            0)
      << out;
  const auto j = nlohmann::json::parse(test::read_file(json));
  ASSERT_EQ(j["by_week"].size(), 13u);
  const auto& period = j["period"];
  EXPECT_LE(period["total"]["p10"], period["total"]["p50"]);
  EXPECT_LE(period["total"]["p50"], period["total"]["p90"]);
  EXPECT_NEAR(
      double(period["total"]["mean"]),
      double(period["from_open_pipeline"]["mean"]) + double(period["from_new_pipeline"]["mean"]),
      1e-6 * double(period["total"]["mean"]));
  EXPECT_EQ(j["open_deals"], 1686);
  EXPECT_NE(test::read_file(csv).find("week,ends,weekly_p10"), std::string::npos);
}

TEST_F(CrmCli, BacktestRunsOnTheSampleForTheSecondQuarter) {
  std::string out;
  const auto json = (dir / "b.json").string();
  ASSERT_EQ(
      test::shell(salesim("backtest " + sample() +
                          " --cutoffs 2017-03-31 --weeks 13 --paths 400 --quiet --json " + json),
                  &out),
      0)
      << out;
  const auto j = nlohmann::json::parse(test::read_file(json));
  ASSERT_EQ(j["cases"].size(), 1u);
  const auto& k = j["cases"][0];
  // What happened in Q2 2017: the close values of the deals won 2017-04-01..2017-06-30.
  EXPECT_DOUBLE_EQ(double(k["actual"]), 3086111.0);
  EXPECT_DOUBLE_EQ(double(k["actual_from_open_pipeline"]), 1559305.0);
  EXPECT_GT(double(k["crps"]), 0.0);
  EXPECT_GE(double(k["ape_of_median"]), 0.0);
  EXPECT_TRUE(k["covered_p10_p90"].is_boolean());
  // A cutoff whose weeks run past the export cannot be scored.
  EXPECT_EQ(test::shell(salesim("backtest " + sample() + " --cutoffs 2017-05-31 --weeks 13"), &out),
            2);
  EXPECT_NE(out.find("after the export's last date 2017-06-30"), std::string::npos) << out;
}

TEST_F(CrmCli, BacktestOverSeveralCutoffsReportsEachAndTheirMeans) {
  std::string out;
  const auto json = (dir / "r.json").string();
  ASSERT_EQ(test::shell(salesim("backtest " + sample() +
                                " --cutoffs 2017-03-31,2017-04-28,2017-05-26 --weeks 4 --paths 300 "
                                "--quiet --json " +
                                json),
                        &out),
            0)
      << out;
  const auto j = nlohmann::json::parse(test::read_file(json));
  ASSERT_EQ(j["cases"].size(), 3u);
  double covered = 0, ape = 0, crps = 0;
  for (const auto& k : j["cases"]) {
    covered += bool(k["covered_p10_p90"]);
    ape += double(k["ape_of_median"]);
    crps += double(k["crps"]);
  }
  const auto& a = j["aggregate"];
  EXPECT_EQ(a["cutoffs"], 3);
  EXPECT_DOUBLE_EQ(double(a["coverage_p10_p90"]), covered / 3);
  EXPECT_NEAR(double(a["mean_ape_of_median"]), ape / 3, 1e-12);
  EXPECT_NEAR(double(a["mean_crps"]), crps / 3, 1e-6);
  // The first cutoff has one month of closes behind it, the last almost three.
  EXPECT_EQ(j["cases"][0]["history_weeks"], 4);
  EXPECT_EQ(j["cases"][0]["warnings"].size(), 1u);
  EXPECT_EQ(j["cases"][2]["history_weeks"], 12);
  ASSERT_EQ(test::shell(salesim("backtest " + sample() +
                                " --cutoffs 2017-03-31 --weeks 4 --paths 300 --month-sd-prior 0.3"),
                        &out),
            0);
  EXPECT_NE(out.find("only 4 weeks of closes"), std::string::npos) << out;
  EXPECT_NE(out.find("over 1 cutoff:"), std::string::npos) << out;
}

TEST_F(CrmCli, ForecastHtmlReportHasTheFanTheSplitTheBacktestAndLoadsNothing) {
  std::string out;
  const auto html = (dir / "f.html").string(), json = (dir / "f.json").string();
  ASSERT_EQ(
      test::shell(salesim("forecast " + sample() + " --weeks 4 --paths 300 --quiet --json " + json +
                          " --html " + html + " --backtest-cutoffs 2017-04-28,2017-05-26"),
                  &out),
      0)
      << out;
  const std::string h = test::read_file(html);
  for (const char* part :
       {"<!DOCTYPE html>", "default-src 'none'", "id=\"crm-fan\"", "id=\"crm-open-new\"",
        "id=\"crm-reliability\"", "id=\"crm-pit\"", "id=\"crm-baselines\"",
        "Bookings by calendar month", "Bookings by manager", "2017-05-26"})
    EXPECT_NE(h.find(part), std::string::npos) << part;
  EXPECT_EQ(h.find("href=\"http"), std::string::npos);
  EXPECT_EQ(h.find("src=\"http"), std::string::npos);
  // The period's median in the text is the JSON's.
  const auto j = nlohmann::json::parse(test::read_file(json));
  const std::string p50 = tools::charts::compact_number(j["period"]["total"]["p50"].get<double>());
  EXPECT_NE(h.find("<strong>" + p50 + "</strong> in the middle one"), std::string::npos) << p50;
  // A backtest without a report to show it in is refused.
  EXPECT_EQ(
      test::shell(salesim("forecast " + sample() + " --quiet --backtest-cutoffs 2017-04-28"), &out),
      2);
  EXPECT_NE(out.find("--backtest-cutoffs: goes with --html"), std::string::npos) << out;
}

// The sample beside its mapping, org chart and price list in `dir`, as `name`, edited.
fs::path sample_copy(const fs::path& dir, const std::string& name, const std::string& text) {
  for (const char* f : {"mapping.yaml", "sales_teams.csv", "products.csv"})
    fs::copy_file(fs::path(sample_dir()) / f, dir / f, fs::copy_options::overwrite_existing);
  std::ofstream(dir / name, std::ios::binary) << text;
  return dir / name;
}

TEST_F(CrmCli, AnOwnerNameThatIsNotUtf8StillGivesEveryJsonOutput) {
  const auto csv =
      sample_copy(dir, "latin1.csv",
                  replaced(sample_text(), "1C1I7A6R,Moses Frase", "1C1I7A6R,Moses Fr\xE4se"))
          .string();
  std::string out;
  const auto q = (dir / "q.json").string(), f = (dir / "f.json").string();
  ASSERT_EQ(test::shell(salesim("import " + csv + " --json " + q), &out), 0) << out;
  EXPECT_NE(out.find("bytes that are not UTF-8"), std::string::npos) << out;
  EXPECT_NE(out.find("line 2, column 'sales_agent'"), std::string::npos) << out;
  ASSERT_EQ(
      test::shell(salesim("calibrate " + csv + " --quiet -o " + (dir / "b.yaml").string()), &out),
      0)
      << out;
  ASSERT_EQ(test::shell(salesim("forecast " + csv + " --paths 100 --quiet --json " + f), &out), 0)
      << out;
  for (const auto& file : {q, f, (dir / "b.calibration.json").string()})
    EXPECT_TRUE(nlohmann::json::accept(test::read_file(file))) << file;
}

TEST_F(CrmCli, APlaceholderCloseDateNeitherMovesTheAsOfNorSlowsTheForecast) {
  const auto csv = sample_copy(dir, "far.csv",
                               replaced(sample_text(), "2016-10-20,2017-03-01,1054",
                                        "2016-10-20,9999-12-31,1054"))
                       .string();
  std::string out;
  const auto t0 = std::chrono::steady_clock::now();
  const auto f = (dir / "f.json").string();
  ASSERT_EQ(test::shell(salesim("forecast " + csv + " --paths 200 --quiet --json " + f), &out), 0)
      << out;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 30);
  EXPECT_EQ(nlohmann::json::parse(test::read_file(f))["as_of"], "2017-06-30");
}

TEST_F(CrmCli, AbsurdAmountsAndDuplicateHeadersExitAsTheyShould) {
  // 1e308 is excluded: calibrate succeeds and writes no inf.
  const auto big = sample_copy(dir, "big.csv",
                               replaced(sample_text(), "2016-10-20,2017-03-01,1054",
                                        "2016-10-20,2017-03-01,1e308"))
                       .string();
  std::string out;
  const auto yaml = (dir / "b.yaml").string();
  ASSERT_EQ(test::shell(salesim("calibrate " + big + " --quiet -o " + yaml), &out), 0) << out;
  EXPECT_EQ(test::read_file(yaml).find("inf"), std::string::npos);
  EXPECT_EQ(test::shell(salesim("validate " + yaml), &out), 0) << out;
  // A header that names a column twice: exit 2 naming the file and the column.
  const auto dup = sample_copy(dir, "dup.csv",
                               replaced(sample_text(), "account,deal_stage", "product,deal_stage"))
                       .string();
  EXPECT_EQ(test::shell(salesim("import " + dup), &out), 2) << out;
  EXPECT_NE(out.find("dup.csv"), std::string::npos) << out;
  EXPECT_NE(out.find("'product' twice"), std::string::npos) << out;
  // won and lost sharing a value: exit 2 naming the mapping and the value.
  std::ofstream(dir / "overlap.yaml") << "columns: {owner: sales_agent, stage: deal_stage, "
                                         "created: engage_date, closed: close_date}\n"
                                         "status: {won: [Won], lost: [Lost, WON]}\n";
  EXPECT_EQ(
      test::shell(salesim("import " + sample() + " --mapping " + (dir / "overlap.yaml").string()),
                  &out),
      2)
      << out;
  EXPECT_NE(out.find("overlap.yaml"), std::string::npos) << out;
  EXPECT_NE(out.find("'Won'"), std::string::npos) << out;
}

TEST_F(CrmCli, AnExportNamedWithQuotesColonsAndLineBreaksCalibratesToAValidScenario) {
  const std::string name = "q\"uote: x\nsalesim: 99\n#.csv";
  const auto csv = sample_copy(dir, name, sample_text()).string();
  std::string out;
  const auto yaml = (dir / "b.yaml").string();
  ASSERT_EQ(test::shell(salesim("calibrate '" + csv + "' --quiet -o " + yaml), &out), 0) << out;
  EXPECT_EQ(test::shell(salesim("validate " + yaml), &out), 0) << out;
  EXPECT_EQ(YAML::LoadFile(yaml)["name"].as<std::string>(), name + " as of 2017-06-30");
}

// backtest --cutoffs (and forecast --backtest-cutoffs) with a day twice: exit 2 naming the option
// and the day, before anything is computed.
TEST_F(CrmCli, ACutoffGivenTwiceIsAnErrorNamingTheOptionAndTheDay) {
  std::string out;
  EXPECT_EQ(test::shell(salesim("backtest " + sample() +
                                " --cutoffs 2017-05-31,2017-03-31,2017-03-31 --weeks 4 --paths 100 "
                                "--quiet"),
                        &out),
            2)
      << out;
  EXPECT_NE(out.find("--cutoffs: the cutoff 2017-03-31 is given twice"), std::string::npos) << out;
  EXPECT_EQ(test::shell(salesim("backtest " + sample() +
                                " --cutoffs 2017-03-31,2017-03-31T12:00 --weeks 4 --paths 100 "
                                "--quiet"),
                        &out),
            2)
      << out;
  EXPECT_NE(out.find("(as '2017-03-31' and '2017-03-31T12:00')"), std::string::npos) << out;
  EXPECT_EQ(test::shell(salesim("forecast " + sample() + " --weeks 4 --paths 100 --quiet --html " +
                                (dir / "f.html").string() +
                                " --backtest-cutoffs 2017-04-28,2017-05-26,2017-04-28"),
                        &out),
            2)
      << out;
  EXPECT_NE(out.find("--backtest-cutoffs: the cutoff 2017-04-28 is given twice"), std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(dir / "f.html"));
}

// A missing column mapped by --map is said to be; one the mapping file names, to be the file's.
TEST_F(CrmCli, AMissingMappedColumnNamesWhereItWasMapped) {
  std::string out;
  EXPECT_EQ(test::shell(salesim("import " + sample() + " --map id=nope"), &out), 2) << out;
  EXPECT_NE(out.find("column 'nope' (mapped to id by --map)"), std::string::npos) << out;
  const auto mapping = (dir / "m.yaml").string();
  std::ofstream(mapping) << "columns: {owner: sales_agent, stage: deal_stage, created: engaged_on, "
                            "closed: close_date}\n";
  EXPECT_EQ(test::shell(salesim("import " + sample() + " --mapping " + mapping +
                                " --map id=opportunity_id"),
                        &out),
            2)
      << out;
  EXPECT_NE(out.find("(mapped to created by " + mapping + ")"), std::string::npos) << out;
}

// When every row is excluded the message gives the reasons, since no report is printed.
TEST_F(CrmCli, AnImportWithEveryRowExcludedPrintsTheReasons) {
  std::string out;
  EXPECT_EQ(test::shell(salesim("import " + sample() + " --date-format DD/MM/YYYY"), &out), 2)
      << out;
  EXPECT_NE(out.find("no usable rows (4365 read, all excluded)"), std::string::npos) << out;
  EXPECT_NE(out.find("unparseable created/engaged date, e.g. line 2 (id 1C1I7A6R): '2016-10-20'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("The dates are read as DD/MM/YYYY"), std::string::npos) << out;
  EXPECT_EQ(out.find("see the reasons"), std::string::npos) << out;
}

// An export whose lines end in CR alone imports as the same export with LF.
TEST_F(CrmCli, AnExportWithCrLineEndsImportsAsWithLf) {
  std::string text = sample_text();
  std::replace(text.begin(), text.end(), '\n', '\r');
  const auto csv = sample_copy(dir, "mac.csv", text).string();
  std::string out;
  const auto q = (dir / "q.json").string();
  ASSERT_EQ(test::shell(salesim("import " + csv + " --json " + q), &out), 0) << out;
  const auto j = nlohmann::json::parse(test::read_file(q));
  EXPECT_EQ(j["rows_read"], 4365);
  EXPECT_EQ(j["rows_kept"], 4365);
}

}  // namespace
}  // namespace salesim::crm
