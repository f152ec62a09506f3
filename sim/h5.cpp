#include "h5.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <optional>

#include "atomic_file.hpp"
#include "hash.hpp"

namespace sim::h5 {
namespace {

// The system's reason for the error HDF5 has just reported: its file drivers write "errno = N"
// into the description of a failed write, seek or truncate.
herr_t find_errno(unsigned, const H5E_error2_t* e, void* data) {
  int* err = static_cast<int*>(data);
  if (*err == 0 && e && e->desc)
    if (const char* p = std::strstr(e->desc, "errno = ")) *err = std::atoi(p + 8);
  return 0;
}
std::string current_reason() {
  int err = 0;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, find_errno, &err);
  return err > 0 ? io_error_reason(err) : std::string();
}

[[noreturn]] void fail(const std::string& what) {
  throw Error("HDF5: cannot " + what, current_reason());
}

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) fail(what);
  return id;
}
void check_status(herr_t st, const std::string& what) {
  if (st < 0) fail(what);
}

// Closes an hid_t of any kind at scope exit.
struct Handle {
  hid_t id;
  herr_t (*closer)(hid_t);
  Handle(hid_t i, herr_t (*c)(hid_t)) : id(i), closer(c) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id >= 0) closer(id);
  }
  // Closes now and says whether that worked: closing a dataset writes what HDF5 still holds
  // of its values (its sieve buffer), so for a written dataset the close is part of the write.
  herr_t close() {
    const herr_t st = id >= 0 ? closer(id) : 0;
    id = -1;
    return st;
  }
};

// Variable-length UTF-8: h5py reads it as str, h5dump shows it as text.
hid_t string_type() {
  const hid_t t = check(H5Tcopy(H5T_C_S1), "make a string type");
  if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
    H5Tclose(t);
    fail("make a string type");
  }
  return t;
}

void write_attr(hid_t obj, const std::string& name, hid_t type, hid_t space, const void* data) {
  const htri_t exists = H5Aexists(obj, name.c_str());
  check_status(exists, "look up attribute " + name);
  if (exists > 0) check_status(H5Adelete(obj, name.c_str()), "replace attribute " + name);
  Handle a{check(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                 "create attribute " + name),
           H5Aclose};
  check_status(H5Awrite(a.id, type, data), "write attribute " + name);
  check_status(a.close(), "write attribute " + name);
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
  check_status(ds.close(), "write dataset " + name);
}

// ---- Reading, with every size, type and return code checked -------------------------------

