// densify_constant (see densify.h) and the DENSIFY op, whose input the importer has already
// densified, so the kernel only copies it.
#include "kernels/reference/densify.h"

#include <cstring>
#include <vector>

#include "kernels/reference/misc_common.h"
#include "runtime/core/checked_math.h"

namespace eir {
namespace {

constexpr int kMaxLevels = 16;

struct Level {
  bool dense = true;
  int64_t size = 0;                      // extent of this level's conceptual dim
  const std::vector<int32_t>* segments = nullptr;
  const std::vector<int32_t>* indices = nullptr;
};

// Walks the level tree depth first and scatters each leaf's value into the dense output.
class Scatter {
 public:
  Scatter(const std::vector<Level>& levels, const std::vector<int32_t>& traversal, const std::vector<int32_t>& block_map,
          const std::vector<int64_t>& block_size, const Shape& dense_shape, size_t elem, const uint8_t* values,
          size_t num_values, uint8_t* out, size_t out_elements)
      : levels_(levels), traversal_(traversal), block_map_(block_map), block_size_(block_size),
        dense_shape_(dense_shape), elem_(elem), values_(values), num_values_(num_values), out_(out),
        out_elements_(out_elements) {}

  Status visit(size_t level, int64_t parent_pos) {
    if (level == levels_.size()) return write_leaf();
    const Level& lv = levels_[level];
    if (lv.dense) {
      for (int64_t i = 0; i < lv.size; ++i) {
        coord_[level] = i;
        EIR_RETURN_IF_ERROR(visit(level + 1, parent_pos * lv.size + i));
      }
    } else {
      // Bounds were validated up front; parent_pos < segments.size() - 1.
      const std::vector<int32_t>& seg = *lv.segments;
      for (int64_t j = seg[static_cast<size_t>(parent_pos)]; j < seg[static_cast<size_t>(parent_pos) + 1]; ++j) {
        coord_[level] = (*lv.indices)[static_cast<size_t>(j)];
        EIR_RETURN_IF_ERROR(visit(level + 1, j));
      }
    }
    return Status::Ok();
  }

 private:
  Status write_leaf() {
    const size_t rank = dense_shape_.size();
    int64_t orig[kMaxLevels] = {};
    for (size_t l = 0; l < rank; ++l) orig[traversal_[l]] = coord_[l];
    for (size_t l = rank; l < levels_.size(); ++l) {
      const size_t b = static_cast<size_t>(traversal_[l]) - rank;
      const size_t d = static_cast<size_t>(block_map_[b]);
      orig[d] = orig[d] * block_size_[b] + coord_[l];
    }
    int64_t flat = 0;
    for (size_t d = 0; d < rank; ++d) flat = flat * dense_shape_[d] + orig[d];
    // Both checks are implied by the validation; they keep a logic slip from becoming a stray write.
    if (next_value_ >= num_values_ || flat < 0 || static_cast<size_t>(flat) >= out_elements_)
      return internal_error("densify: leaf out of range");
    std::memcpy(out_ + static_cast<size_t>(flat) * elem_, values_ + next_value_ * elem_, elem_);
    ++next_value_;
    return Status::Ok();
  }

