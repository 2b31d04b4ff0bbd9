#include "tools/common/npy.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace eir {
namespace {

struct DescrEntry {
  const char* descr;
  DType dtype;
};
const DescrEntry kDescrs[] = {
    {"<f4", DType::kF32}, {"<f2", DType::kF16}, {"<f8", DType::kF64}, {"|i1", DType::kI8},
    {"|u1", DType::kU8},  {"<i2", DType::kI16}, {"<u2", DType::kU16}, {"<i4", DType::kI32},
    {"<u4", DType::kU32}, {"<i8", DType::kI64}, {"|b1", DType::kBool},
};

size_t element_size(DType t) {
  switch (t) {
    case DType::kF32: case DType::kI32: case DType::kU32: return 4;
    case DType::kF16: case DType::kI16: case DType::kU16: return 2;
    case DType::kF64: case DType::kI64: return 8;
    case DType::kI8: case DType::kU8: case DType::kBool: return 1;
    default: return 0;
  }
}

// Extracts the value text after 'key': in a Python dict literal header.
bool header_value(const std::string& header, const std::string& key, std::string* value) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) return false;
  size_t colon = header.find(':', k);
  if (colon == std::string::npos) return false;
  size_t start = header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos) return false;
  size_t end;
  if (header[start] == '(') {
    end = header.find(')', start);
    if (end == std::string::npos) return false;
    *value = header.substr(start + 1, end - start - 1);
  } else if (header[start] == '\'') {
    end = header.find('\'', start + 1);
    if (end == std::string::npos) return false;
    *value = header.substr(start + 1, end - start - 1);
  } else {
    end = header.find_first_of(",}", start);
    if (end == std::string::npos) return false;
    *value = header.substr(start, end - start);
  }
  return true;
}

}  // namespace

size_t NpyArray::num_elements() const {
  size_t n = 1;
  for (int32_t d : shape) n *= static_cast<size_t>(d);
  return n;
}

Result<NpyArray> parse_npy(const uint8_t* bytes, size_t size) {
  if (size < 10 || std::memcmp(bytes, "\x93NUMPY", 6) != 0) return invalid_argument("not a .npy file (bad magic)");
  uint8_t major = bytes[6];
  size_t header_len, offset;
  if (major == 1) {
    header_len = bytes[8] | (static_cast<size_t>(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) return invalid_argument(".npy header truncated");
    header_len = bytes[8] | (static_cast<size_t>(bytes[9]) << 8) | (static_cast<size_t>(bytes[10]) << 16) |
                 (static_cast<size_t>(bytes[11]) << 24);
    offset = 12;
  } else {
    return invalid_argument("unsupported .npy version ", int(major));
  }
  if (header_len > size - offset) return invalid_argument(".npy header truncated");
  std::string header(reinterpret_cast<const char*>(bytes + offset), header_len);
  std::string descr, fortran, shape_text;
  if (!header_value(header, "descr", &descr) || !header_value(header, "fortran_order", &fortran) ||
      !header_value(header, "shape", &shape_text))
    return invalid_argument(".npy header is malformed: ", header);
  if (fortran.find("True") != std::string::npos) return unsupported(".npy in Fortran order is not supported");
  NpyArray a;
  for (const DescrEntry& e : kDescrs)
    if (descr == e.descr) a.dtype = e.dtype;
  if (a.dtype == DType::kUnknown) return unsupported(".npy dtype '", descr, "' is not supported");
  std::stringstream ss(shape_text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t p = item.find_first_not_of(' ');
    if (p == std::string::npos) continue;
    long long d = std::atoll(item.c_str() + p);
    if (d < 0 || d > 0x7fffffff) return invalid_argument(".npy shape has invalid dim ", item);
    a.shape.push_back(static_cast<int32_t>(d));
  }
  size_t n = 1;
  for (int32_t d : a.shape)
    if (__builtin_mul_overflow(n, static_cast<size_t>(d), &n)) return invalid_argument(".npy shape overflows");
  size_t need;
  if (__builtin_mul_overflow(n, element_size(a.dtype), &need)) return invalid_argument(".npy size overflows");
  size_t data_offset = offset + header_len;
  if (size - data_offset < need)
    return invalid_argument(".npy data truncated: need ", need, " bytes, have ", size - data_offset);
  a.data.assign(bytes + data_offset, bytes + data_offset + need);
  return a;
}

Result<NpyArray> read_npy(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return io_error("cannot open '", path, "'");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto r = parse_npy(bytes.data(), bytes.size());
  if (!r.ok()) return r.status().with_prefix(path);
  return r;
}

Status write_npy(const std::string& path, DType dtype, const std::vector<int32_t>& shape, const void* data, size_t bytes) {
  const char* descr = nullptr;
  for (const DescrEntry& e : kDescrs)
    if (e.dtype == dtype) descr = e.descr;
  if (descr == nullptr) return unsupported("cannot write dtype ", static_cast<int>(dtype), " to .npy");
  std::string shape_text = "(";
  for (size_t i = 0; i < shape.size(); ++i) shape_text += std::to_string(shape[i]) + (shape.size() == 1 ? "," : (i + 1 < shape.size() ? ", " : ""));
  shape_text += ")";
  std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape_text + ", }";
  // Pad with spaces so that magic + length + header + '\n' is a multiple of 64 bytes.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream f(path, std::ios::binary);
  if (!f) return io_error("cannot write '", path, "'");
  f.write("\x93NUMPY\x01\x00", 8);
  uint16_t len = static_cast<uint16_t>(header.size());
  char len_bytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
  f.write(len_bytes, 2);
  f.write(header.data(), static_cast<std::streamsize>(header.size()));
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  if (!f) return io_error("failed writing '", path, "'");
  return Status::Ok();
}

}  // namespace eir