// A dataset or an attribute, read the same way.
struct Source {
  hid_t id;
  bool is_attr;
  std::string name;
  hid_t type() const { return is_attr ? H5Aget_type(id) : H5Dget_type(id); }
  hid_t space() const { return is_attr ? H5Aget_space(id) : H5Dget_space(id); }
  herr_t read(hid_t mem_type, void* buf) const {
    return is_attr ? H5Aread(id, mem_type, buf)
                   : H5Dread(id, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
  }
};

struct Shape {
  std::vector<hsize_t> dims;  // empty for a scalar
  hsize_t count = 0;          // elements
};

Shape shape_of(const Source& s) {
  Handle sp{check(s.space(), "read the shape of " + s.name), H5Sclose};
  const H5S_class_t cls = H5Sget_simple_extent_type(sp.id);
  Shape out;
  if (cls == H5S_NULL) return out;
  if (cls != H5S_SCALAR && cls != H5S_SIMPLE)
    throw Error("HDF5: " + s.name + " has no valid shape");
  const int rank = H5Sget_simple_extent_ndims(sp.id);
  if (rank < 0 || rank > 32) throw Error("HDF5: " + s.name + " has no valid shape");
  out.dims.resize(std::size_t(rank));
  if (rank > 0)
    check_status(H5Sget_simple_extent_dims(sp.id, out.dims.data(), nullptr),
                 "read the shape of " + s.name);
  out.count = 1;
  for (hsize_t d : out.dims) {
    if (d != 0 && out.count > std::numeric_limits<hsize_t>::max() / d)
      throw Error("HDF5: " + s.name + " has an impossible shape");
    out.count *= d;
  }
  return out;
}

// A value of `count` elements of `bytes` each must fit in memory the way it fits in the file:
// a damaged shape must not make us allocate terabytes.
void check_fits(const Source& s, hsize_t count, std::size_t bytes) {
  hsize_t file_size = 0;
  if (const hid_t f = H5Iget_file_id(s.id); f >= 0) {
    if (H5Fget_filesize(f, &file_size) < 0) file_size = 0;
    H5Fclose(f);
  }
  const hsize_t limit = 4 * file_size + (hsize_t(1) << 20);
  if (count > limit / std::max<std::size_t>(bytes, 1))
    throw Error("HDF5: " + s.name + " claims " + std::to_string(count) +
                " values, more than the file can hold");
}

H5T_class_t class_of(hid_t type, const std::string& name) {
  const H5T_class_t c = H5Tget_class(type);
  if (c == H5T_NO_CLASS) fail("read the type of " + name);
  return c;
}

// A number of a salesim file is at most 8 bytes. A damaged type can claim gigabytes a number,
// and HDF5 would allocate that much for each one it converts.
std::size_t number_size(hid_t type, const std::string& name) {
  const std::size_t size = H5Tget_size(type);
  if (size == 0) fail("read the type of " + name);
  if (size > 8)
    throw Error("HDF5: " + name + " has numbers of " + std::to_string(size) +
                " bytes; a salesim file holds numbers of at most 8");
  return size;
}

std::vector<double> numbers(const Source& s, Shape* shape_out = nullptr) {
  Handle t{check(s.type(), "read the type of " + s.name), H5Tclose};
  const H5T_class_t c = class_of(t.id, s.name);
  if (c != H5T_INTEGER && c != H5T_FLOAT) throw Error("HDF5: " + s.name + " is not numeric");
  number_size(t.id, s.name);
  const Shape shape = shape_of(s);
  check_fits(s, shape.count, sizeof(double));
  std::vector<double> out(shape.count);
  if (shape.count) check_status(s.read(H5T_NATIVE_DOUBLE, out.data()), "read " + s.name);
  if (shape_out) *shape_out = shape;
  return out;
}

std::vector<std::string> strings(const Source& s, Shape* shape_out = nullptr) {
  Handle t{check(s.type(), "read the type of " + s.name), H5Tclose};
  if (class_of(t.id, s.name) != H5T_STRING) throw Error("HDF5: " + s.name + " is not text");
  const Shape shape = shape_of(s);
  if (shape_out) *shape_out = shape;
  std::vector<std::string> out;
  if (shape.count == 0) return out;
  const htri_t variable = H5Tis_variable_str(t.id);
  check_status(variable, "read the type of " + s.name);
  if (variable > 0) {
    check_fits(s, shape.count, 16);  // each variable-length string takes 16 bytes in the file
    std::vector<char*> ptrs(shape.count, nullptr);
    Handle mt{string_type(), H5Tclose};
    const herr_t st = s.read(mt.id, ptrs.data());
    for (char* p : ptrs) {
      if (st >= 0) out.emplace_back(p ? p : "");
      if (p) H5free_memory(p);
    }
    check_status(st, "read " + s.name);
    return out;
  }
  const std::size_t size = H5Tget_size(t.id);
  if (size == 0) fail("read the type of " + s.name);
  check_fits(s, shape.count, size);
  Handle mt{check(H5Tcopy(H5T_C_S1), "make a string type"), H5Tclose};
  check_status(H5Tset_size(mt.id, size), "make a string type");
  std::string buf(size * shape.count, '\0');
  check_status(s.read(mt.id, buf.data()), "read " + s.name);
  for (hsize_t i = 0; i < shape.count; ++i) {
    std::string item = buf.substr(i * size, size);
    item.resize(std::strlen(item.c_str()));
    out.push_back(std::move(item));
  }
  return out;
}

std::string one_string(const Source& s) {
  auto v = strings(s);
  if (v.size() != 1) throw Error("HDF5: " + s.name + " is not a single text value");
  return std::move(v[0]);
}
double one_number(const Source& s) {
  auto v = numbers(s);
  if (v.size() != 1) throw Error("HDF5: " + s.name + " is not a single number");
  return v[0];
}

// ---- The checksum ---------------------------------------------------------------------------

// Elements read at a time while hashing: a dataset of any size is hashed in 8 MiB.
constexpr hsize_t kHashPiece = hsize_t(1) << 20;

// The elements of s as 8-byte `mem` values, in row-major order, into h: an attribute or a small
// dataset at once, a larger dataset in slabs of whole rows of its first dimension (the same
// bytes in the same order, so the same hash).
void hash_elements(Fnv1a64& h, const Source& s, hid_t mem, const Shape& shape) {
  if (s.is_attr || shape.dims.empty() || shape.count <= kHashPiece) {
    std::vector<std::uint64_t> buf(shape.count);
    check_status(s.read(mem, buf.data()), "read " + s.name);
    return h.add(buf.data(), buf.size() * 8);
  }
  const hsize_t per_row = shape.count / shape.dims[0];
  const hsize_t rows_per_piece = std::max<hsize_t>(1, kHashPiece / per_row);
  Handle file_space{check(s.space(), "read the shape of " + s.name), H5Sclose};
  std::vector<hsize_t> start(shape.dims.size(), 0), count = shape.dims;
  std::vector<std::uint64_t> buf;
  for (hsize_t row = 0; row < shape.dims[0]; row += rows_per_piece) {
    start[0] = row;
    count[0] = std::min(rows_per_piece, shape.dims[0] - row);
    const hsize_t n = count[0] * per_row;
    check_status(H5Sselect_hyperslab(file_space.id, H5S_SELECT_SET, start.data(), nullptr,
                                     count.data(), nullptr),
                 "read " + s.name);
    Handle mem_space{check(H5Screate_simple(1, &n, nullptr), "make space"), H5Sclose};
    buf.resize(n);
    check_status(H5Dread(s.id, mem, mem_space.id, file_space.id, H5P_DEFAULT, buf.data()),
                 "read " + s.name);
    h.add(buf.data(), n * 8);
  }
}

void hash_value(Fnv1a64& h, const Source& s) {
  Handle t{check(s.type(), "read the type of " + s.name), H5Tclose};
  const H5T_class_t c = class_of(t.id, s.name);
  Shape shape;
  if (c == H5T_STRING) {
    const auto items = strings(s, &shape);
    h.add_u64(std::uint64_t(c));
    h.add_u64(shape.dims.size());
    for (hsize_t d : shape.dims) h.add_u64(d);
    for (const auto& item : items) {
      h.add_u64(item.size());
      h.add(item);
    }
    return;
  }
  if (c != H5T_INTEGER && c != H5T_FLOAT)
    throw Error("HDF5: " + s.name + " has a type a salesim file does not hold");
  const std::size_t size = number_size(t.id, s.name);
  bool is_signed = true;
  if (c == H5T_INTEGER) {
    const H5T_sign_t sign = H5Tget_sign(t.id);
    if (sign == H5T_SGN_ERROR) fail("read the type of " + s.name);
    is_signed = sign != H5T_SGN_NONE;
  }
  shape = shape_of(s);
  h.add_u64(std::uint64_t(c));
  h.add_u64(size);
  h.add_u64(is_signed);
  h.add_u64(shape.dims.size());
  for (hsize_t d : shape.dims) h.add_u64(d);
  if (shape.count == 0) return;
  check_fits(s, shape.count, 8);
  // Every element as 8 little-endian bytes, whatever the platform.
  const hid_t mem = c == H5T_FLOAT ? H5T_IEEE_F64LE : is_signed ? H5T_STD_I64LE : H5T_STD_U64LE;
  hash_elements(h, s, mem, shape);
}

herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}
herr_t collect_link(hid_t, const char* name, const H5L_info_t* info, void* data) {
  if (info->type != H5L_TYPE_HARD) return -1;  // salesim writes hard links only
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

void hash_object(Fnv1a64& h, hid_t obj, bool is_dataset, const std::string& path,
                 const std::string& skip_root_attr, int depth, std::size_t& objects) {
  if (depth > 32 || ++objects > 1000000)
    throw Error("HDF5: the file's groups nest too deep (" + path + ")");
  h.add(is_dataset ? "D" : "G");
  h.add_u64(path.size());
  h.add(path);
  std::vector<std::string> attrs;
  check_status(H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_attr, &attrs),
               "list the attributes of " + path);
  std::sort(attrs.begin(), attrs.end());
  for (const auto& name : attrs) {
    if (depth == 0 && name == skip_root_attr) continue;
    Handle a{check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "open attribute " + path + "@" + name),
             H5Aclose};
    h.add("A");
    h.add_u64(name.size());
    h.add(name);
    hash_value(h, Source{a.id, true, path + "@" + name});
  }
  if (is_dataset) return hash_value(h, Source{obj, false, path});
  std::vector<std::string> links;
  check_status(H5Literate(obj, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_link, &links),
               "list the objects of " + path);
  std::sort(links.begin(), links.end());
  for (const auto& name : links) {
    const std::string child = (path == "/" ? "/" : path + "/") + name;
    Handle o{check(H5Oopen(obj, name.c_str(), H5P_DEFAULT), "open " + child), H5Oclose};
    const H5I_type_t type = H5Iget_type(o.id);
    if (type != H5I_GROUP && type != H5I_DATASET)
      throw Error("HDF5: " + child + " is neither a group nor a dataset");
    hash_object(h, o.id, type == H5I_DATASET, child, skip_root_attr, depth + 1, objects);
  }
}

}  // namespace

