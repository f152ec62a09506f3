#pragma once
// What the CRM commands print and write: the calibration report (fit diagnostics), the
// forecast and the backtest, each as text for the terminal and as JSON for scripts.
#include <nlohmann/json.hpp>
#include <string>

#include "models/crm/backtest.hpp"
#include "models/crm/calibrate.hpp"
#include "models/crm/export.hpp"
#include "models/crm/forecast.hpp"

namespace salesim::crm {

nlohmann::json quality_json(const QualityReport& q);
nlohmann::json calibration_json(const Calibration& c);
nlohmann::json forecast_json(const ForecastResult& f);
nlohmann::json backtest_json(const BacktestResult& b);

std::string format_calibration(const Calibration& c);
std::string format_forecast(const ForecastResult& f);
std::string format_backtest(const BacktestResult& b);

}  // namespace salesim::crm
