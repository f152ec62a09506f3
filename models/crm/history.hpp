#pragma once
// The export as it was known on a day: what a calibration or forecast made that day could
// have seen. A snapshot export shows each deal's state on the export date, so cutting it back
// to an earlier day reopens the deals that closed after that day and hides their close value
// (the outcome). Deals created after the day are not known at all.
#include <vector>

#include "models/crm/export.hpp"

namespace salesim::crm {

struct KnownDeal {
  const Opportunity* source = nullptr;
  Outcome outcome = Outcome::open;  // as of the day
  std::optional<Day> closed;
  std::optional<double> amount;  // hidden for deals that closed after the day
  Day created = 0;
  int owner = 0;  // index into History::owners
};

struct History {
  Day as_of = 0;
  std::vector<std::string> owners;  // every owner with a deal known on the day, sorted
  std::vector<KnownDeal> deals;
  // Open leads without an owner: in no rate (no one works them yet); the forecast assigns them
  // at the team's assignment rate (assignment.hpp).
  std::vector<KnownDeal> unassigned;
  std::size_t won() const;
  std::size_t lost() const;
  std::size_t open() const;
};

// An as-of day after the export's last dated event is taken as the day the export was made (an
// export taken on a quiet weekend is normal): nothing happened in between. Up to this many days.
inline constexpr Day kMaxQuietDays = 366;
// Throws InputError when as_of is more than kMaxQuietDays after the export's last dated event.
History known_on(const Export& e, Day as_of);

}  // namespace salesim::crm
