// Ahead-of-time memory planning: given buffers with sizes and lifetimes (first and last node
// index that touches them), assign offsets in one arena so that buffers alive at the same time
// never overlap, reusing the memory of dead buffers. Greedy by size (largest first), each placed
// in the best-fitting gap among the already-placed buffers whose lifetimes overlap — the strategy
// TFLite's and XNNPACK's planners use; near-optimal on inference graphs and fast.
#pragma once

#include <cstddef>
#include <vector>

#include "runtime/core/status.h"

namespace eir {

struct BufferRequest {
  size_t bytes = 0;
  int first_use = 0;  // inclusive node index
  int last_use = 0;   // inclusive node index
};

struct ArenaPlan {
  std::vector<size_t> offsets;  // one per request, multiples of the alignment
  size_t arena_bytes = 0;       // total size needed
};

// alignment must be a power of two. Fails (never wraps) if sizes overflow.
Result<ArenaPlan> plan_arena(const std::vector<BufferRequest>& requests, size_t alignment = 64);

}  // namespace eir
