#include "zip_reader.h"

#include <algorithm>

namespace classify {
namespace {

constexpr uint32_t kEndOfCentralDirSig = 0x06054b50;
constexpr uint32_t kCentralHeaderSig = 0x02014b50;
constexpr uint32_t kLocalHeaderSig = 0x04034b50;
constexpr size_t kEndOfCentralDirSize = 22;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kMaxCommentSize = 0xffff;

// ZIP fields are little-endian.
uint16_t u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}

// True if [offset, offset + length) lies inside a buffer of `size` bytes (overflow-safe).
bool in_bounds(size_t size, size_t offset, size_t length) { return offset <= size && length <= size - offset; }

}  // namespace

eir::Result<std::vector<ZipEntry>> list_zip_entries(const uint8_t* data, size_t size) {
  std::vector<ZipEntry> entries;
  if (size < kEndOfCentralDirSize) return entries;

  // The end-of-central-directory record sits at the very end, followed only by its comment.
  size_t eocd = SIZE_MAX;
  const size_t last = size - kEndOfCentralDirSize;
  const size_t lowest = last > kMaxCommentSize ? last - kMaxCommentSize : 0;
  for (size_t pos = last + 1; pos-- > lowest;) {
    if (u32(data + pos) == kEndOfCentralDirSig && pos + kEndOfCentralDirSize + u16(data + pos + 20) == size) {
      eocd = pos;
      break;
    }
  }
  if (eocd == SIZE_MAX) return entries;  // no archive

  const size_t count = u16(data + eocd + 10);
  const size_t cd_size = u32(data + eocd + 12);
  const size_t cd_offset = u32(data + eocd + 16);
  // Offsets in an archive appended to another file are relative to the archive's start, which is
  // where the central directory's recorded offset + size end short of the EOCD record.
  if (cd_offset + cd_size > eocd) return eir::invalid_model("ZIP: central directory extends past its end record");
  const size_t base = eocd - cd_size - cd_offset;

  size_t pos = base + cd_offset;
  for (size_t i = 0; i < count; ++i) {
    if (!in_bounds(eocd, pos, kCentralHeaderSize) || u32(data + pos) != kCentralHeaderSig) {
      return eir::invalid_model("ZIP: central directory entry ", i, " is truncated or corrupt");
    }
    ZipEntry e;
    e.method = u16(data + pos + 10);
    e.compressed_size = u32(data + pos + 20);
    e.size = u32(data + pos + 24);
    const size_t name_len = u16(data + pos + 28), extra_len = u16(data + pos + 30), comment_len = u16(data + pos + 32);
    const size_t local = base + u32(data + pos + 42);
    if (!in_bounds(eocd, pos + kCentralHeaderSize, name_len)) {
      return eir::invalid_model("ZIP: entry name out of bounds");
    }
    e.name.assign(reinterpret_cast<const char*>(data + pos + kCentralHeaderSize), name_len);

    if (!in_bounds(size, local, kLocalHeaderSize) || u32(data + local) != kLocalHeaderSig) {
      return eir::invalid_model("ZIP: local header of '", e.name, "' is out of bounds or corrupt");
    }
    // The local header has its own name/extra lengths (the extra field may differ).
    e.data_offset = local + kLocalHeaderSize + u16(data + local + 26) + u16(data + local + 28);
    if (!in_bounds(size, e.data_offset, e.compressed_size)) {
      return eir::invalid_model("ZIP: data of '", e.name, "' extends past the end of the file");
    }
    entries.push_back(std::move(e));
    pos += kCentralHeaderSize + name_len + extra_len + comment_len;
  }
  return entries;
}

eir::Result<std::string> read_stored_entry(const uint8_t* data, size_t size, const ZipEntry& entry) {
  if (entry.method != 0) {
    return eir::unsupported("ZIP entry '", entry.name, "' is compressed (method ", entry.method,
                            "); only stored entries are supported");
  }
  if (entry.size != entry.compressed_size || !in_bounds(size, entry.data_offset, entry.size)) {
    return eir::invalid_model("ZIP entry '", entry.name, "' has inconsistent sizes");
  }
  return std::string(reinterpret_cast<const char*>(data + entry.data_offset), entry.size);
}

}  // namespace classify
