#pragma once
// An imported opportunity export: the rows kept (each with its outcome), the org chart and
// price list when given, and the data-quality report that counts every row excluded and every
// row kept with a problem, by reason. Nothing is dropped without being counted.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/crm/dates.hpp"
#include "models/crm/mapping.hpp"

namespace salesim::crm {

enum class Outcome { open, won, lost };

// The owner of an open lead nobody has been assigned yet (kept in the unassigned pool).
inline constexpr const char* kUnassigned = "(unassigned)";

struct Opportunity {
  std::string id, owner, stage, product;  // product: the price-list name when matched
  Day created = 0;
  std::optional<Day> closed;     // won/lost only
  std::optional<double> amount;  // close value of a won deal, expected value of an open one
  Outcome outcome = Outcome::open;
  bool unassigned = false;  // open without an owner: owner is kUnassigned
  std::size_t line = 0;     // line in the export, for messages
};

// One check of the quality report: how many rows it concerns and whether they were excluded.
struct QualityCheck {
  std::string reason;
  bool excluded = false;
  std::size_t rows = 0;
  std::vector<std::string> examples;  // the first few, "line 12 (id X): 'text'"
  // A kept row's problem that changes the figures unseen (an amount treated as missing, a
  // stage read as open): calibrate, forecast and backtest warn of it too.
  bool warn = false;
};

struct QualityReport {
  std::string file;
  std::size_t rows_read = 0, rows_kept = 0, rows_excluded = 0;
  std::size_t won = 0, lost = 0, open = 0;
  std::vector<QualityCheck> checks;                    // every check, in a fixed order
  std::map<std::string, std::string> product_matches;  // export name -> price-list name
  std::vector<std::string> products_unpriced;          // not in the price list at all
  std::vector<std::string> owners_without_manager;     // not in the org chart
  std::vector<std::string> org_owners_without_deals;   // in the org chart, no deals
  std::optional<Day> first_created, last_created, first_closed, last_closed;
  // Every stage value of the kept rows, as written, with its rows and how it was read.
  struct StageValue {
    std::size_t rows = 0;
    Outcome outcome = Outcome::open;
  };
  std::map<std::string, StageValue> stages;
};

struct Export {
  std::string file;
  std::vector<Opportunity> deals;
  std::map<std::string, std::string> manager_of;  // org chart, owner -> manager
  std::map<std::string, double> list_price;       // price list, product -> price
  Day export_date = 0;                            // the day the export shows: the latest date in it
  QualityReport quality;
};

// Reads an export with its mapping. Throws InputError for what prevents reading at all (a file
// that cannot be opened, a missing column); problems of single rows go into the report.
Export import_export(const std::string& path, const ColumnMapping& m);
// The same from CSV text (tests, synthetic exports).
Export import_export_text(const std::string& csv_text, const std::string& label,
                          const ColumnMapping& m);

// The report as text for the terminal.
std::string format_quality(const QualityReport& q);

}  // namespace salesim::crm
