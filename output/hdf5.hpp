// A small RAII layer over the HDF5 C API: owned handles, typed attributes and datasets, dimension
// scales, and HDF5 errors turned into exceptions. Only the writer thread touches HDF5.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace pitstop::output::h5 {

/// An HDF5 call failed; the message names the operation and the object.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An owned hid_t closed with the right H5*close on destruction. Move-only.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer, const std::string& what);
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)), closer_(o.closer_) {}
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t id() const { return id_; }
  operator hid_t() const { return id_; }  // NOLINT: used directly in H5 calls
  void reset();

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Silences HDF5's own error printing (we report through exceptions) — call once per process.
void quiet_errors();

Handle create_file(const std::string& path);  // truncates
Handle open_file(const std::string& path);    // read-only
Handle create_group(hid_t loc, const std::string& name);
Handle open_group(hid_t loc, const std::string& name);
Handle open_dataset(hid_t loc, const std::string& name);
bool exists(hid_t loc, const std::string& path);
/// Names of the links in group `group` (relative to `loc`), in name order.
std::vector<std::string> member_names(hid_t loc, const std::string& group);

// Attributes (scalars and string lists) on any object.
void set_attr(hid_t obj, const std::string& name, const std::string& value);
void set_attr(hid_t obj, const std::string& name, double value);
void set_attr(hid_t obj, const std::string& name, std::int64_t value);
void set_attr(hid_t obj, const std::string& name, const std::vector<std::string>& values);
std::string get_attr_string(hid_t obj, const std::string& name);
double get_attr_double(hid_t obj, const std::string& name);
std::int64_t get_attr_int(hid_t obj, const std::string& name);

/// A chunked, deflate-compressed N-d double dataset of fixed `dims`.
Handle create_doubles(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
                      const std::vector<hsize_t>& chunk, int deflate_level = 4);
/// Writes a hyperslab [start, start + count) of a double dataset from row-major `data`.
void write_doubles(hid_t dataset, const std::vector<hsize_t>& start,
                   const std::vector<hsize_t>& count, const double* data);
/// Writes a whole (contiguous, small) double dataset.
void write_doubles(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
                   const std::vector<double>& data);
/// Reads a whole double dataset; `dims` receives its shape.
std::vector<double> read_doubles(hid_t loc, const std::string& name, std::vector<hsize_t>* dims);

/// A small contiguous 1-d dataset of 64-bit integers.
void write_ints(hid_t loc, const std::string& name, const std::vector<std::int64_t>& values);

/// A 1-d dataset of variable-length UTF-8 strings (also used for a single long text).
void write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values);
std::vector<std::string> read_strings(hid_t loc, const std::string& name);

/// Makes `scale` a dimension scale named `scale_name` and attaches it to dimension `dim` of
/// `dataset`.
void attach_scale(hid_t dataset, hid_t scale, unsigned dim, const std::string& scale_name);

}  // namespace pitstop::output::h5
