// AVERAGE_POOL_2D uint8 / int8, bit-exact with the reference kernel
// (kernels/reference/pooling_quantized.cc): each output pixel sums the in-bounds part of its
// window channel by channel (int32, channels innermost so the additions vectorize), then divides
// by the element count n rounding half away from zero, as TFLite: sign(s) * floor((|s| + n/2) / n).
// That quotient is taken in float: |s| + n/2 < 2^24 is exact there and the correctly rounded
// quotient (< 2^8 + 1, so within 2^-15 of the true one) cannot cross an integer when the true
// quotient is at least 1/n > 2^-15 away from it (n < 2^15; larger windows divide in integers).
// As TFLite, the output reuses the input's quantization; only the activation's clamp uses the
// output's.
#include <algorithm>
#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "kernels/fast/driver_util.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/reference/quant_utils.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr size_t kChannelChunk = 64;  // int32 sums kept on the stack per pass
constexpr int64_t kFloatDivideLimit = int64_t{1} << 15;

bool avg_supports(const Node& node, const std::vector<Tensor>& tensors) {
  const PoolParams* p = node.params_as<PoolParams>();
  if (p == nullptr || !ref::activation_is_clamp(p->activation)) return false;
  if (p->filter_h <= 0 || p->filter_w <= 0 || p->stride_h <= 0 || p->stride_w <= 0) return false;
  if (node.inputs.size() != 1 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node, tensors, 0);
  const int oi = node.outputs[0];
  const Tensor* out = oi >= 0 && static_cast<size_t>(oi) < tensors.size() ? &tensors[static_cast<size_t>(oi)] : nullptr;
  if (!in || !out || (in->dtype != DType::kU8 && in->dtype != DType::kI8) || in->rank() != 4) return false;
  if (out->dtype != in->dtype || in->quant.scales.size() != 1 || out->quant.scales.size() != 1) return false;
  return ref::check_quant_params(*in, "").ok() && ref::check_quant_params(*out, "").ok();
}

struct AvgState : KernelState {
  ref::WindowDim h, w;
  int32_t act_min = 0, act_max = 0;
};

Status avg_prepare(KernelContext& ctx) {
  const PoolParams* p = nullptr;
  EIR_RETURN_IF_ERROR(ref::get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(0, 4));
  if (!avg_supports(ctx.node(), ctx.tensors()))
    return unsupported("this quantized AVERAGE_POOL_2D is not handled by the fast kernel (", ctx.describe_input(0),
                       ")");
  const Tensor& in = ctx.input(0);
  auto s = std::make_unique<AvgState>();
  EIR_RETURN_IF_ERROR(ref::compute_window_dim(p->padding, in.dim(1), p->filter_h, p->stride_h, 1, "height", &s->h));
  EIR_RETURN_IF_ERROR(ref::compute_window_dim(p->padding, in.dim(2), p->filter_w, p->stride_w, 1, "width", &s->w));
  EIR_RETURN_IF_ERROR(ref::quantized_activation_range(p->activation, ctx.output(0), &s->act_min, &s->act_max));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), s->h.out, s->w.out, in.dim(3)}));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

// Output rows [begin, end) (batch-major); false when a window covers no input element.
template <class T>
bool avg_rows(const AvgState& s, const PoolParams& p, const Tensor& in, T* y, size_t begin, size_t end) {
  const T* x = in.as<T>();
  const int64_t in_h = in.dim(1), in_w = in.dim(2), depth = in.dim(3);
  const int64_t out_h = s.h.out, out_w = s.w.out;
  for (size_t r = begin; r < end; ++r) {
    const int64_t b = static_cast<int64_t>(r) / out_h, oy = static_cast<int64_t>(r) % out_h;
    const int64_t iy0 = oy * p.stride_h - s.h.pad;
    const int64_t fy0 = std::max<int64_t>(0, -iy0), fy1 = std::min<int64_t>(p.filter_h, in_h - iy0);
    for (int64_t ox = 0; ox < out_w; ++ox) {
      const int64_t ix0 = ox * p.stride_w - s.w.pad;
      const int64_t fx0 = std::max<int64_t>(0, -ix0), fx1 = std::min<int64_t>(p.filter_w, in_w - ix0);
      const int64_t n = std::max<int64_t>(0, fy1 - fy0) * std::max<int64_t>(0, fx1 - fx0);
      if (n == 0) return false;
      const int32_t half = static_cast<int32_t>(n / 2);
      const float fn = static_cast<float>(n);
      T* out = y + ((b * out_h + oy) * out_w + ox) * depth;
      for (int64_t c0 = 0; c0 < depth; c0 += static_cast<int64_t>(kChannelChunk)) {
        const int64_t cn = std::min<int64_t>(static_cast<int64_t>(kChannelChunk), depth - c0);
        int32_t acc[kChannelChunk] = {};
        for (int64_t fy = fy0; fy < fy1; ++fy)
          for (int64_t fx = fx0; fx < fx1; ++fx) {
            const T* px = x + ((b * in_h + iy0 + fy) * in_w + ix0 + fx) * depth + c0;
            for (int64_t c = 0; c < cn; ++c) acc[c] += px[c];
          }
        for (int64_t c = 0; c < cn; ++c) {
          const int32_t v = acc[c];
          const int32_t mag = (v > 0 ? v : -v) + half;
          int32_t q = n < kFloatDivideLimit ? static_cast<int32_t>(static_cast<float>(mag) / fn)
                                            : mag / static_cast<int32_t>(n);
          q = v > 0 ? q : -q;
          out[c0 + c] = static_cast<T>(std::min(std::max(q, s.act_min), s.act_max));
        }
      }
    }
  }
  return true;
}

Status avg_run(KernelContext& ctx) {
  const AvgState& s = *ctx.state<AvgState>();
  const PoolParams& p = *ctx.node().params_as<PoolParams>();
  const Tensor& in = ctx.input(0);
  Tensor& out = ctx.output(0);
  const size_t rows = static_cast<size_t>(in.dim(0)) * static_cast<size_t>(s.h.out);
  if (rows == 0 || s.w.out == 0) return Status::Ok();
  // A window with no in-bounds element is an error, as in TFLite (and the reference kernel).
  std::atomic<bool> ok{true};
  ctx.thread_pool()->parallel_for(rows, 1, [&](size_t begin, size_t end) {
    const bool chunk_ok = in.dtype == DType::kU8 ? avg_rows<uint8_t>(s, p, in, out.as<uint8_t>(), begin, end)
                                                 : avg_rows<int8_t>(s, p, in, out.as<int8_t>(), begin, end);
    if (!chunk_ok) ok.store(false, std::memory_order_relaxed);
  });
  if (!ok.load()) return invalid_model("an average pool window covers no input element");
  return Status::Ok();
}

}  // namespace

Kernel average_pool2d_quantized_kernel() {
  Kernel k;
  k.name = "fast/average_pool2d_quantized";
  k.prepare = avg_prepare;
  k.run = avg_run;
  k.supports = avg_supports;
  return k;
}

}  // namespace eir::fast
