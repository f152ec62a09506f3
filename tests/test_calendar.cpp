// Calendars (docs/model.md 12.6): holiday and vacation weeks remove exactly their share of a
// rep's hours; seasonality moves the mean inbound of each month by its factor.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "models/calendar.hpp"
#include "models/plan_model.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

// One rep whose mandatory prospecting target exceeds every week's hours, so it works its whole
// cap H = max_hours: what the calendar removes shows as hours not worked.
std::string capped(const std::string& calendar) {
  return fmt::format(R"(salesim: 2
name: holidays
simulation: {{horizon_weeks: 4, paths: 8, seed: 3, start_date: 2026-12-21}}
team: {{reps: 1, managers: 1}}
capacity: {{sustainable_hours: 40, max_hours: 50, admin_hours: 0, control_overhead: 0}}
prospecting: {{target_hours: 100, mandatory: true, avoidance: 0}}
burnout: {{capacity_loss: 0}}
people: {{attrition_annual: 0}}
calendar: {}
plans: [{{name: only}}]
)",
                     calendar);
}

std::vector<double> hours_per_week(const Scenario& sc) {
  const auto run = test::run(sc, 0, 8);
  std::vector<double> h;
  for (int w = 0; w < sc.horizon(); ++w)
    h.push_back(run.sum(out::s_hours_per_rep, std::size_t(w)) / double(run.paths));
  return h;
}

TEST(Calendar, HolidayWeeksRemoveExactlyTheirShareOfHours) {
  // 2026-12-21 is a Monday. Christmas and New Year's Day are Fridays (one of five working days
  // each); 2027-01-09 is a Saturday and removes nothing.
  const Scenario sc = test::scenario(capped("{holidays: [2026-12-25, 2027-01-01, 2027-01-09]}"));
  const auto h = hours_per_week(sc);
  EXPECT_DOUBLE_EQ(h[0], 50 * 0.8);
  EXPECT_DOUBLE_EQ(h[1], 50 * 0.8);
  EXPECT_DOUBLE_EQ(h[2], 50);
  EXPECT_DOUBLE_EQ(h[3], 50);
  // Vacation of 5.2 weeks a year takes a tenth of every week, beside the holidays.
  const auto v = hours_per_week(
      test::scenario(capped("{holidays: [2026-12-25], vacation_weeks_per_rep: 5.2}")));
  EXPECT_NEAR(v[0], 50 * 0.7, 1e-12);
  EXPECT_NEAR(v[1], 50 * 0.9, 1e-12);
}

TEST(Calendar, MeanInboundByMonthFollowsTheSeasonality) {
  // Factors whose mean is 1.1: they are normalised, with a notice, so that a year's 52 weeks
  // average 1 (each week weighted as its month: 4 or 5 weeks).
  const std::vector<double> f = {1.1, 1.1, 1.1, 1.1, 1.1, 1.65, 0.55, 0.55, 1.1, 1.1, 1.65, 1.1};
  const std::string yaml = fmt::format(R"(salesim: 2
name: seasons
simulation: {{horizon_weeks: 52, paths: 200, seed: 11}}
team: {{reps: 1, managers: 1}}
prospecting: {{yield: {{floor: 0, top: 0}}}}
market: {{inbound_leads_per_week: 40, lead_quality: 1}}
people: {{attrition_annual: 0}}
burnout: {{attrition: 0}}
calendar: {{seasonality: {{by_month: [{}]}}}}
plans: [{{name: only}}]
)",
                                       fmt::join(f, ", "));
  const Scenario sc = test::scenario(yaml);
  ASSERT_EQ(sc.notices.size(), 1u);
  EXPECT_NE(sc.notices[0].find("mean of 1.1"), std::string::npos) << sc.notices[0];
  const auto run = test::run(sc, 0, 200);
  // Per month: opportunities created over the paths against 40 x factor / 1.1 per week; each
  // path's month is Poisson, so the standard error of the mean is sqrt(lambda / paths).
  std::vector<double> created(12, 0), expected(12, 0);
  const int day0 = iso_days("2001-01-01");
  std::vector<unsigned> month(52);
  double year = 0;  // the factors' mean over the year's weeks
  for (int w = 0; w < 52; ++w) {
    const std::chrono::year_month_day ymd{
        std::chrono::sys_days(std::chrono::days(day0 + 7 * w + 3))};
    month[std::size_t(w)] = unsigned(ymd.month()) - 1;
    year += f[month[std::size_t(w)]] / 52;
  }
  for (int w = 0; w < 52; ++w) {
    const unsigned m = month[std::size_t(w)];
    created[m] += run.sum(out::s_created, std::size_t(w)) / double(run.paths);
    expected[m] += 40 * f[m] / year;
  }
  for (int m = 0; m < 12; ++m) {
    const double se = std::sqrt(expected[m] / double(run.paths));
    EXPECT_NEAR(created[m], expected[m], 4 * se) << "month " << m + 1;
  }
  // July (0.5) against June (1.5): the factors, not noise, set the months apart.
  EXPECT_GT(created[5] / 5, 2.5 * created[6] / 4.5);
}

