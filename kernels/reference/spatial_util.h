// Helpers shared by the float "spatial" reference kernels (conv, pooling, pad, resize, space/batch/
// depth moves, mean; also used by their quantized and fast versions): option lookup, shape checks,
// TFLite's window arithmetic done in 64 bits, fused activations as clamps, constant int inputs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/reference/common.h"
#include "kernels/reference/misc_common.h"  // expect_output_dtype (one definition for all groups)
#include "runtime/executor/kernel.h"

namespace eir::ref {

// The node's parsed options of type P, or an error when the importer attached none.
template <class P>
Status get_params(const KernelContext& ctx, const P** out) {
  *out = ctx.node().template params_as<P>();
  if (*out == nullptr) return invalid_model("the operator's options are missing");
  return Status::Ok();
}

// The node's options of type P, or P's defaults when absent (ops whose options are all flags).
template <class P>
P params_or_default(const KernelContext& ctx) {
  const P* p = ctx.node().template params_as<P>();
  return p ? *p : P{};
}

// Float weights (filter, bias): a clearer error for hybrid models (float activations with
// int8 weights), which TFLite runs with on-the-fly quantization and eir does not.
Status expect_float_weights(const KernelContext& ctx, int i);

// Every dim of input i in [first, last] must be > 0 (TFLite rejects empty images and filters).
Status expect_positive_dims(const KernelContext& ctx, int i, int first, int last);

// One spatial dim of a windowed op: TFLite's ComputeOutSize and ComputePaddingWithOffset, with
// 64-bit intermediate arithmetic and validation (stride, dilation, filter > 0; output >= 0).
// `pad` is the leading (top/left) padding; an odd total puts the extra element at the end.
struct WindowDim {
  int out = 0;
  int pad = 0;
};
Status compute_window_dim(Padding padding, int in, int filter, int stride, int dilation,
                          const char* dim_name, WindowDim* result);

// The shapes every CONV_2D / DEPTHWISE_CONV_2D prepare checks: rank-4 input and filter, the
// input's H, W, C > 0 and the filter's dims from `filter_first_dim` to 3 > 0.
Status expect_conv_shapes(const KernelContext& ctx, int input, int filter, int filter_first_dim);

// The checks every float32 CONV_2D / DEPTHWISE_CONV_2D prepare starts with: the options (*p),
// 2 or 3 inputs (input 0, filter 1, optional bias), one output, float32 input, filter and output,
// then expect_conv_shapes.
Status expect_float_conv(const KernelContext& ctx, int filter_first_dim, const ConvParams** p);

// Both spatial dims of a convolution window: input NHWC, filter [*, KH, KW, *].
Status compute_conv_window(const ConvParams& p, const Tensor& in, const Tensor& filter, WindowDim* h, WindowDim* w);

// Float fused activation as a clamp range. TFLite's float kernels only clamp (RELU, RELU6,
// RELU_N1_TO_1); a fused TANH or SIGN_BIT is refused rather than silently ignored.
Status fused_activation_clamp(Activation act, float* lo, float* hi);
inline float clamp_to(float v, float lo, float hi) { return std::min(std::max(v, lo), hi); }

// Reads constant input i (int32 or int64, as allowed) into int64 values; checks it is constant.
Status read_constant_ints(const KernelContext& ctx, int i, bool allow_int64, std::vector<int64_t>* values);

// Writes the element `value` (elem_size bytes) `count` times into dst.
void fill_elements(uint8_t* dst, const uint8_t* value, size_t elem_size, int64_t count);

}  // namespace eir::ref
