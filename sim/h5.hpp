#pragma once
// A small RAII layer over the HDF5 C API: groups, attributes, contiguous datasets and datasets
// written a block of rows at a time, which is all the results file needs. Errors throw
// sim::h5::Error with the object's name and, for a failed write, the system's reason. HDF5's own
// error printing is off in every thread that opens or creates a file here: a failure is one Error,
// never a page of HDF5 diagnostics.
//
// Readers check what they read (the type class, the shape, the size against the file's), so a
// damaged file gives an Error rather than a crash or a huge allocation.
#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace sim::h5 {

struct Error : std::runtime_error {
  explicit Error(const std::string& what, std::string reason = {})
      : std::runtime_error(what), reason_(std::move(reason)) {}
  // The system's reason when HDF5 reported one (a failed write's errno, in words, e.g. "the
  // disk is full (No space left on device)"), else empty.
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

// Turns HDF5's automatic error printing off for the calling thread (HDF5 keeps it per thread).
// Every File factory calls it; call it yourself before other HDF5 calls on a new thread.
void silence_hdf5_errors();

class Group {
 public:
  Group() = default;
  explicit Group(hid_t id) : id_(id) {}
  Group(Group&& o) noexcept : id_(o.id_) { o.id_ = -1; }
  Group& operator=(Group&& o) noexcept;
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;
  virtual ~Group();

  hid_t id() const { return id_; }
  Group group(const std::string& name);             // create
  Group open_group(const std::string& name) const;  // open existing
  bool has(const std::string& name) const;
  bool has_attr(const std::string& name) const;

  void attr(const std::string& name, const std::string& value);
  void attr(const std::string& name, double value);
  void attr(const std::string& name, std::int64_t value);
  void attr(const std::string& name, const std::vector<double>& values);
  std::string attr_string(const std::string& name) const;
  double attr_double(const std::string& name) const;
  std::int64_t attr_int(const std::string& name) const;

  // Datasets; dims are row-major, product(dims) == data.size().
  void write(const std::string& name, const std::vector<double>& data,
             const std::vector<hsize_t>& dims);
  void write(const std::string& name, const std::vector<std::int32_t>& data,
             const std::vector<hsize_t>& dims);
  void write(const std::string& name, const std::vector<std::int64_t>& data,
             const std::vector<hsize_t>& dims);
  void write(const std::string& name, const std::vector<std::uint8_t>& data,
             const std::vector<hsize_t>& dims);
  void write_string(const std::string& name, const std::string& text);
  void write_strings(const std::string& name, const std::vector<std::string>& items);
  // A numeric dataset as doubles (Error for any other type class).
  std::vector<double> read_doubles(const std::string& name,
                                   std::vector<hsize_t>* dims = nullptr) const;
  std::string read_string(const std::string& name) const;                // scalar string
  std::vector<std::string> read_strings(const std::string& name) const;  // 1-D string dataset

 protected:
  hid_t id_ = -1;
};

// A 2-D float64 dataset written a block of rows at a time, in any order, while the rows are
// made: chunked storage of chunk_rows rows, extendible in rows, for data too large to hold in
// memory at once. Its values read back as those of Group::write with the same numbers.
class RowDataset {
 public:
  RowDataset(Group& where, const std::string& name, hsize_t rows, hsize_t columns,
             hsize_t chunk_rows);
  RowDataset(RowDataset&& o) noexcept
      : id_(o.id_), rows_(o.rows_), columns_(o.columns_), name_(std::move(o.name_)) {
    o.id_ = -1;
  }
  RowDataset& operator=(RowDataset&&) = delete;
  RowDataset(const RowDataset&) = delete;
  ~RowDataset();

  hsize_t rows() const { return rows_; }
  // Grows or shrinks the dataset to `rows` rows (rows dropped are gone; rows added are 0).
  void resize(hsize_t rows);
  // `rows` rows of `columns` values, row-major, from row first_row on (inside the dataset).
  void write_rows(hsize_t first_row, hsize_t rows, const double* values);
  // Closes it, writing what HDF5 still holds of it; throws Error when that fails.
  void close();

 private:
  hid_t id_ = -1;
  hsize_t rows_ = 0, columns_ = 0;
  std::string name_;  // for messages
};

// While alive, HDF5 prints no error stacks of its own (the Error thrown says what failed);
// for readers that probe files or objects which may be missing.
class QuietErrors {
 public:
  QuietErrors();
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

class File : public Group {
 public:
  // Truncates. user_block: bytes at the start of the file that HDF5 leaves to the
  // application (0, or a power of 2 from 512).
  static File create(const std::string& path, hsize_t user_block = 0);
  static File open_read(const std::string& path);
  // Whether path is an HDF5 file this library can open (false for a missing or other file).
  static bool is_hdf5(const std::string& path);
  File(File&& o) noexcept : Group(std::move(o)), writable_(o.writable_) {}
  ~File() override;  // closes, ignoring errors: call close() to know the file is complete
  // Flushes (a file opened for writing) and closes; throws Error when either fails, e.g. with
  // reason() "the disk is full (No space left on device)". Every group of the file must be
  // closed (destroyed) first, so the close is not deferred past the check.
  void close();
  std::uint64_t size() const;  // bytes, as HDF5 sees the file

 private:
  File(hid_t id, bool writable) : Group(id), writable_(writable) {}
  bool writable_ = false;
};

// FNV-1a 64 over the contents of every dataset and attribute under root, objects visited
// depth first with links in name order and attributes in name order; each value hashed with
// its path, name, type class, element size, shape, and its elements as little-endian bytes
// (strings as length and UTF-8 bytes). The root attribute named skip_root_attr is left out
// (the checksum itself). Throws Error on anything unreadable or unexpected in a damaged file.
std::uint64_t content_checksum(const File& root, const std::string& skip_root_attr);

}  // namespace sim::h5