void silence_hdf5_errors() {
  // HDF5 1.10 keeps a file whose H5Fclose failed (a full disk) half-closed among its open
  // files, and its clean-up at exit then crashes on it. So no clean-up at exit: every file is
  // closed here explicitly anyway. H5dont_atexit works only before HDF5's first call.
  static std::once_flag once;
  std::call_once(once, [] { H5dont_atexit(); });
  thread_local bool silenced = false;
  if (silenced) return;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  silenced = true;
}

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
  const hid_t id = check(H5Oopen(id_, name.c_str(), H5P_DEFAULT), "open group " + name);
  if (H5Iget_type(id) != H5I_GROUP) {
    H5Oclose(id);
    throw Error("HDF5: " + name + " is not a group");
  }
  return Group(id);
}
bool Group::has(const std::string& name) const {
  return H5Lexists(id_, name.c_str(), H5P_DEFAULT) > 0;
}
bool Group::has_attr(const std::string& name) const { return H5Aexists(id_, name.c_str()) > 0; }

void Group::attr(const std::string& name, const std::string& value) {
  Handle t{string_type(), H5Tclose};
  Handle s{check(H5Screate(H5S_SCALAR), "make space"), H5Sclose};
  const char* p = value.c_str();
  write_attr(id_, name, t.id, s.id, &p);
}
void Group::attr(const std::string& name, double value) {
  Handle s{check(H5Screate(H5S_SCALAR), "make space"), H5Sclose};
  write_attr(id_, name, H5T_NATIVE_DOUBLE, s.id, &value);
}
void Group::attr(const std::string& name, std::int64_t value) {
  Handle s{check(H5Screate(H5S_SCALAR), "make space"), H5Sclose};
  write_attr(id_, name, H5T_NATIVE_INT64, s.id, &value);
}
void Group::attr(const std::string& name, const std::vector<double>& values) {
  hsize_t n = values.size();
  Handle s{check(H5Screate_simple(1, &n, nullptr), "make space"), H5Sclose};
  write_attr(id_, name, H5T_NATIVE_DOUBLE, s.id, values.data());
}

