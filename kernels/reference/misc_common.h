// Small helpers shared by the "float_misc" reference kernels (elementwise, activations, softmax,
// data movement, cast, arg-min/max, dequantize, densify), and the per-family registration
// functions that register_float_misc.cc calls.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "runtime/executor/kernel.h"

namespace eir::ref {

// The dtypes that pure data-movement kernels (reshape, slice, gather, ...) accept: they only
// copy elements, so any fixed-size dtype works.
inline constexpr DType kMovementDTypes[] = {DType::kF32, DType::kF16, DType::kI8,  DType::kU8,
                                            DType::kI16, DType::kI32, DType::kI64, DType::kBool};

// Registers `kernel` for `op` under every dtype in `dtypes`.
inline void add_for_dtypes(KernelRegistry& registry, BuiltinOp op, std::initializer_list<DType> dtypes,
                           int max_version, const Kernel& kernel) {
  for (DType d : dtypes) registry.add(op, d, max_version, kernel);
}
inline void add_for_movement_dtypes(KernelRegistry& registry, BuiltinOp op, int max_version, const Kernel& kernel) {
  for (DType d : kMovementDTypes) registry.add(op, d, max_version, kernel);
}

// Output i must have dtype `expected` (the model fixes output dtypes; kernels only check them).
inline Status expect_output_dtype(const KernelContext& ctx, int i, DType expected) {
  if (ctx.output(i).dtype != expected)
    return invalid_model(ctx.describe_output(i), " must be ", dtype_name(expected), ", got ",
                         dtype_name(ctx.output(i).dtype));
  return Status::Ok();
}

// Reads the values of a constant integer input (int32 or int64) as int64. `what` names the
// input in error messages ("shape", "axis", ...). Requires the tensor to be constant.
inline Status read_constant_ints(const KernelContext& ctx, int i, const char* what, std::vector<int64_t>* out) {
  EIR_RETURN_IF_ERROR(ctx.expect_constant_input(i));
  const Tensor& t = ctx.input(i);
  int64_t n = t.num_elements();
  if (n < 0) return invalid_model(ctx.describe_input(i), ": bad shape for the ", what, " tensor");
  out->assign(static_cast<size_t>(n), 0);
  if (t.dtype == DType::kI32) {
    for (int64_t k = 0; k < n; ++k) (*out)[static_cast<size_t>(k)] = t.as<const int32_t>()[k];
  } else if (t.dtype == DType::kI64) {
    for (int64_t k = 0; k < n; ++k) (*out)[static_cast<size_t>(k)] = t.as<const int64_t>()[k];
  } else {
    return invalid_model(ctx.describe_input(i), ": the ", what, " tensor must be int32 or int64, got ",
                         dtype_name(t.dtype));
  }
  return Status::Ok();
}

// Reads a constant single-element integer input (an axis): int32 or int64, exactly 1 element.
inline Status read_constant_scalar_int(const KernelContext& ctx, int i, const char* what, int64_t* value) {
  std::vector<int64_t> v;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, i, what, &v));
  if (v.size() != 1)
    return invalid_model(ctx.describe_input(i), ": the ", what, " tensor must have exactly 1 element, got ", v.size());
  *value = v[0];
  return Status::Ok();
}

// Number of elements as size_t (callers have validated the shape; negative counts become 0).
inline size_t element_count(const Tensor& t) {
  int64_t n = t.num_elements();
  return n < 0 ? 0 : static_cast<size_t>(n);
}

// Product of shape[begin, end) (dims already validated by set_output_shape / the verifier).
inline int64_t dims_product(const Shape& shape, int begin, int end) {
  int64_t p = 1;
  for (int d = begin; d < end; ++d) p *= shape[static_cast<size_t>(d)];
  return p;
}

// Registration of each kernel family (one per file), called by register_float_misc_kernels.
void register_elementwise_binary_kernels(KernelRegistry& registry);  // elementwise_binary.cc
void register_elementwise_unary_kernels(KernelRegistry& registry);   // elementwise_unary.cc
void register_activation_kernels(KernelRegistry& registry);          // activations.cc
void register_softmax_kernels(KernelRegistry& registry);             // softmax.cc
void register_concatenation_kernels(KernelRegistry& registry);       // concatenation.cc
void register_reshape_kernels(KernelRegistry& registry);             // reshape.cc
void register_slice_kernels(KernelRegistry& registry);               // strided_slice.cc
void register_pack_unpack_kernels(KernelRegistry& registry);         // pack_unpack.cc
void register_gather_kernels(KernelRegistry& registry);              // gather.cc
void register_transpose_kernels(KernelRegistry& registry);           // transpose.cc
void register_shape_kernels(KernelRegistry& registry);               // shape_ops.cc
void register_cast_kernels(KernelRegistry& registry);                // cast.cc
void register_arg_minmax_kernels(KernelRegistry& registry);          // arg_minmax.cc
void register_dequantize_kernels(KernelRegistry& registry);          // dequantize.cc
void register_densify_kernels(KernelRegistry& registry);             // densify.cc
void register_fused_elementwise_kernels(KernelRegistry& registry);   // fused_elementwise.cc

}  // namespace eir::ref