// docs/model.md 12.6: "a year's demand is what it is without a calendar and only its timing
// moves". Divided by the plain mean of the twelve factors it was not: all the demand in December
// (4 weeks of 52) gave 48 weeks' worth, -7.7% (a review of the extensions against their docs).
TEST(Calendar, AYearsDemandIsUnchangedBySeasonality) {
  for (const char* start : {"", "start_date: 2026-02-26, "}) {
    const std::string yaml = fmt::format(R"(salesim: 2
name: december
simulation: {{{}horizon_weeks: 52, paths: 200, seed: 3}}
team: {{reps: 2, managers: 1}}
prospecting: {{yield: {{floor: 0, top: 0}}}}
market: {{inbound_leads_per_week: 40, lead_quality: 1}}
people: {{attrition_annual: 0}}
burnout: {{attrition: 0}}
calendar: {{seasonality: {{by_month: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12]}}}}
plans: [{{name: only}}]
)",
                                         start);
    const Scenario sc = test::scenario(yaml);
    // The twelve average 1, but a year's weeks do not (December holds 4 of 52): said.
    ASSERT_EQ(sc.notices.size(), 1u) << start;
    EXPECT_NE(sc.notices[0].find("over a year's weeks"), std::string::npos) << sc.notices[0];
    const auto run = test::run(sc, 0, 200);
    double total = 0;
    for (std::size_t w = 0; w < 52; ++w) total += run.sum(out::s_created, w);
    total /= double(run.paths);
    // 40 a week for 52 weeks (Poisson: its standard error is sqrt(2080 / paths)).
    EXPECT_NEAR(total, 40.0 * 52, 4 * std::sqrt(40.0 * 52 / double(run.paths))) << start;
  }
}

TEST(Calendar, OffWithoutACalendar) {
  const Scenario sc = test::scenario(test::kLists);
  const PlanModel model(sc, sc.plans[0]);
  EXPECT_TRUE(model.calendar.empty());
}

TEST(Calendar, BadInputNamesTheKey) {
  auto problems = [](const std::string& cal, const std::string& sim = "") {
    try {
      test::scenario("salesim: 2\nname: bad\n" + sim + "calendar: " + cal +
                     "\nplans: [{name: a}]\n");
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(problems("{holidays: [2026-12-25]}")
                .find("calendar.holidays[0]: a holiday needs simulation.start_date"),
            std::string::npos);
  EXPECT_NE(problems("{holidays: [2026-13-01]}", "simulation: {start_date: 2026-01-05}\n")
                .find("calendar.holidays[0]: not a date: 2026-13-01 (a year has months 01 to 12)"),
            std::string::npos);
  EXPECT_NE(problems("{holidays: [new year]}", "simulation: {start_date: 2026-01-05}\n")
                .find("calendar.holidays[0]: expected an ISO date YYYY-MM-DD, found 'new year'"),
            std::string::npos);
  EXPECT_NE(problems("{seasonality: {by_month: [1, 1, 1]}}")
                .find("calendar.seasonality.by_month: expected a list of 12 factors"),
            std::string::npos);
  EXPECT_NE(problems("{seasonality: {by_month: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1]}}")
                .find("calendar.seasonality.by_month[11]: expected a number between 0 and 100"),
            std::string::npos);
  EXPECT_NE(problems("{vacation_weeks_per_rep: 60}").find("calendar.vacation_weeks_per_rep"),
            std::string::npos);
  EXPECT_NE(problems("{fiscal_year_start: 2026-02-01}").find("calendar.fiscal_year_start"),
            std::string::npos);
}

// Each holiday was compared with every holiday before it: 190,000 dates (a 2 MB file) took
// over a minute to validate. A set finds the duplicates; the dates are read in well under a
// second.
TEST(Calendar, ManyHolidaysLoadQuickly) {
  std::string yaml =
      "salesim: 2\nname: many\nsimulation: {start_date: 2025-01-06}\n"
      "calendar:\n  holidays: [";
  const int first = iso_days("1600-01-01");
  for (int d = 0; d < 150000; ++d) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(first + d))};
    yaml += fmt::format("{}{:04}-{:02}-{:02}", d ? "," : "", int(ymd.year()), unsigned(ymd.month()),
                        unsigned(ymd.day()));
  }
  yaml += "]\nplans: [{name: a}]\n";
  const auto start = std::chrono::steady_clock::now();
  const Scenario sc = test::scenario(yaml);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(sc.base.calendar.holidays.size(), 150000u);
  EXPECT_LT(seconds, 10.0);
  try {  // a date listed twice is still refused
    test::scenario(yaml.replace(yaml.find("1600-01-02"), 10, "1600-01-01"));
    ADD_FAILURE() << "a duplicate holiday was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(
        std::string(e.what()).find("calendar.holidays[1]: holiday 1600-01-01 is listed twice"),
        std::string::npos)
        << e.what();
  }
}

