#pragma once
// A small RAII layer over the HDF5 C API: groups, attributes and contiguous datasets, which is
// all the results file needs. Errors throw sim::H5Error with the object's name.
#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace sim::h5 {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

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
  void write(const std::string& name, const std::vector<std::uint8_t>& data,
             const std::vector<hsize_t>& dims);
  void write_string(const std::string& name, const std::string& text);
  void write_strings(const std::string& name, const std::vector<std::string>& items);
  std::vector<double> read_doubles(const std::string& name,
                                   std::vector<hsize_t>* dims = nullptr) const;
  std::string read_string(const std::string& name) const;
  std::vector<std::string> read_strings(const std::string& name) const;  // 1-D string dataset

 protected:
  hid_t id_ = -1;
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
  static File create(const std::string& path);  // truncates
  static File open_read(const std::string& path);
  // Whether path is an HDF5 file this library can open (false for a missing or other file).
  static bool is_hdf5(const std::string& path);
  File(File&&) noexcept = default;
  ~File() override;
  void close();

 private:
  using Group::Group;
};

}  // namespace sim::h5
