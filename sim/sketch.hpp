#pragma once
// A mergeable quantile sketch with a relative-error guarantee (the idea of DDSketch, Masson et
// al. 2019): every value falls in a logarithmic bin (gamma^(k-1), gamma^k] of its magnitude, one
// bin per sign; zero and +-inf have their own bins. Counts are integers and each bin also keeps
// its exact minimum and maximum, so merging is exact and the result does not depend on the order
// of merges (any thread count gives the same bits). Memory grows with the number of occupied
// bins, which is bounded by the spread of the values (about 1150 bins per decade at the default
// 0.2%), not by their number.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace sim {

class ByteWriter;
class ByteReader;

class QuantileSketch {
 public:
  // Quantiles are within `relative_error` of the exact ones (see quantiles()).
  static constexpr double kDefaultRelativeError = 0.002;
  explicit QuantileSketch(double relative_error = kDefaultRelativeError);

  void add(double x);  // NaN is skipped
  void merge(const QuantileSketch& other);

  std::uint64_t count() const { return count_; }  // samples added, NaN excluded
  std::uint64_t count_of_inf() const;             // +inf samples
  std::size_t bins() const { return bins_.size(); }
  double relative_error() const { return alpha_; }

  // Quantiles interpolated between order statistics as sim::quantiles does ("type 7"), each
  // order statistic replaced by its bin's representative value: the bin's only value when all
  // its samples are equal (so discrete values such as weeks come out exact), else the value
  // within relative_error of every point of the bin, clamped to the bin's observed range. A
  // quantile that falls on +-inf is nullopt, as in sim::quantiles. Error: at most relative_error
  // times the larger magnitude of the two order statistics it interpolates between.
  std::vector<std::optional<double>> quantiles(std::span<const double> probs) const;

  // The sketch as bytes and back, bins in key order (to merge sketches made by other
  // processes: sim/distributed_runner).
  void save(ByteWriter& w) const;
  static QuantileSketch load(ByteReader& r);

 private:
  struct Bin {
    std::uint64_t count = 0;
    double min = 0, max = 0;
  };
  // The occupied bins by key, in an open-addressing table (linear probing, at most 3/4 full):
  // an add is one hash and usually one probe of a flat array, where a node-based map chased a
  // pointer per add (6% of a streamed run). A slot is free while its count is 0: an occupied
  // bin always holds a sample.
  class Bins {
   public:
    // Joins b's samples (b.count above 0) to the bin of `key`, made if it is not there yet.
    void add(std::int32_t key, const Bin& b);
    const Bin* find(std::int32_t key) const;
    std::size_t size() const { return size_; }
    std::vector<std::pair<std::int32_t, Bin>> sorted() const;  // the occupied bins by key

   private:
    struct Slot {
      std::int32_t key = 0;
      Bin bin;
    };
    std::size_t slot_of(std::int32_t key) const;  // where key is, or the free slot it would take
    std::vector<Slot> slots_;
    std::size_t size_ = 0;
  };
  std::int32_t key(double x) const;  // ordered like the values
  double representative(std::int32_t key, const Bin& b) const;

  double alpha_, gamma_, log_gamma_;
  std::uint64_t count_ = 0;
  Bins bins_;
};

}  // namespace sim
