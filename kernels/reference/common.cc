#include "kernels/reference/common.h"

namespace eir::ref {

Result<Shape> broadcast_shapes(const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  if (rank > static_cast<size_t>(BroadcastIndexer::kMaxRank))
    return unsupported("broadcast of rank ", rank, " exceeds ", BroadcastIndexer::kMaxRank);
  Shape out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int32_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int32_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return invalid_model("shapes ", shape_to_string(a), " and ", shape_to_string(b), " cannot be broadcast");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

BroadcastIndexer::BroadcastIndexer(const Shape& a, const Shape& b, const Shape& out) : out_(out) {
  rank_ = static_cast<int>(out.size());
  // Strides of a and b aligned to out's trailing dims; 0 where the input dim is broadcast.
  auto fill = [&](const Shape& s, int64_t* strides) {
    int64_t stride = 1;
    for (int d = rank_ - 1; d >= 0; --d) {
      int sd = d - (rank_ - static_cast<int>(s.size()));
      int32_t dim = sd >= 0 ? s[static_cast<size_t>(sd)] : 1;
      strides[d] = dim == 1 ? 0 : stride;
      stride *= dim;
    }
  };
  fill(a, stride_a_);
  fill(b, stride_b_);
}

}  // namespace eir::ref
