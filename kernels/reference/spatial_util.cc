#include "kernels/reference/spatial_util.h"

#include <cstring>
#include <limits>

namespace eir::ref {

Status expect_float_weights(const KernelContext& ctx, int i) {
  if (!ctx.has_input(i)) return invalid_model("required input ", i, " is absent (-1)");
  DType t = ctx.input(i).dtype;
  if (t == DType::kF32) return Status::Ok();
  if (t == DType::kI8 || t == DType::kU8)
    return unsupported(ctx.describe_input(i), ": hybrid float32 activations with ", dtype_name(t),
                       " weights are not supported");
  return invalid_model(ctx.describe_input(i), " must be float32, got ", dtype_name(t));
}

Status expect_positive_dims(const KernelContext& ctx, int i, int first, int last) {
  const Tensor& t = ctx.input(i);
  for (int d = first; d <= last; ++d)
    if (t.dim(d) <= 0) return invalid_model(ctx.describe_input(i), ": dim ", d, " must be > 0");
  return Status::Ok();
}

Status expect_conv_shapes(const KernelContext& ctx, int input, int filter, int filter_first_dim) {
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(input, 4));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(filter, 4));
  EIR_RETURN_IF_ERROR(expect_positive_dims(ctx, input, 1, 3));
  return expect_positive_dims(ctx, filter, filter_first_dim, 3);
}

Status expect_float_conv(const KernelContext& ctx, int filter_first_dim, const ConvParams** p) {
  EIR_RETURN_IF_ERROR(get_params(ctx, p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF32));
  EIR_RETURN_IF_ERROR(expect_float_weights(ctx, 1));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, DType::kF32));
  return expect_conv_shapes(ctx, 0, 1, filter_first_dim);
}

Status compute_conv_window(const ConvParams& p, const Tensor& in, const Tensor& filter, WindowDim* h, WindowDim* w) {
  EIR_RETURN_IF_ERROR(compute_window_dim(p.padding, in.dim(1), filter.dim(1), p.stride_h, p.dilation_h, "height", h));
  return compute_window_dim(p.padding, in.dim(2), filter.dim(2), p.stride_w, p.dilation_w, "width", w);
}

Status compute_window_dim(Padding padding, int in, int filter, int stride, int dilation,
                          const char* dim_name, WindowDim* result) {
  if (stride <= 0) return invalid_model(dim_name, " stride must be > 0, got ", stride);
  if (dilation <= 0) return invalid_model(dim_name, " dilation must be > 0, got ", dilation);
  if (filter <= 0) return invalid_model(dim_name, " filter size must be > 0, got ", filter);
  if (in < 0) return invalid_model(dim_name, " input size must be >= 0, got ", in);
  const int64_t effective = (static_cast<int64_t>(filter) - 1) * dilation + 1;
  int64_t out = padding == Padding::kSame ? (static_cast<int64_t>(in) + stride - 1) / stride
                                          : (static_cast<int64_t>(in) + stride - effective) / stride;
  if (out < 0)
    return invalid_model(dim_name, ": effective filter size ", effective, " does not fit input size ", in,
                         " with VALID padding");
  int64_t pad = 0;
  if (padding == Padding::kSame) pad = std::max<int64_t>((out - 1) * stride + effective - in, 0) / 2;
  if (out > std::numeric_limits<int32_t>::max() || pad > std::numeric_limits<int32_t>::max())
    return invalid_model(dim_name, ": window arithmetic overflows");
  result->out = static_cast<int>(out);
  result->pad = static_cast<int>(pad);
  return Status::Ok();
}

Status fused_activation_clamp(Activation act, float* lo, float* hi) {
  if (!activation_is_clamp(act))
    return unsupported("fused activation ", static_cast<int>(act), " (TANH/SIGN_BIT) on this op");
  activation_range_f32(act, lo, hi);
  return Status::Ok();
}

Status read_constant_ints(const KernelContext& ctx, int i, bool allow_int64, std::vector<int64_t>* values) {
  if (!ctx.has_input(i)) return invalid_model("required input ", i, " is absent (-1)");
  const Tensor& t = ctx.input(i);
  const int64_t n = t.num_elements();
  if (n < 0) return invalid_model(ctx.describe_input(i), " has an invalid shape");
  // An empty constant (a rank-0 PAD's [0,2] paddings) may have no bytes at all.
  if (!t.is_constant() || (t.data == nullptr && n != 0)) EIR_RETURN_IF_ERROR(ctx.expect_constant_input(i));
  values->resize(static_cast<size_t>(n));
  if (t.dtype == DType::kI32) {
    for (int64_t k = 0; k < n; ++k) (*values)[static_cast<size_t>(k)] = t.as<int32_t>()[k];
  } else if (t.dtype == DType::kI64 && allow_int64) {
    for (int64_t k = 0; k < n; ++k) (*values)[static_cast<size_t>(k)] = t.as<int64_t>()[k];
  } else {
    return invalid_model(ctx.describe_input(i), " must be int32", allow_int64 ? " or int64" : "", ", got ",
                         dtype_name(t.dtype));
  }
  return Status::Ok();
}

void fill_elements(uint8_t* dst, const uint8_t* value, size_t elem_size, int64_t count) {
  for (int64_t k = 0; k < count; ++k) std::memcpy(dst + static_cast<size_t>(k) * elem_size, value, elem_size);
}

}  // namespace eir::ref
