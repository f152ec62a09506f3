#pragma once
// Which column of an export holds which field, how the stage column says won and lost, the
// date layout, and the optional org chart and price list. Given as a small YAML file
// (--mapping) and/or on the command line (--map field=column,...); the command line wins.
#include <map>
#include <string>
#include <vector>

#include "models/crm/csv.hpp"
#include "models/crm/dates.hpp"

namespace salesim::crm {

// The fields an export can map. owner, stage, created and closed are required; id, amount
// and product are optional (without an id duplicates cannot be found; without an amount deal
// sizes come from the price list; without a product every deal is one product).
inline constexpr const char* kFields[] = {"id",     "owner",  "stage",  "created",
                                          "closed", "amount", "product"};
inline constexpr const char* kRequiredFields[] = {"owner", "stage", "created", "closed"};

struct SideTable {
  std::string file;                      // resolved path; empty when not given
  std::string key_column, value_column;  // empty: defaults (see mapping.cpp)
};

struct ColumnMapping {
  std::map<std::string, std::string> columns;  // field -> column name
  // field -> where its column was named ("--map" or the mapping file), for messages; a field
  // not listed here is named by `source`
  std::map<std::string, std::string> column_source;
  std::vector<std::string> won{"Won", "Closed Won"}, lost{"Lost", "Closed Lost"};
  DateFormat date_format = DateFormat::iso;
  SideTable org_chart;   // owner -> manager
  SideTable price_list;  // product -> list price
  std::string source;    // where the mapping came from, for messages
};

// Reads a mapping file; paths inside it are relative to the file. Throws InputError naming
// the file and the key.
ColumnMapping load_mapping(const std::string& path);
// Applies "field=column,field=column" (aliases: status->stage, engaged->created,
// close->closed, value->amount, rep->owner) on top of m. Throws InputError on an unknown field.
void apply_map_option(ColumnMapping& m, const std::string& option);

// Throws InputError naming the mapping (its file, or --map) and the value when a stage value
// is listed both as won and as lost (compared ignoring case, as the import compares them).
void check_status_lists(const ColumnMapping& m);

// The column index of every mapped field in the table's header (-1: not mapped). A field
// that is not mapped but has a column of its own name is taken. Throws InputError naming the
// file, the field and the missing column (and the nearest header name), or the required field
// nobody mapped.
std::map<std::string, int> resolve_columns(const ColumnMapping& m, const CsvTable& t);

}  // namespace salesim::crm