std::string Group::attr_string(const std::string& name) const {
  Handle a{check(H5Aopen(id_, name.c_str(), H5P_DEFAULT), "open attribute " + name), H5Aclose};
  return one_string(Source{a.id, true, "attribute " + name});
}
double Group::attr_double(const std::string& name) const {
  Handle a{check(H5Aopen(id_, name.c_str(), H5P_DEFAULT), "open attribute " + name), H5Aclose};
  return one_number(Source{a.id, true, "attribute " + name});
}
std::int64_t Group::attr_int(const std::string& name) const {
  Handle a{check(H5Aopen(id_, name.c_str(), H5P_DEFAULT), "open attribute " + name), H5Aclose};
  Handle t{check(H5Aget_type(a.id), "read the type of attribute " + name), H5Tclose};
  if (class_of(t.id, name) != H5T_INTEGER)
    throw Error("HDF5: attribute " + name + " is not an integer");
  Handle sp{check(H5Aget_space(a.id), "read the shape of attribute " + name), H5Sclose};
  if (H5Sget_simple_extent_npoints(sp.id) != 1)
    throw Error("HDF5: attribute " + name + " is not a single number");
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
void Group::write(const std::string& name, const std::vector<std::int64_t>& data,
                  const std::vector<hsize_t>& dims) {
  write_data(id_, name, H5T_NATIVE_INT64, data, dims);
}
void Group::write(const std::string& name, const std::vector<std::uint8_t>& data,
                  const std::vector<hsize_t>& dims) {
  write_data(id_, name, H5T_NATIVE_UINT8, data, dims);
}
void Group::write_string(const std::string& name, const std::string& text) {
  Handle t{string_type(), H5Tclose};
  Handle s{check(H5Screate(H5S_SCALAR), "make space"), H5Sclose};
  Handle ds{check(H5Dcreate2(id_, name.c_str(), t.id, s.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  "create dataset " + name),
            H5Dclose};
  const char* p = text.c_str();
  check_status(H5Dwrite(ds.id, t.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "write dataset " + name);
  check_status(ds.close(), "write dataset " + name);
}
void Group::write_strings(const std::string& name, const std::vector<std::string>& items) {
  Handle t{string_type(), H5Tclose};
  hsize_t n = items.size();
  Handle s{check(H5Screate_simple(1, &n, nullptr), "make space"), H5Sclose};
  Handle ds{check(H5Dcreate2(id_, name.c_str(), t.id, s.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  "create dataset " + name),
            H5Dclose};
  std::vector<const char*> ptrs;
  for (const auto& i : items) ptrs.push_back(i.c_str());
  if (n)
    check_status(H5Dwrite(ds.id, t.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()),
                 "write dataset " + name);
  check_status(ds.close(), "write dataset " + name);
}

std::vector<double> Group::read_doubles(const std::string& name, std::vector<hsize_t>* dims) const {
  Handle ds{check(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), "open dataset " + name), H5Dclose};
  Shape shape;
  auto out = numbers(Source{ds.id, false, name}, &shape);
  if (dims) *dims = shape.dims;
  return out;
}
std::string Group::read_string(const std::string& name) const {
  Handle ds{check(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), "open dataset " + name), H5Dclose};
  return one_string(Source{ds.id, false, name});
}
std::vector<std::string> Group::read_strings(const std::string& name) const {
  Handle ds{check(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), "open dataset " + name), H5Dclose};
  Shape shape;
  auto out = strings(Source{ds.id, false, name}, &shape);
  if (shape.dims.size() > 1) throw Error("HDF5: " + name + " is not a list of text values");
  return out;
}

RowDataset::RowDataset(Group& where, const std::string& name, hsize_t rows, hsize_t columns,
                       hsize_t chunk_rows)
    : rows_(rows), columns_(columns), name_(name) {
  const hsize_t dims[2] = {rows, columns}, most[2] = {H5S_UNLIMITED, columns};
  const hsize_t chunk[2] = {std::max<hsize_t>(1, chunk_rows), std::max<hsize_t>(1, columns)};
  Handle space{check(H5Screate_simple(2, dims, most), "make space"), H5Sclose};
  Handle dcpl{check(H5Pcreate(H5P_DATASET_CREATE), "create dataset " + name), H5Pclose};
  check_status(H5Pset_chunk(dcpl.id, 2, chunk), "create dataset " + name);
  id_ = check(H5Dcreate2(where.id(), name.c_str(), H5T_NATIVE_DOUBLE, space.id, H5P_DEFAULT,
                         dcpl.id, H5P_DEFAULT),
              "create dataset " + name);
}

RowDataset::~RowDataset() {
  if (id_ >= 0) H5Dclose(id_);
}

void RowDataset::resize(hsize_t rows) {
  const hsize_t dims[2] = {rows, columns_};
  check_status(H5Dset_extent(id_, dims), "resize dataset " + name_);
  rows_ = rows;
}

void RowDataset::write_rows(hsize_t first_row, hsize_t rows, const double* values) {
  if (first_row > rows_ || rows > rows_ - first_row)
    throw Error("HDF5: rows " + std::to_string(first_row) + ".." +
                std::to_string(first_row + rows) + " are outside dataset " + name_ + " of " +
                std::to_string(rows_) + " rows");
  if (rows == 0 || columns_ == 0) return;
  const std::string what = "write dataset " + name_;
  Handle file_space{check(H5Dget_space(id_), what), H5Sclose};
  const hsize_t start[2] = {first_row, 0}, count[2] = {rows, columns_};
  check_status(H5Sselect_hyperslab(file_space.id, H5S_SELECT_SET, start, nullptr, count, nullptr),
               what);
  Handle mem_space{check(H5Screate_simple(2, count, nullptr), "make space"), H5Sclose};
  check_status(H5Dwrite(id_, H5T_NATIVE_DOUBLE, mem_space.id, file_space.id, H5P_DEFAULT, values),
               what);
}

void RowDataset::close() {
  if (id_ < 0) return;
  const hid_t id = id_;
  id_ = -1;
  check_status(H5Dclose(id), "write dataset " + name_);
}

QuietErrors::QuietErrors() {
  silence_hdf5_errors();
  H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}
QuietErrors::~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

bool File::is_hdf5(const std::string& path) {
  silence_hdf5_errors();
#if H5_VERSION_GE(1, 12, 0)
  return H5Fis_accessible(path.c_str(), H5P_DEFAULT) > 0;
#else
  return H5Fis_hdf5(path.c_str()) > 0;
#endif
}

File File::create(const std::string& path, hsize_t user_block) {
  silence_hdf5_errors();
  Handle fcpl{check(H5Pcreate(H5P_FILE_CREATE), "create file " + path), H5Pclose};
  if (user_block) check_status(H5Pset_userblock(fcpl.id, user_block), "create file " + path);
  return File(
      check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id, H5P_DEFAULT), "create file " + path),
      true);
}
File File::open_read(const std::string& path) {
  silence_hdf5_errors();
  return File(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open file " + path),
              false);
}
void File::close() {
  if (id_ < 0) return;
  const hid_t id = id_;
  id_ = -1;
  // Objects still open would defer the real close (and its last writes) past this check.
  const ssize_t open = H5Fget_obj_count(
      id, H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR | H5F_OBJ_LOCAL);
  std::optional<Error> error;
  if (writable_ && H5Fflush(id, H5F_SCOPE_LOCAL) < 0)
    error.emplace("HDF5: cannot flush the file", current_reason());
  if (H5Fclose(id) < 0 && !error) error.emplace("HDF5: cannot close the file", current_reason());
  if (error) throw *error;
  if (open > 0)
    throw Error("HDF5: internal error: the file was closed with " + std::to_string(open) +
                " objects still open");
}
File::~File() {
  try {
    close();
  } catch (...) {
    // destroyed on an error path; close() is how a writer learns the file is complete
  }
}
std::uint64_t File::size() const {
  hsize_t n = 0;
  check_status(H5Fget_filesize(id_, &n), "read the file's size");
  return n;
}

std::uint64_t content_checksum(const File& root, const std::string& skip_root_attr) {
  Fnv1a64 h;
  std::size_t objects = 0;
  hash_object(h, root.id(), false, "/", skip_root_attr, 0, objects);
  return h.value();
}

}  // namespace sim::h5