// Dates that do not exist are refused, not rolled over into the next month (which shifted every
// week of the calendar): the day must be in its month, 29 February only in a leap year.
TEST(Calendar, ImpossibleDatesAreRefused) {
  EXPECT_EQ(iso_date_problem("2025-02-28"), "");
  EXPECT_EQ(iso_date_problem("2024-02-29"), "");
  EXPECT_EQ(iso_date_problem("2000-02-29"), "");
  EXPECT_EQ(iso_date_problem("2025-12-31"), "");
  EXPECT_EQ(iso_date_problem("2025-02-30"),
            "not a date: 2025-02-30 (February has 28 days in 2025)");
  EXPECT_EQ(iso_date_problem("2023-02-29"),
            "not a date: 2023-02-29 (February has 28 days in 2023)");
  EXPECT_EQ(iso_date_problem("1900-02-29"),
            "not a date: 1900-02-29 (February has 28 days in 1900)");
  EXPECT_EQ(iso_date_problem("2024-02-30"),
            "not a date: 2024-02-30 (February has 29 days in 2024)");
  EXPECT_EQ(iso_date_problem("2025-04-31"), "not a date: 2025-04-31 (April has 30 days)");
  EXPECT_EQ(iso_date_problem("2025-01-32"), "not a date: 2025-01-32 (January has 31 days)");
  EXPECT_EQ(iso_date_problem("2025-01-00"), "not a date: 2025-01-00 (days count from 01)");
  EXPECT_EQ(iso_date_problem("2025-00-10"), "not a date: 2025-00-10 (a year has months 01 to 12)");
  EXPECT_EQ(iso_date_problem("2025-2-3"), "expected an ISO date YYYY-MM-DD, found '2025-2-3'");
  EXPECT_EQ(iso_date_problem("2025/02/03"), "expected an ISO date YYYY-MM-DD, found '2025/02/03'");

  // Every date-valued key of a scenario: simulation.start_date and calendar.holidays.
  const std::string yaml = R"(salesim: 2
name: dates
simulation: {start_date: 2025-02-30, horizon_weeks: 13}
calendar: {holidays: [2025-03-03, 2025-04-31, 2023-02-29]}
plans: [{name: a}]
)";
  try {
    test::scenario(yaml);
    FAIL() << "impossible dates were accepted";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.problems.size(), 3u) << e.what();
    EXPECT_EQ(e.problems[0],
              "test.yaml:3:26: simulation.start_date: not a date: 2025-02-30 (February has 28 "
              "days in 2025)");
    EXPECT_EQ(e.problems[1],
              "test.yaml:4:35: calendar.holidays[1]: not a date: 2025-04-31 (April has 30 days)");
    EXPECT_EQ(e.problems[2],
              "test.yaml:4:47: calendar.holidays[2]: not a date: 2023-02-29 (February has 28 "
              "days in 2023)");
  }
}

}  // namespace
}  // namespace salesim
