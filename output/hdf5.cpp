#include "output/hdf5.hpp"

#include <H5DSpublic.h>

#include <cstring>

namespace pitstop::output::h5 {
namespace {

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) throw Error("HDF5: cannot " + what);
  return id;
}

void check_status(herr_t status, const std::string& what) {
  if (status < 0) throw Error("HDF5: cannot " + what);
}

Handle utf8_string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "copy string type");
  check_status(H5Tset_size(t, H5T_VARIABLE), "set string size");
  check_status(H5Tset_cset(t, H5T_CSET_UTF8), "set string encoding");
  return t;
}

Handle scalar_space() {
  return Handle(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
}

Handle simple_space(const std::vector<hsize_t>& dims) {
  return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
                "create dataspace");
}

Handle replace_attr(hid_t obj, const std::string& name, hid_t type, hid_t space) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  return Handle(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                "create attribute '" + name + "'");
}

}  // namespace

Handle::Handle(hid_t id, Closer closer, const std::string& what)
    : id_(check(id, what)), closer_(closer) {}

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = std::exchange(o.id_, H5I_INVALID_HID);
    closer_ = o.closer_;
  }
  return *this;
}

void Handle::reset() {
  if (id_ >= 0 && closer_ != nullptr) closer_(id_);
  id_ = H5I_INVALID_HID;
}

void quiet_errors() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Handle create_file(const std::string& path) {
  return Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                "create file '" + path + "'");
}

Handle open_file(const std::string& path) {
  return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                "open '" + path + "' (is it a pitstop HDF5 result file?)");
}

Handle create_group(hid_t loc, const std::string& name) {
  return Handle(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                "create group '" + name + "'");
}

Handle open_group(hid_t loc, const std::string& name) {
  return Handle(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), H5Gclose, "open group '" + name + "'");
}

Handle open_dataset(hid_t loc, const std::string& name) {
  return Handle(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset '" + name + "'");
}

bool exists(hid_t loc, const std::string& path) {
  // Check each component so that a missing parent is "false", not an error.
  std::string partial;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    partial += (partial.empty() ? "" : "/") + path.substr(pos, next - pos);
    if (H5Lexists(loc, partial.c_str(), H5P_DEFAULT) <= 0) return false;
    pos = next + 1;
  }
  return true;
}

std::vector<std::string> member_names(hid_t loc, const std::string& group) {
  Handle g = open_group(loc, group);
  H5G_info_t info{};
  check_status(H5Gget_info(g, &info), "list group '" + group + "'");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t n =
        H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (n < 0) throw Error("HDF5: cannot list group '" + group + "'");
    std::string name(static_cast<std::size_t>(n) + 1, '\0');
    H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                       H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(n));
    names.push_back(std::move(name));
  }
  return names;
}

void set_attr(hid_t obj, const std::string& name, const std::string& value) {
  Handle type = utf8_string_type();
  Handle space = scalar_space();
  Handle a = replace_attr(obj, name, type, space);
  const char* p = value.c_str();
  check_status(H5Awrite(a, type, &p), "write attribute '" + name + "'");
}

void set_attr(hid_t obj, const std::string& name, double value) {
  Handle space = scalar_space();
  Handle a = replace_attr(obj, name, H5T_NATIVE_DOUBLE, space);
  check_status(H5Awrite(a, H5T_NATIVE_DOUBLE, &value), "write attribute '" + name + "'");
}

void set_attr(hid_t obj, const std::string& name, std::int64_t value) {
  Handle space = scalar_space();
  Handle a = replace_attr(obj, name, H5T_NATIVE_INT64, space);
  check_status(H5Awrite(a, H5T_NATIVE_INT64, &value), "write attribute '" + name + "'");
}

void set_attr(hid_t obj, const std::string& name, const std::vector<std::string>& values) {
  Handle type = utf8_string_type();
  Handle space = simple_space({values.size()});
  Handle a = replace_attr(obj, name, type, space);
  std::vector<const char*> ptrs;
  for (const auto& v : values)
    ptrs.push_back(v.c_str());
  check_status(H5Awrite(a, type, ptrs.data()), "write attribute '" + name + "'");
}

std::string get_attr_string(hid_t obj, const std::string& name) {
  Handle a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute '" + name + "'");
  Handle type = utf8_string_type();
  char* p = nullptr;
  check_status(H5Aread(a, type, &p), "read attribute '" + name + "'");
  std::string out = p ? p : "";
  H5free_memory(p);
  return out;
}

