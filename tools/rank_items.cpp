#include "tools/rank_items.hpp"

#include <optional>

#include "sim/bytes.hpp"
#include "sim/distributed.hpp"
#include "tools/cli.hpp"

namespace salesim::tools {

std::vector<std::string> gather_items(const std::vector<int>& owner,
                                      const std::function<std::string(std::size_t)>& work,
                                      bool across_ranks) {
  if (!across_ranks) {
    std::vector<std::string> items;
    for (std::size_t i = 0; i < owner.size(); ++i) items.push_back(work(i));
    return items;
  }
  // This rank's message: (item, ok, bytes or the bad input's text) for each item it ran.
  sim::ByteWriter w;
  for (std::size_t i = 0; i < owner.size(); ++i) {
    if (owner[i] != sim::dist::rank()) continue;
    w.put(std::uint64_t(i));
    try {
      std::string bytes = work(i);
      w.put(std::uint8_t(1)), w.put_string(bytes);
    } catch (const BadInput& e) {
      w.put(std::uint8_t(0)), w.put_string(e.what());
      break;
    }
  }
  const std::vector<std::string> parts = sim::dist::gather(w.take());
  std::vector<std::string> items(parts.empty() ? 0 : owner.size());
  std::optional<std::pair<std::size_t, std::string>> first_bad;
  for (const std::string& part : parts) {
    sim::ByteReader in(part);
    while (!in.done()) {
      const auto i = std::size_t(in.get<std::uint64_t>());
      const bool ok = in.get<std::uint8_t>() == 1;
      std::string bytes = in.get_string();
      if (ok)
        items[i] = std::move(bytes);
      else if (!first_bad || i < first_bad->first)
        first_bad.emplace(i, std::move(bytes));
    }
  }
  // Every rank fails alike (main then exits 2 everywhere, rank 0 reporting).
  const std::string bad = sim::dist::broadcast(first_bad ? first_bad->second : std::string());
  if (!bad.empty()) throw BadInput(bad);
  return items;
}

std::string row_bytes(const Row& row) {
  sim::ByteWriter w;
  w.put(std::uint64_t(row.size()));
  for (const auto& [name, cell] : row) {
    w.put_string(name);
    if (const double* d = std::get_if<double>(&cell))
      w.put(std::uint8_t(0)), w.put(*d);
    else
      w.put(std::uint8_t(1)), w.put_string(std::get<std::string>(cell));
  }
  return w.take();
}

Row row_from_bytes(const std::string& bytes) {
  sim::ByteReader in(bytes);
  Row row;
  const auto n = in.get<std::uint64_t>();
  for (std::uint64_t k = 0; k < n; ++k) {
    std::string name = in.get_string();
    if (in.get<std::uint8_t>() == 0)
      row.emplace_back(std::move(name), in.get<double>());
    else
      row.emplace_back(std::move(name), in.get_string());
  }
  return row;
}

}  // namespace salesim::tools
