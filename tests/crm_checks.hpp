#pragma once
// Checks the CRM tests share.
#include <gtest/gtest.h>

#include <cstring>

#include "models/crm/dates.hpp"
#include "models/crm/forecast.hpp"
#include "models/crm/mapping.hpp"
#include "test_support.hpp"

namespace salesim::crm::checks {

// The Maven sample (data/crm-maven) and its export as of 2017-06-30.
inline std::string sample_dir() { return test::source_dir() + "/data/crm-maven"; }
inline std::string sample() { return sample_dir() + "/sales_pipeline_asof_2017-06-30.csv"; }
// The sample's columns mapped to the fields, by --map (synthetic exports use the same names).
inline ColumnMapping sample_mapping() {
  ColumnMapping m;
  apply_map_option(m,
                   "id=opportunity_id,owner=sales_agent,stage=deal_stage,created=engage_date,"
                   "closed=close_date,amount=close_value,product=product");
  return m;
}
// A day written as YYYY-MM-DD (a test's own constant, so always valid).
inline Day day(const char* iso) { return *parse_date(iso); }

// The forecast with 1 thread and with 3 gives the same bits (scalars and weekly series); returns
// the 1-thread forecast for further checks.
inline ForecastResult expect_same_bits_for_any_thread_count(const Calibration& c,
                                                            ForecastOptions o) {
  o.threads = 1;
  ForecastResult a = forecast(c, o);
  o.threads = 3;
  const ForecastResult b = forecast(c, o);
  EXPECT_EQ(a.run.scalars.size(), b.run.scalars.size());
  EXPECT_EQ(a.run.kept.size(), b.run.kept.size());
  if (a.run.scalars.size() == b.run.scalars.size()) {
    EXPECT_EQ(0, std::memcmp(a.run.scalars.data(), b.run.scalars.data(),
                             a.run.scalars.size() * sizeof(double)));
  }
  if (a.run.kept.size() == b.run.kept.size()) {
    EXPECT_EQ(
        0, std::memcmp(a.run.kept.data(), b.run.kept.data(), a.run.kept.size() * sizeof(double)));
  }
  return a;
}

}  // namespace salesim::crm::checks
