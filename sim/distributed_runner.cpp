#include "sim/distributed_runner.hpp"

#include <algorithm>
#include <optional>

#include "sim/bytes.hpp"
#include "sim/distributed.hpp"

namespace sim {
namespace {

bool spread(PathSplit split) { return split != PathSplit::none && dist::size() > 1; }

// This rank's block of paths and its options: whole chunks, so the rank's chunks are the
// chunks one process would make, and their partials are kept.
RunOptions block_options(const RunOptions& options, dist::Block& b) {
  const std::size_t n = options.paths;
  b = dist::block(n, options.chunk, dist::rank(), dist::size());
  RunOptions mine = options;
  mine.first_path = options.first_path + b.begin;
  mine.paths = b.size();
  mine.keep_chunk_partials = true;
  // Rank 0 alone shows progress: its share, scaled to the whole run.
  if (options.progress) {
    const std::size_t share = std::max<std::size_t>(1, b.size());
    mine.progress = [&options, n, share](std::size_t done) { options.progress(done * n / share); };
  }
  return mine;
}

std::vector<std::string> collect(std::string mine, PathSplit split) {
  return split == PathSplit::gather_to_all ? dist::all_gather(std::move(mine))
                                           : dist::gather(std::move(mine));
}

// The most chunks any rank runs: the gathers every rank makes to relay kept series.
std::size_t most_chunks(const RunOptions& options) {
  const std::size_t chunk = std::max<std::size_t>(1, options.chunk);
  std::size_t most = 0;
  for (int r = 0; r < dist::size(); ++r)
    most = std::max(
        most, (dist::block(options.paths, chunk, r, dist::size()).size() + chunk - 1) / chunk);
  return most;
}

// Relays each rank's kept chunks to rank 0's sink as they come, one gather per chunk, so rank 0
// holds one chunk per rank at a time; a rank with fewer chunks than another sends empty rounds
// at the end, so every rank makes the same gathers.
class KeptRelay {
 public:
  KeptRelay(const RunOptions& options, std::size_t first_row, const KeptSink& sink)
      : rounds_(most_chunks(options)), first_row_(first_row), sink_(sink) {}

  void send(const KeptChunk& c) {
    ByteWriter w;
    w.put(std::uint64_t(first_row_ + c.first_row));
    w.put(std::uint64_t(c.rows));
    w.put_vector(std::vector<double>(c.values.begin(), c.values.end()));
    round(w.take());
  }
  void finish() {
    while (made_ < rounds_) round({});
  }

 private:
  void round(std::string mine) {
    ++made_;
    const std::vector<std::string> parts = dist::gather(std::move(mine));
    for (const std::string& part : parts) {  // rank 0 only; rank order
      if (part.empty()) continue;
      ByteReader in(part);
      const auto first_row = std::size_t(in.get<std::uint64_t>());
      const auto rows = std::size_t(in.get<std::uint64_t>());
      const auto values = in.get_vector<double>();
      sink_({first_row, rows, values});
    }
  }