  const std::vector<Level>& levels_;
  const std::vector<int32_t>& traversal_;
  const std::vector<int32_t>& block_map_;
  const std::vector<int64_t>& block_size_;
  const Shape& dense_shape_;
  size_t elem_;
  const uint8_t* values_;
  size_t num_values_;
  uint8_t* out_;
  size_t out_elements_;
  int64_t coord_[kMaxLevels] = {};
  size_t next_value_ = 0;
};

}  // namespace

Status densify_constant(const SparsityInfo& sparsity, const Shape& dense_shape, DType dtype, const uint8_t* values,
                        size_t value_bytes, uint8_t* out_dense) {
  const size_t elem = dtype_size(dtype);
  if (elem == 0) return unsupported("sparse tensors of type ", dtype_name(dtype), " are not supported");
  const int64_t dense_count = shape_num_elements(dense_shape);
  if (dense_count < 0) return invalid_model("sparse tensor: invalid dense shape ", shape_to_string(dense_shape));
  const size_t rank = dense_shape.size();
  const size_t num_blocks = sparsity.block_map.size();
  const size_t num_levels = rank + num_blocks;
  if (num_levels > static_cast<size_t>(kMaxLevels))
    return unsupported("sparse tensor with ", num_levels, " levels (max ", kMaxLevels, ")");
  if (sparsity.traversal_order.size() != num_levels)
    return invalid_model("sparse tensor: traversal_order has ", sparsity.traversal_order.size(), " entries, expected ",
                         num_levels, " (rank ", rank, " + ", num_blocks, " block dims)");
  if (sparsity.dims.size() != num_levels)
    return invalid_model("sparse tensor: dim_metadata has ", sparsity.dims.size(), " entries, expected ", num_levels);
  if (value_bytes % elem != 0)
    return invalid_model("sparse tensor: ", value_bytes, " value bytes is not a whole number of ", dtype_name(dtype),
                         " elements");
  const size_t num_values = value_bytes / elem;
  if (num_values > 0 && values == nullptr) return invalid_model("sparse tensor: values are missing");

  // traversal_order: dense dims first (a permutation of 0..rank-1), then block dims (rank..).
  bool seen[kMaxLevels] = {};
  for (size_t l = 0; l < num_levels; ++l) {
    const int32_t t = sparsity.traversal_order[l];
    const bool ok = l < rank ? (t >= 0 && static_cast<size_t>(t) < rank)
                             : (static_cast<size_t>(t) >= rank && static_cast<size_t>(t) < num_levels);
    if (t < 0 || !ok || seen[t])
      return invalid_model("sparse tensor: traversal_order ", l, " = ", t, " is not a valid permutation entry");
    seen[t] = true;
  }
  // block_map: strictly increasing dense dims (TFLite's decoder relies on that order).
  for (size_t b = 0; b < num_blocks; ++b) {
    const int32_t d = sparsity.block_map[b];
    if (d < 0 || static_cast<size_t>(d) >= rank || (b > 0 && d <= sparsity.block_map[b - 1]))
      return invalid_model("sparse tensor: block_map entry ", b, " = ", d, " is invalid");
  }

  // Block sizes come from the dense metadata of the level storing each block dim.
  std::vector<int64_t> block_size(num_blocks, 0);
  for (size_t l = rank; l < num_levels; ++l) {
    const size_t b = static_cast<size_t>(sparsity.traversal_order[l]) - rank;
    const SparseDimension& dm = sparsity.dims[l];
    if (!dm.dense) return unsupported("sparse tensor: a sparse (CSR) block dimension is not supported");
    if (dm.dense_size <= 0) return invalid_model("sparse tensor: block size ", dm.dense_size, " must be positive");
    block_size[b] = dm.dense_size;
  }
  // Extent of every conceptual dim: dense dims count blocks where blocked.
  std::vector<int64_t> extent(num_levels, 0);
  for (size_t d = 0; d < rank; ++d) extent[d] = dense_shape[d];
  for (size_t b = 0; b < num_blocks; ++b) {
    const size_t d = static_cast<size_t>(sparsity.block_map[b]);
    if (extent[d] % block_size[b] != 0)
      return invalid_model("sparse tensor: dim ", d, " of size ", dense_shape[d], " is not a multiple of its block size ",
                           block_size[b]);
    extent[d] /= block_size[b];
    extent[rank + b] = block_size[b];
  }

  // Validate each level against the number of positions of the level above.
  std::vector<Level> levels(num_levels);
  size_t positions = 1;
  for (size_t l = 0; l < num_levels; ++l) {
    const SparseDimension& dm = sparsity.dims[l];
    Level& lv = levels[l];
    lv.size = extent[static_cast<size_t>(sparsity.traversal_order[l])];
    if (dm.dense) {
      if (dm.dense_size != lv.size)
        return invalid_model("sparse tensor: level ", l, " dense_size ", dm.dense_size, " does not match the extent ",
                             lv.size, " of its dim");
      // No other bound is needed: a later sparse level must list positions + 1 segments, and the
      // last level's count must equal the number of stored values.
      if (!checked_mul(positions, static_cast<size_t>(lv.size), &positions))
        return invalid_model("sparse tensor: level ", l, " has too many positions");
    } else {
      lv.dense = false;
      lv.segments = &dm.segments;
      lv.indices = &dm.indices;
      const std::vector<int32_t>& seg = dm.segments;
      const std::vector<int32_t>& idx = dm.indices;
      if (seg.size() != positions + 1)
        return invalid_model("sparse tensor: level ", l, " has ", seg.size(), " segments, expected ", positions + 1);
      if (seg[0] != 0) return invalid_model("sparse tensor: level ", l, " segments must start at 0, got ", seg[0]);
      for (size_t p = 0; p < positions; ++p)
        if (seg[p + 1] < seg[p])
          return invalid_model("sparse tensor: level ", l, " segments decrease at ", p + 1);
      if (static_cast<size_t>(seg[positions]) != idx.size())
        return invalid_model("sparse tensor: level ", l, " segments end at ", seg[positions], " but it has ",
                             idx.size(), " indices");
      for (size_t j = 0; j < idx.size(); ++j)
        if (idx[j] < 0 || idx[j] >= lv.size)
          return invalid_model("sparse tensor: level ", l, " index ", idx[j], " at ", j, " is outside [0, ", lv.size,
                               ")");
      positions = idx.size();
    }
  }
  if (positions != num_values)
    return invalid_model("sparse tensor: the sparsity metadata describes ", positions, " stored values but ",
                         num_values, " are present");

  const size_t out_elements = static_cast<size_t>(dense_count);
  if (out_elements > 0) std::memset(out_dense, 0, out_elements * elem);
  Scatter scatter(levels, sparsity.traversal_order, sparsity.block_map, block_size, dense_shape, elem, values,
                  num_values, out_dense, out_elements);
  return scatter.visit(0, 0);
}

namespace ref {
namespace {

// DENSIFY: the importer already replaced the sparse constant input by its dense form.
Status densify_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, ctx.input(0).dtype));
  return ctx.set_output_shape(0, ctx.input(0).shape);
}

Status densify_run(KernelContext& ctx) {
  const Tensor& in = ctx.input(0);
  Tensor& out = ctx.output(0);
  if (out.bytes() != in.bytes()) return internal_error("DENSIFY: output and input sizes differ");
  if (in.bytes() != 0 && out.data != in.data) std::memmove(out.data, in.data, in.bytes());
  return Status::Ok();
}

}  // namespace

void register_densify_kernels(KernelRegistry& r) {
  add_for_dtypes(r, BuiltinOp::kDensify, {DType::kF32, DType::kF16, DType::kI8}, 1,
                 Kernel{"reference/densify", &densify_prepare, &densify_run});
}

}  // namespace ref
}  // namespace eir
