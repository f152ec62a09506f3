#include "models/crm/history.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "models/crm/errors.hpp"

namespace salesim::crm {

std::size_t History::won() const {
  return std::count_if(deals.begin(), deals.end(),
                       [](const KnownDeal& d) { return d.outcome == Outcome::won; });
}
std::size_t History::lost() const {
  return std::count_if(deals.begin(), deals.end(),
                       [](const KnownDeal& d) { return d.outcome == Outcome::lost; });
}
std::size_t History::open() const {
  return std::count_if(deals.begin(), deals.end(),
                       [](const KnownDeal& d) { return d.outcome == Outcome::open; });
}

History known_on(const Export& e, Day as_of) {
  if (as_of > e.export_date + kMaxQuietDays)
    throw InputError(fmt::format(
        "--as-of {}: more than {} days after the export's last dated event {} ({}); an export "
        "is not that quiet: give the day the export was made, or an earlier one",
        format_date(as_of), kMaxQuietDays, format_date(e.export_date), e.file));
  History h;
  h.as_of = as_of;
  for (const auto& o : e.deals)
    if (o.created <= as_of && !o.unassigned) h.owners.push_back(o.owner);
  std::sort(h.owners.begin(), h.owners.end());
  h.owners.erase(std::unique(h.owners.begin(), h.owners.end()), h.owners.end());
  for (const auto& o : e.deals) {
    if (o.created > as_of) continue;
    KnownDeal d;
    d.source = &o;
    d.created = o.created;
    if (o.unassigned) {
      d.amount = o.amount;
      h.unassigned.push_back(d);
      continue;
    }
    d.owner = int(std::lower_bound(h.owners.begin(), h.owners.end(), o.owner) - h.owners.begin());
    if (o.closed && *o.closed <= as_of) {
      d.outcome = o.outcome;
      d.closed = o.closed;
      d.amount = o.amount;
    } else if (!o.closed) {
      d.amount = o.amount;  // still open on the export date: its amount is an expected value
    }
    h.deals.push_back(d);
  }
  return h;
}

}  // namespace salesim::crm
