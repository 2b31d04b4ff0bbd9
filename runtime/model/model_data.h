// The bytes of a model file: memory-mapped from disk, borrowed from the caller, or copied.
// Constant tensors point straight into these bytes (zero-copy), so a ModelData outlives every
// Graph built from it (Graph tensors do not own it; the Model keeps both).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "runtime/core/status.h"

namespace eir {

class ModelData {
 public:
  ~ModelData();
  ModelData(const ModelData&) = delete;
  ModelData& operator=(const ModelData&) = delete;

  // Maps the file read-only. Fails with a clear message for a missing/empty/unreadable file.
  static Result<std::shared_ptr<ModelData>> map_file(const std::string& path);
  // Uses caller memory without copying; the caller keeps it alive and unchanged while the model lives.
  // Falls back to a copy when the memory is not 16-byte aligned (FlatBuffers needs aligned scalars).
  static Result<std::shared_ptr<ModelData>> borrow(const void* data, size_t size);
  static Result<std::shared_ptr<ModelData>> copy(const void* data, size_t size);

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool is_mapped() const { return mapped_; }
  bool is_copy() const { return owned_ != nullptr; }  // heap memory eir allocated for the bytes

 private:
  ModelData() = default;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
  void* owned_ = nullptr;  // copy: heap block to free
};

}  // namespace eir
