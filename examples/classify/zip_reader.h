// A tiny reader for the ZIP archive that TFLite model metadata appends after the FlatBuffer
// (tflite-support packs label files that way). Only STORED (uncompressed) entries can be read,
// which is how the metadata writer stores them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "eir/status.hpp"

namespace classify {

struct ZipEntry {
  std::string name;
  uint16_t method = 0;         // 0 = stored, 8 = deflate, ...
  size_t data_offset = 0;      // where the entry's bytes start in the buffer (valid if stored)
  size_t size = 0;             // uncompressed size
  size_t compressed_size = 0;
};

// Lists the entries of a ZIP archive found at the end of `data` (the archive may be preceded by
// anything, e.g. a model). Returns an empty list when there is no archive; an error when there is
// one but it is malformed. All offsets are bounds-checked.
eir::Result<std::vector<ZipEntry>> list_zip_entries(const uint8_t* data, size_t size);

// The bytes of a STORED entry; an error for compressed entries.
eir::Result<std::string> read_stored_entry(const uint8_t* data, size_t size, const ZipEntry& entry);

}  // namespace classify
