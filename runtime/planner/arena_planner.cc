#include "runtime/planner/arena_planner.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "runtime/core/checked_math.h"

namespace eir {

Result<ArenaPlan> plan_arena(const std::vector<BufferRequest>& requests, size_t alignment) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0)
    return invalid_argument("arena alignment ", alignment, " is not a power of two");
  const size_t n = requests.size();
  std::vector<size_t> sizes(n);
  for (size_t i = 0; i < n; ++i) {
    if (requests[i].first_use > requests[i].last_use)
      return internal_error("buffer ", i, " has first use ", requests[i].first_use, " after last use ", requests[i].last_use);
    if (!checked_align_up(requests[i].bytes, alignment, &sizes[i]))
      return resource_exhausted("buffer ", i, " of ", requests[i].bytes, " bytes overflows when aligned");
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (sizes[a] != sizes[b]) return sizes[a] > sizes[b];
    return requests[a].first_use < requests[b].first_use;
  });

  ArenaPlan plan;
  plan.offsets.assign(n, 0);
  std::vector<size_t> placed;  // request indices, kept sorted by offset
  std::vector<size_t> overlapping;
  for (size_t r : order) {
    if (sizes[r] == 0) continue;
    overlapping.clear();
    for (size_t p : placed)
      if (requests[p].first_use <= requests[r].last_use && requests[r].first_use <= requests[p].last_use)
        overlapping.push_back(p);
    // Walk the live neighbours in offset order, tracking the best (smallest sufficient) gap.
    size_t best_offset = std::numeric_limits<size_t>::max();
    size_t best_gap = std::numeric_limits<size_t>::max();
    size_t cursor = 0;
    for (size_t p : overlapping) {
      size_t start = plan.offsets[p];
      if (start > cursor) {
        size_t gap = start - cursor;
        if (gap >= sizes[r] && gap < best_gap) {
          best_gap = gap;
          best_offset = cursor;
        }
      }
      cursor = std::max(cursor, plan.offsets[p] + sizes[p]);
    }
    if (best_offset == std::numeric_limits<size_t>::max()) best_offset = cursor;  // after everything alive
    size_t end;
    if (!checked_add(best_offset, sizes[r], &end)) return resource_exhausted("arena size overflows");
    plan.offsets[r] = best_offset;
    plan.arena_bytes = std::max(plan.arena_bytes, end);
    placed.insert(std::upper_bound(placed.begin(), placed.end(), r,
                                   [&](size_t a, size_t b) { return plan.offsets[a] < plan.offsets[b]; }),
                  r);
  }
  return plan;
}

}  // namespace eir
