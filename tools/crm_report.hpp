#pragma once
// The HTML report of a CRM forecast (`salesim forecast --html`), with the look of
// `salesim report` (the same page head and stylesheet, the same charts): the period's bookings
// as a fan, the open against the new pipeline, the forecast by month and by manager and owner,
// and, when a backtest was run with it, the backtest's calibration (the open pipeline by age,
// the PIT histogram) and the naive baselines. Every figure is the forecast's or backtest's JSON
// figure; the HTML loads nothing.
#include <string>

#include "models/crm/backtest.hpp"
#include "models/crm/calibrate.hpp"
#include "models/crm/forecast.hpp"

namespace salesim::tools {

std::string crm_forecast_html(const crm::Calibration& c, const crm::ForecastResult& f,
                              const crm::BacktestResult* backtest);

}  // namespace salesim::tools