double get_attr_double(hid_t obj, const std::string& name) {
  Handle a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute '" + name + "'");
  double v = 0;
  check_status(H5Aread(a, H5T_NATIVE_DOUBLE, &v), "read attribute '" + name + "'");
  return v;
}

std::int64_t get_attr_int(hid_t obj, const std::string& name) {
  Handle a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute '" + name + "'");
  std::int64_t v = 0;
  check_status(H5Aread(a, H5T_NATIVE_INT64, &v), "read attribute '" + name + "'");
  return v;
}

Handle create_doubles(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
                      const std::vector<hsize_t>& chunk, int deflate_level) {
  Handle space = simple_space(dims);
  Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create property list");
  std::vector<hsize_t> c = chunk;
  for (std::size_t i = 0; i < c.size(); ++i)
    c[i] = std::max<hsize_t>(1, std::min(c[i], dims[i]));
  check_status(H5Pset_chunk(plist, static_cast<int>(c.size()), c.data()), "set chunking");
  check_status(H5Pset_shuffle(plist), "set shuffle filter");
  check_status(H5Pset_deflate(plist, static_cast<unsigned>(deflate_level)), "set deflate");
  double fill = 0;
  check_status(H5Pset_fill_value(plist, H5T_NATIVE_DOUBLE, &fill), "set fill value");
  return Handle(
      H5Dcreate2(loc, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, plist, H5P_DEFAULT),
      H5Dclose, "create dataset '" + name + "'");
}

void write_doubles(hid_t dataset, const std::vector<hsize_t>& start,
                   const std::vector<hsize_t>& count, const double* data) {
  Handle file_space(H5Dget_space(dataset), H5Sclose, "get dataspace");
  check_status(
      H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
      "select hyperslab");
  Handle mem_space = simple_space(count);
  check_status(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, mem_space, file_space, H5P_DEFAULT, data),
               "write dataset");
}

void write_doubles(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
                   const std::vector<double>& data) {
  Handle space = simple_space(dims);
  Handle d(
      H5Dcreate2(loc, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
      H5Dclose, "create dataset '" + name + "'");
  if (!data.empty()) {
    check_status(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
                 "write dataset '" + name + "'");
  }
}

std::vector<double> read_doubles(hid_t loc, const std::string& name, std::vector<hsize_t>* dims) {
  Handle d = open_dataset(loc, name);
  Handle space(H5Dget_space(d), H5Sclose, "get dataspace");
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> shape(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space, shape.data(), nullptr);
  hsize_t n = 1;
  for (hsize_t s : shape)
    n *= s;
  std::vector<double> out(n);
  if (n > 0) {
    check_status(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
                 "read dataset '" + name + "'");
  }
  if (dims != nullptr) *dims = shape;
  return out;
}

void write_ints(hid_t loc, const std::string& name, const std::vector<std::int64_t>& values) {
  Handle space = simple_space({values.size()});
  Handle d(
      H5Dcreate2(loc, name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
      H5Dclose, "create dataset '" + name + "'");
  if (!values.empty()) {
    check_status(H5Dwrite(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                 "write dataset '" + name + "'");
  }
}

void write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values) {
  Handle type = utf8_string_type();
  Handle space = simple_space({values.size()});
  Handle d(H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
           H5Dclose, "create dataset '" + name + "'");
  std::vector<const char*> ptrs;
  for (const auto& v : values)
    ptrs.push_back(v.c_str());
  if (!ptrs.empty()) {
    check_status(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()),
                 "write dataset '" + name + "'");
  }
}

std::vector<std::string> read_strings(hid_t loc, const std::string& name) {
  Handle d = open_dataset(loc, name);
  Handle space(H5Dget_space(d), H5Sclose, "get dataspace");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  Handle type = utf8_string_type();
  std::vector<char*> ptrs(n, nullptr);
  if (n > 0) {
    check_status(H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()),
                 "read dataset '" + name + "'");
  }
  std::vector<std::string> out;
  for (char* p : ptrs) {
    out.emplace_back(p ? p : "");
    H5free_memory(p);
  }
  return out;
}

void attach_scale(hid_t dataset, hid_t scale, unsigned dim, const std::string& scale_name) {
  if (H5DSis_scale(scale) <= 0) {
    check_status(H5DSset_scale(scale, scale_name.c_str()), "make '" + scale_name + "' a scale");
  }
  check_status(H5DSattach_scale(dataset, scale, dim), "attach scale '" + scale_name + "'");
}

}  // namespace pitstop::output::h5
