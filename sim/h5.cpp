#include "h5.hpp"

#include <cstring>

namespace sim::h5 {
namespace {

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) throw Error("HDF5: cannot " + what);
  return id;
}
void check_status(herr_t st, const std::string& what) {
  if (st < 0) throw Error("HDF5: cannot " + what);
}

// Closes an hid_t of any kind at scope exit.
struct Handle {
  hid_t id;
  herr_t (*closer)(hid_t);
  ~Handle() {
    if (id >= 0) closer(id);
  }
};

// Variable-length UTF-8: h5py reads it as str, h5dump shows it as text.
hid_t string_type() {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

void write_attr(hid_t obj, const std::string& name, hid_t type, hid_t space, const void* data) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  Handle a{check(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                 "create attribute " + name),
           H5Aclose};
  check_status(H5Awrite(a.id, type, data), "write attribute " + name);
}

template <class T>
void write_data(hid_t loc, const std::string& name, hid_t type, const std::vector<T>& data,
                const std::vector<hsize_t>& dims) {
  Handle space{check(H5Screate_simple(int(dims.size()), dims.data(), nullptr), "make space"),
               H5Sclose};
  Handle ds{
      check(H5Dcreate2(loc, name.c_str(), type, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
            "create dataset " + name),
      H5Dclose};
  if (!data.empty())
    check_status(H5Dwrite(ds.id, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
                 "write dataset " + name);
}

}  // namespace

Group& Group::operator=(Group&& o) noexcept {
  if (this != &o) {
    if (id_ >= 0) H5Gclose(id_);
    id_ = o.id_;
    o.id_ = -1;
  }
  return *this;
}
Group::~Group() {
  if (id_ >= 0) H5Gclose(id_);
}

Group Group::group(const std::string& name) {
  return Group(check(H5Gcreate2(id_, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                     "create group " + name));
}
Group Group::open_group(const std::string& name) const {
  return Group(check(H5Gopen2(id_, name.c_str(), H5P_DEFAULT), "open group " + name));
}
bool Group::has(const std::string& name) const {
  return H5Lexists(id_, name.c_str(), H5P_DEFAULT) > 0;
}
bool Group::has_attr(const std::string& name) const { return H5Aexists(id_, name.c_str()) > 0; }

void Group::attr(const std::string& name, const std::string& value) {
  Handle t{string_type(), H5Tclose};
  Handle s{H5Screate(H5S_SCALAR), H5Sclose};
  const char* p = value.c_str();
  write_attr(id_, name, t.id, s.id, &p);
}
void Group::attr(const std::string& name, double value) {
  Handle s{H5Screate(H5S_SCALAR), H5Sclose};
  write_attr(id_, name, H5T_NATIVE_DOUBLE, s.id, &value);
}
void Group::attr(const std::string& name, std::int64_t value) {
  Handle s{H5Screate(H5S_SCALAR), H5Sclose};
  write_attr(id_, name, H5T_NATIVE_INT64, s.id, &value);
}
void Group::attr(const std::string& name, const std::vector<double>& values) {
  hsize_t n = values.size();
  Handle s{H5Screate_simple(1, &n, nullptr), H5Sclose};
  write_attr(id_, name, H5T_NATIVE_DOUBLE, s.id, values.data());
}

std::string Group::attr_string(const std::string& name) const {
  Handle a{check(H5Aopen(id_, name.c_str(), H5P_DEFAULT), "open attribute " + name), H5Aclose};
  Handle t{H5Aget_type(a.id), H5Tclose};
  if (H5Tis_variable_str(t.id) > 0) {
    char* p = nullptr;
    Handle mt{H5Tget_native_type(t.id, H5T_DIR_ASCEND), H5Tclose};
    check_status(H5Aread(a.id, mt.id, &p), "read attribute " + name);
    std::string s = p ? p : "";
    H5free_memory(p);
    return s;
  }
  std::string s(H5Tget_size(t.id), '\0');
  check_status(H5Aread(a.id, t.id, s.data()), "read attribute " + name);
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}
double Group::attr_double(const std::string& name) const {
  Handle a{check(H5Aopen(id_, name.c_str(), H5P_DEFAULT), "open attribute " + name), H5Aclose};
  double v = 0;
  check_status(H5Aread(a.id, H5T_NATIVE_DOUBLE, &v), "read attribute " + name);
  return v;
}
std::int64_t Group::attr_int(const std::string& name) const {
  Handle a{check(H5Aopen(id_, name.c_str(), H5P_DEFAULT), "open attribute " + name), H5Aclose};
  std::int64_t v = 0;
  check_status(H5Aread(a.id, H5T_NATIVE_INT64, &v), "read attribute " + name);
  return v;
}

void Group::write(const std::string& name, const std::vector<double>& data,
                  const std::vector<hsize_t>& dims) {
  write_data(id_, name, H5T_NATIVE_DOUBLE, data, dims);
}
void Group::write(const std::string& name, const std::vector<std::int32_t>& data,
                  const std::vector<hsize_t>& dims) {
  write_data(id_, name, H5T_NATIVE_INT32, data, dims);
}
void Group::write(const std::string& name, const std::vector<std::uint8_t>& data,
                  const std::vector<hsize_t>& dims) {
  write_data(id_, name, H5T_NATIVE_UINT8, data, dims);
}
void Group::write_string(const std::string& name, const std::string& text) {
  Handle t{string_type(), H5Tclose};
  Handle s{H5Screate(H5S_SCALAR), H5Sclose};
  Handle ds{check(H5Dcreate2(id_, name.c_str(), t.id, s.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  "create dataset " + name),
            H5Dclose};
  const char* p = text.c_str();
  check_status(H5Dwrite(ds.id, t.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "write dataset " + name);
}
void Group::write_strings(const std::string& name, const std::vector<std::string>& items) {
  Handle t{string_type(), H5Tclose};
  hsize_t n = items.size();
  Handle s{H5Screate_simple(1, &n, nullptr), H5Sclose};
  Handle ds{check(H5Dcreate2(id_, name.c_str(), t.id, s.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  "create dataset " + name),
            H5Dclose};
  std::vector<const char*> ptrs;
  for (const auto& i : items) ptrs.push_back(i.c_str());
  if (n)
    check_status(H5Dwrite(ds.id, t.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()),
                 "write dataset " + name);
}

std::vector<double> Group::read_doubles(const std::string& name, std::vector<hsize_t>* dims) const {
  Handle ds{check(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), "open dataset " + name), H5Dclose};
  Handle sp{H5Dget_space(ds.id), H5Sclose};
  const int rank = H5Sget_simple_extent_ndims(sp.id);
  std::vector<hsize_t> d(std::max(rank, 0));
  H5Sget_simple_extent_dims(sp.id, d.data(), nullptr);
  std::size_t n = 1;
  for (auto x : d) n *= x;
  std::vector<double> out(n);
  if (n)
    check_status(H5Dread(ds.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
                 "read dataset " + name);
  if (dims) *dims = d;
  return out;
}
std::string Group::read_string(const std::string& name) const {
  Handle ds{check(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), "open dataset " + name), H5Dclose};
  Handle t{H5Dget_type(ds.id), H5Tclose};
  if (H5Tis_variable_str(t.id) > 0) {
    char* p = nullptr;
    Handle mt{string_type(), H5Tclose};
    check_status(H5Dread(ds.id, mt.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "read " + name);
    std::string s = p ? p : "";
    H5free_memory(p);
    return s;
  }
  std::string s(H5Tget_size(t.id), '\0');
  check_status(H5Dread(ds.id, t.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.data()), "read " + name);
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

std::vector<std::string> Group::read_strings(const std::string& name) const {
  Handle ds{check(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), "open dataset " + name), H5Dclose};
  Handle t{H5Dget_type(ds.id), H5Tclose};
  Handle sp{H5Dget_space(ds.id), H5Sclose};
  if (H5Tget_class(t.id) != H5T_STRING) throw Error("HDF5: " + name + " is not a string dataset");
  const hssize_t n = H5Sget_simple_extent_npoints(sp.id);
  std::vector<std::string> out;
  if (n <= 0) return out;
  if (H5Tis_variable_str(t.id) > 0) {
    std::vector<char*> ptrs(n, nullptr);
    Handle mt{string_type(), H5Tclose};
    check_status(H5Dread(ds.id, mt.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "read " + name);
    for (char* p : ptrs) {
      out.emplace_back(p ? p : "");
      H5free_memory(p);
    }
    return out;
  }
  const std::size_t size = H5Tget_size(t.id);
  std::string buf(size * n, '\0');
  check_status(H5Dread(ds.id, t.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "read " + name);
  for (hssize_t i = 0; i < n; ++i) {
    std::string s = buf.substr(i * size, size);
    s.resize(std::strlen(s.c_str()));
    out.push_back(s);
  }
  return out;
}

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}
QuietErrors::~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

bool File::is_hdf5(const std::string& path) {
  QuietErrors quiet;
#if H5_VERSION_GE(1, 12, 0)
  return H5Fis_accessible(path.c_str(), H5P_DEFAULT) > 0;
#else
  return H5Fis_hdf5(path.c_str()) > 0;
#endif
}

File File::create(const std::string& path) {
  return File(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                    "create file " + path));
}
File File::open_read(const std::string& path) {
  return File(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open file " + path));
}
void File::close() {
  if (id_ >= 0) {
    H5Fclose(id_);
    id_ = -1;
  }
}
File::~File() { close(); }

}  // namespace sim::h5
