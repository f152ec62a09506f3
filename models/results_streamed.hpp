#pragma once
// summarize and compare (models/results.hpp) from streaming accumulators instead of per-path
// columns: means and standard errors equal the stored ones up to summation order, quantiles are
// within the sketch's relative error, summed weekly means are bit-identical.
#include "models/results.hpp"
#include "models/stream_layout.hpp"
#include "sim/stream_runner.hpp"

namespace salesim {

// What the streaming runner must sketch for these summaries.
sim::StreamSpec stream_spec(const streamed::Layout& L);

PlanResult summarize_streamed(const Scenario& sc, const std::string& plan_name,
                              const sim::StreamOutput& so, const streamed::Layout& L,
                              std::size_t plan);
Comparison compare_streamed(const PlanResult& baseline, const PlanResult& plan,
                            const sim::StreamOutput& so, const streamed::Layout& L,
                            std::size_t plan_index);

}  // namespace salesim
