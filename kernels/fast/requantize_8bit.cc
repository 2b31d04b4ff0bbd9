// QUANTIZE between uint8 and int8 (either direction, or the same type) when the input and output
// scales are equal: the requantization multiplier is then exactly 1 (2^30 with shift 1, whose
// MultiplyByQuantizedMultiplier returns its input unchanged), so the reference result is
// clamp(x - zp_in + zp_out) and needs no per-element fixed-point arithmetic. That is the common
// case of a model that takes uint8 pixels and computes in int8 (zero points 128 apart). Other
// scale ratios are declined (the reference kernel runs them).
#include <algorithm>
#include <cstdint>
#include <memory>

#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/reference/quantized_kernels.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr size_t kChunk = 16384;  // elements per task

struct ShiftState : KernelState {
  int32_t offset = 0;  // zp_out - zp_in
  int32_t lo = 0, hi = 0;
  size_t total = 0;
};

bool is_8bit(DType t) { return t == DType::kU8 || t == DType::kI8; }

bool shift_supports(const Node& node, const std::vector<Tensor>& tensors) {
  if (node.inputs.size() != 1 || node.outputs.size() != 1 || node.inputs[0] < 0) return false;
  const Tensor& in = tensors[static_cast<size_t>(node.inputs[0])];
  const Tensor& out = tensors[static_cast<size_t>(node.outputs[0])];
  return is_8bit(in.dtype) && is_8bit(out.dtype) && in.quant.scales.size() == 1 && out.quant.scales.size() == 1 &&
         in.quant.zero_points.size() == 1 && out.quant.zero_points.size() == 1 &&
         in.quant.scales[0] == out.quant.scales[0];
}

Status shift_prepare(KernelContext& ctx) {
  // Validation, output shape and quantization checks: exactly the reference kernel's.
  EIR_RETURN_IF_ERROR(ref::quantize_kernel().prepare(ctx));
  if (ctx.validating()) return Status::Ok();
  if (!shift_supports(ctx.node(), ctx.tensors()))
    return internal_error("fast 8-bit QUANTIZE prepared for a node it does not support");
  const Tensor& out = ctx.output(0);
  auto s = std::make_unique<ShiftState>();
  s->offset = out.quant.zero_point() - ctx.input(0).quant.zero_point();
  s->lo = out.dtype == DType::kU8 ? 0 : -128;
  s->hi = out.dtype == DType::kU8 ? 255 : 127;
  s->total = static_cast<size_t>(ctx.input(0).num_elements());
  ctx.set_state(std::move(s));
  return Status::Ok();
}

template <class In, class Out>
void shift(const ShiftState& s, const In* x, Out* y, size_t n) {
  for (size_t i = 0; i < n; ++i)
    y[i] = static_cast<Out>(std::min(std::max(static_cast<int32_t>(x[i]) + s.offset, s.lo), s.hi));
}

Status shift_run(KernelContext& ctx) {
  const ShiftState& s = *ctx.state<ShiftState>();
  const Tensor& in = ctx.input(0);
  Tensor& out = ctx.output(0);
  const bool in_u8 = in.dtype == DType::kU8, out_u8 = out.dtype == DType::kU8;
  const size_t chunks = (s.total + kChunk - 1) / kChunk;
  ctx.thread_pool()->parallel_for(chunks, 1, [&](size_t begin, size_t end) {
    const size_t i0 = begin * kChunk, n = std::min(end * kChunk, s.total) - i0;
    if (in_u8 && out_u8) shift(s, in.as<const uint8_t>() + i0, out.as<uint8_t>() + i0, n);
    if (in_u8 && !out_u8) shift(s, in.as<const uint8_t>() + i0, out.as<int8_t>() + i0, n);
    if (!in_u8 && out_u8) shift(s, in.as<const int8_t>() + i0, out.as<uint8_t>() + i0, n);
    if (!in_u8 && !out_u8) shift(s, in.as<const int8_t>() + i0, out.as<int8_t>() + i0, n);
  });
  return Status::Ok();
}

}  // namespace

Kernel requantize_8bit_same_scale_kernel() {
  Kernel k;
  k.name = "fast/requantize_8bit_same_scale";
  k.prepare = shift_prepare;
  k.run = shift_run;
  k.supports = shift_supports;
  return k;
}

}  // namespace eir::fast
