// A running total of the bytes a model allocates for itself (LoadOptions::max_memory_bytes):
// constants made at load and packed weights. Each allocation asks first, so a model whose
// constants would blow the limit is refused before the memory is taken.
#pragma once

#include <cstddef>
#include <string>

#include "runtime/core/status.h"

namespace eir {

class MemoryBudget {
 public:
  MemoryBudget() = default;
  explicit MemoryBudget(size_t limit) : limit_(limit) {}  // 0 = unlimited

  // Counts `bytes` for `what` (e.g. "tensor 7 'w' float32[64,3,3,32]"), or fails with
  // kResourceExhausted naming it, the request, what is already taken and the limit.
  Status take(size_t bytes, const std::string& what) {
    if (limit_ != 0 && (bytes > limit_ || used_ > limit_ - bytes))
      return resource_exhausted(what, " needs ", bytes, " bytes, but the model already holds ", used_,
                                " bytes and LoadOptions::max_memory_bytes is ", limit_);
    used_ += bytes;
    return Status::Ok();
  }
  size_t used() const { return used_; }
  size_t limit() const { return limit_; }

 private:
  size_t limit_ = 0;
  size_t used_ = 0;
};

}  // namespace eir
