#pragma once
// Deal sizes: the close values of won deals known on the day, by product where the product
// has enough wins, else from its list price times the team's close-to-list ratio, else the
// overall distribution. Each is summarised as the mean and coefficient of variation of a
// lognormal (MODEL.md's deal_size), with the standard error of the mean.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/crm/history.hpp"

namespace salesim::crm {

struct SizeEstimate {
  std::string product;
  std::size_t wins = 0;  // won deals with an amount
  double mean = 0, cv = 0, mean_se = 0;
  std::optional<double> list_price;
  std::string source;  // "wins", "list price", "all products"
  double mix = 0;      // share of the deals created in the creation window
};

struct DealSizes {
  SizeEstimate overall;
  std::vector<SizeEstimate> products;             // sorted by name
  std::optional<double> ratio_to_list, ratio_cv;  // close value / list price over won deals
  std::size_t won_without_amount = 0;
  const SizeEstimate& of(const std::string& product) const;  // overall when unknown
};

// nullopt when no won deal has an amount and there is no price list.
std::optional<DealSizes> fit_sizes(const History& h, const std::map<std::string, double>& prices,
                                   Day mix_from, std::size_t min_wins = 5);

}  // namespace salesim::crm
