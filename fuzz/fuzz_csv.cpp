// libFuzzer target: bytes -> the CRM export reader. parse_csv (models/crm/csv.cpp) first, then,
// as `salesim import` does, the whole import (column mapping, dates, amounts, the quality report)
// with the mapping of the Maven sample (data/crm-maven/mapping.yaml, without its side tables).
// crm::InputError is the expected outcome for bad input; any other exception, a sanitizer
// report or a hang is a finding. docs/fuzzing.md
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/crm/csv.hpp"
#include "models/crm/errors.hpp"
#include "models/crm/export.hpp"
#include "models/crm/mapping.hpp"

namespace {

salesim::crm::ColumnMapping maven_mapping() {
  salesim::crm::ColumnMapping m;
  m.columns = {{"id", "opportunity_id"},   {"owner", "sales_agent"}, {"stage", "deal_stage"},
               {"created", "engage_date"}, {"closed", "close_date"}, {"amount", "close_value"},
               {"product", "product"}};
  m.won = {"Won"};
  m.lost = {"Lost"};
  m.source = "fuzz mapping";
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const salesim::crm::ColumnMapping mapping = maven_mapping();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const salesim::crm::CsvTable t = salesim::crm::parse_csv(text, "fuzz.csv");
    for (const auto& h : t.header) (void)t.column(h);
    (void)t.column("sales_agent");
  } catch (const salesim::crm::InputError&) {
    return 0;
  }
  try {
    const salesim::crm::Export e = salesim::crm::import_export_text(text, "fuzz.csv", mapping);
    (void)salesim::crm::format_quality(e.quality);
  } catch (const salesim::crm::InputError&) {
  }
  return 0;
}
