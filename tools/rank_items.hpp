#pragma once
// Items of a study (a sweep's points, a batch's files) spread over the ranks of an MPI job
// (sim/distributed.hpp): each rank works on the items it owns and rank 0 gathers the results
// in item order. With one rank it is a plain loop.
#include <functional>
#include <string>
#include <vector>

#include "tools/table_file.hpp"

namespace salesim::tools {

// Runs `work(i)` for every item i with owner[i] == this rank, in item order, and gathers the
// returned bytes to rank 0, which gets one string per item (the other ranks get none). Bad
// input found at an item (BadInput) stops that rank's items; every rank then throws the one of
// the lowest item, so the job fails as one process would, at the same item with the same
// message. Other exceptions propagate (main ends the job naming the rank). With
// `across_ranks` false (code that rank 0 runs alone, such as a report's), every item runs here
// and nothing passes between ranks.
std::vector<std::string> gather_items(const std::vector<int>& owner,
                                      const std::function<std::string(std::size_t)>& work,
                                      bool across_ranks = true);

// A table row as bytes and back, exactly (numbers by their bits).
std::string row_bytes(const Row& row);
Row row_from_bytes(const std::string& bytes);

}  // namespace salesim::tools