  std::size_t rounds_, made_ = 0, first_row_;
  const KeptSink& sink_;
};

}  // namespace

bool holds_results(PathSplit split) {
  return split != PathSplit::gather_to_root || dist::is_root();
}

int ranks_of(PathSplit split) { return spread(split) ? dist::size() : 1; }

RunOutput run_paths_split(const OutputShape& shape, const RunOptions& options,
                          const PathFunction& fn, const ScratchFactory& make_scratch,
                          PathSplit split) {
  return std::move(run_path_groups_split({shape}, options, fn, make_scratch, split).front());
}

std::vector<RunOutput> run_path_groups_split(const std::vector<OutputShape>& groups,
                                             const RunOptions& options, const PathFunction& fn,
                                             const ScratchFactory& make_scratch, PathSplit split) {
  if (!spread(split)) return run_path_groups(groups, options, fn, make_scratch);
  dist::Block b;
  const RunOptions mine = block_options(options, b);
  std::vector<std::string> parts;
  {
    const std::vector<RunOutput> part = run_path_groups(groups, mine, fn, make_scratch);
    ByteWriter w;
    for (const RunOutput& g : part)
      w.put_vector(g.scalars), w.put_vector(g.kept), w.put_vector(g.chunk_sums);
    parts = collect(w.take(), split);
  }
  std::vector<RunOutput> outs(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    outs[g].shape = groups[g];
    outs[g].first_path = options.first_path;
  }
  if (parts.empty()) return outs;  // another rank holds the result

  const std::size_t n = options.paths;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    RunOutput& out = outs[g];
    const OutputShape& shape = groups[g];
    const std::size_t W = shape.weeks, SW = shape.summed_series * W;
    out.paths = n;
    out.scalars.reserve(n * shape.scalars);
    out.kept.assign(shape.kept_series * W * n, 0.0);
    out.sums.assign(SW, 0.0);
  }
  for (int r = 0; r < dist::size(); ++r) {  // rank order is path order
    const dist::Block br = dist::block(n, options.chunk, r, dist::size());
    {
      ByteReader in(parts[std::size_t(r)]);
      for (std::size_t g = 0; g < groups.size(); ++g) {
        RunOutput& out = outs[g];
        const OutputShape& shape = groups[g];
        const std::size_t W = shape.weeks, SW = shape.summed_series * W;
        const auto scalars = in.get_vector<double>();
        const auto kept = in.get_vector<double>();
        const auto chunk_sums = in.get_vector<double>();
        out.scalars.insert(out.scalars.end(), scalars.begin(), scalars.end());
        for (std::size_t sw = 0; sw < shape.kept_series * W; ++sw)
          std::copy_n(kept.begin() + std::ptrdiff_t(sw * br.size()), br.size(),
                      out.kept.begin() + std::ptrdiff_t(sw * n + br.begin));
        // Chunk by chunk, as run_paths adds its chunks: the same additions in the same order.
        for (std::size_t c = 0; SW && c < chunk_sums.size() / SW; ++c)
          for (std::size_t k = 0; k < SW; ++k) out.sums[k] += chunk_sums[c * SW + k];
      }
    }
    std::string().swap(parts[std::size_t(r)]);
  }
  return outs;
}

StreamOutput stream_paths_split(const OutputShape& shape, const StreamSpec& spec,
                                const RunOptions& options, const PathFunction& fn,
                                const ScratchFactory& make_scratch, PathSplit split,
                                const KeptSink& sink) {
  if (!spread(split)) return stream_paths(shape, spec, options, fn, make_scratch, sink);
  dist::Block b;
  const RunOptions mine = block_options(options, b);
  std::vector<std::string> parts;
  std::size_t working_bytes = 0;
  {
    std::optional<KeptRelay> relay;
    if (sink) relay.emplace(options, b.begin, sink);
    const StreamOutput part =
        stream_paths(shape, spec, mine, fn, make_scratch,
                     sink ? KeptSink([&](const KeptChunk& c) { relay->send(c); }) : KeptSink());
    if (relay) relay->finish();
    working_bytes = part.working_bytes;
    ByteWriter w;
    w.put_vector(part.chunk_moments), w.put_vector(part.chunk_sums);
    w.put(std::uint64_t(part.scalar_sketches.size() + part.kept_sketches.size()));
    for (const auto& s : part.scalar_sketches) s.save(w);
    for (const auto& s : part.kept_sketches) s.save(w);
    parts = collect(w.take(), split);
  }
  const std::size_t W = shape.weeks, S = shape.scalars, KW = shape.kept_series * W;
  const std::size_t SW = shape.summed_series * W, per_chunk = S + KW;
  StreamOutput out;
  out.shape = shape;
  out.spec = spec;
  out.first_path = options.first_path;
  out.working_bytes = working_bytes;
  if (parts.empty()) return out;  // another rank holds the result

  // Set up as stream_paths sets up its output, then fold every chunk in path order.
  out = empty_stream_output(shape, spec, options);
  out.working_bytes = working_bytes;
  for (int r = 0; r < dist::size(); ++r) {
    {
      ByteReader in(parts[std::size_t(r)]);
      const auto moments = in.get_vector<Moments>();
      const auto sums = in.get_vector<double>();
      const std::size_t chunks = per_chunk ? moments.size() / per_chunk : SW ? sums.size() / SW : 0;
      for (std::size_t c = 0; c < chunks; ++c)
        fold_chunk(out, moments.data() + c * per_chunk, sums.data() + c * SW);
      // Sketch merges are exact: any order gives the same bins.
      const auto sketches = in.get<std::uint64_t>();
      for (std::uint64_t i = 0; i < sketches; ++i) {
        const QuantileSketch s = QuantileSketch::load(in);
        if (i < out.scalar_sketches.size())
          out.scalar_sketches[i].merge(s);
        else
          out.kept_sketches[i - out.scalar_sketches.size()].merge(s);
      }
    }
    std::string().swap(parts[std::size_t(r)]);
  }
  return out;
}

}  // namespace sim
