// DEPTHWISE_CONV_2D float32 through the f32 dwconv microkernels.
//
// The filter [1,KH,KW,C] and the bias are packed at model load into the microkernel layout: per
// tile of CT channels, CT biases then the KH*KW taps' CT weights, taps in the kx-major order of
// the indirection (window_indirection.h); CT is the config's tile that pads C the least. Each
// output row is one microkernel call over all its pixels and channels; rows are split across
// threads. Padding taps read a row of zeros, so the microkernels have no bounds logic. 3x3 and 5x5
// filters at width stride 1 or 2 (no width dilation) get the sliding-window kernels, which load
// each input column a row's pixels share once; everything else the any-filter kernel.
// The fused activation is the microkernel's min/max clamp.

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernels/fast/config_slots.h"
#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/fast/f32_misc_util.h"
#include "kernels/fast/window_indirection.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;

// Packed weights larger than this are refused (a hostile model could otherwise ask for anything).
constexpr size_t kMaxPackedBytes = size_t{1} << 32;

struct PackedDwconvWeights : PackedWeights {
  const F32DwconvVariant* variant = nullptr;
  size_t channels = 0, kernel_h = 0, kernel_w = 0;
  std::unique_ptr<OwnedBuffer> storage;
  const float* data() const { return reinterpret_cast<const float*>(storage->data()); }
  size_t bytes() const override { return storage ? storage->size() : 0; }
};

bool dw_supports(const Node& node, const std::vector<Tensor>& tensors) {
  const ConvParams* p = node.params_as<ConvParams>();
  if (p == nullptr || !ref::activation_is_clamp(p->activation)) return false;
  if (p->stride_h <= 0 || p->stride_w <= 0 || p->dilation_h <= 0 || p->dilation_w <= 0) return false;
  if (node.inputs.size() < 2 || node.inputs.size() > 3 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node.inputs, tensors, kInput);
  const Tensor* filter = tensor_at(node.inputs, tensors, kFilter);
  if (!in || in->dtype != DType::kF32 || in->rank() != 4) return false;
  if (!constant_f32(filter) || filter->rank() != 4 || filter->dim(0) != 1) return false;
  for (int d = 1; d < 4; ++d)
    if (filter->dim(d) <= 0) return false;
  // Depth multiplier 1 only: output channel c reads input channel c.
  if (in->dim(3) != filter->dim(3)) return false;
  if (node.inputs.size() == 3 && node.inputs[kBias] >= 0) {
    const Tensor* bias = tensor_at(node.inputs, tensors, kBias);
    if (!constant_f32(bias) || bias->rank() != 1 || bias->dim(0) != filter->dim(3)) return false;
  }
  const Tensor* out = tensor_at(node.outputs, tensors, 0);
  return out && out->dtype == DType::kF32;
}

// Packs for the config's channel tile that suits the node's channel count.
Status pack_dw(const F32MiscConfig& config, const Node& node, const std::vector<Tensor>& tensors,
               PackedDwconvWeights* out) {
  if (!dw_supports(node, tensors)) return internal_error("fast DEPTHWISE_CONV_2D packing a node it does not support");
  const Tensor& filter = *tensor_at(node.inputs, tensors, kFilter);
  const Tensor* bias_t =
      node.inputs.size() == 3 && node.inputs[kBias] >= 0 ? tensor_at(node.inputs, tensors, kBias) : nullptr;
  const size_t kh = static_cast<size_t>(filter.dim(1)), kw = static_cast<size_t>(filter.dim(2));
  const size_t ch = static_cast<size_t>(filter.dim(3));
  const F32DwconvVariant& variant = config.dwconv_for(ch);
  const size_t ct = variant.channel_tile, ks = kh * kw;
  const size_t tiles = (ch + ct - 1) / ct;
  // (ks + 1) * ct floats per tile, checked for overflow (each dim is < 2^31).
  if (ks >= kMaxPackedBytes / sizeof(float) / ct || tiles > kMaxPackedBytes / sizeof(float) / ct / (ks + 1))
    return resource_exhausted("packed depthwise weights (", kh, "x", kw, "x", ch, ") exceed ", kMaxPackedBytes,
                              " bytes");
  const size_t tile_floats = (ks + 1) * ct;
  out->variant = &variant;
  out->channels = ch;
  out->kernel_h = kh;
  out->kernel_w = kw;
  out->storage = std::make_unique<OwnedBuffer>(tiles * tile_floats * sizeof(float));
  float* dst = reinterpret_cast<float*>(out->storage->data());
  std::memset(dst, 0, tiles * tile_floats * sizeof(float));
  const float* f = filter.as<const float>();
  const float* bias = bias_t ? bias_t->as<const float>() : nullptr;
  for (size_t t = 0; t < tiles; ++t) {
    float* tile = dst + t * tile_floats;
    const size_t c0 = t * ct, n = std::min(ct, ch - c0);
    for (size_t j = 0; j < n; ++j) tile[j] = bias ? bias[c0 + j] : 0.0f;
    for (size_t kx = 0; kx < kw; ++kx)
      for (size_t ky = 0; ky < kh; ++ky) {
        const size_t k = kx * kh + ky;  // the indirection's tap order
        const float* src = f + (ky * kw + kx) * ch + c0;
        std::copy(src, src + n, tile + ct + k * ct);
      }
  }
  return Status::Ok();
}

template <size_t kSlot>
Result<std::shared_ptr<const PackedWeights>> dw_pack_slot(const Node& node, const std::vector<Tensor>& tensors) {
  auto packed = std::make_shared<PackedDwconvWeights>();
  EIR_RETURN_IF_ERROR(pack_dw(f32_misc_config_at(kSlot), node, tensors, packed.get()));
  return std::shared_ptr<const PackedWeights>(std::move(packed));
}

struct DwState : KernelState {
  eir_f32_minmax_params params{};
  eir_f32_dwconv_ukernel_fn ukernel = nullptr;
  size_t rows = 0, out_w = 0, channels = 0;
  std::vector<float> zero;  // the padding taps' input
  WindowIndirection indirection;
  // Set when the kernel runs without the load-time pack hook (e.g. evaluated in isolation).
  PackedDwconvWeights own_packed;
  const PackedDwconvWeights* packed = nullptr;
};

Status dw_prepare(KernelContext& ctx, const F32MiscConfig& config) {
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(ref::expect_float_conv(ctx, 1, &p));
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  if (in.dim(0) < 0) return invalid_model(ctx.describe_input(kInput), ": batch must be >= 0");
  if (filter.dim(0) != 1) return invalid_model(ctx.describe_input(kFilter), " must have shape [1,KH,KW,C*M]");
  if (in.dim(3) != filter.dim(3))
    return unsupported(ctx.describe_input(kInput), " has ", in.dim(3), " channels but the filter has ", filter.dim(3),
                       ": this kernel handles depth multiplier 1 only");

  auto state = std::make_unique<DwState>();
  ref::WindowDim h, w;
  EIR_RETURN_IF_ERROR(ref::compute_conv_window(*p, in, filter, &h, &w));
  EIR_RETURN_IF_ERROR(ref::fused_activation_clamp(p->activation, &state->params.min, &state->params.max));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), h.out, w.out, filter.dim(3)}));
  if (ctx.validating()) return Status::Ok();

  state->packed = ctx.packed<PackedDwconvWeights>();
  if (state->packed == nullptr) {
    EIR_RETURN_IF_ERROR(pack_dw(config, ctx.node(), ctx.tensors(), &state->own_packed));
    state->packed = &state->own_packed;
  }
  const PackedDwconvWeights& pk = *state->packed;
  if (pk.channels != static_cast<size_t>(filter.dim(3)) || pk.kernel_h != static_cast<size_t>(filter.dim(1)) ||
      pk.kernel_w != static_cast<size_t>(filter.dim(2)))
    return internal_error("packed DEPTHWISE_CONV_2D weights do not match the filter shape");

  WindowGeometry g;
  g.batch = in.dim(0);
  g.in_h = in.dim(1);
  g.in_w = in.dim(2);
  g.channels = in.dim(3);
  g.out_h = h.out;
  g.out_w = w.out;
  g.kernel_h = filter.dim(1);
  g.kernel_w = filter.dim(2);
  g.stride_h = p->stride_h;
  g.stride_w = p->stride_w;
  g.dilation_h = p->dilation_h;
  g.dilation_w = p->dilation_w;
  g.pad_h = h.pad;
  g.pad_w = w.pad;
  EIR_RETURN_IF_ERROR(state->indirection.plan(g, WindowPadding::kZero));
  // The sliding-window kernels read the shared-column layout; anything else takes the any-filter kernel.
  state->ukernel = state->indirection.shares_columns()
                       ? pk.variant->select(filter.dim(1), filter.dim(2), p->stride_w, p->dilation_w)
                       : pk.variant->any;
  state->rows = static_cast<size_t>(g.batch) * static_cast<size_t>(h.out);
  state->out_w = static_cast<size_t>(w.out);
  state->channels = static_cast<size_t>(g.channels);
  state->zero.assign(state->channels, 0.0f);
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status dw_run(KernelContext& ctx) {
  DwState& s = *ctx.state<DwState>();
  if (s.rows == 0 || s.out_w == 0) return Status::Ok();
  ThreadPool* pool = ctx.thread_pool();
  s.indirection.update(ctx.input(kInput).as<const float>(), s.zero.data(), pool);
  float* y = ctx.output(0).as<float>();
  const size_t row_floats = s.out_w * s.channels, taps = s.indirection.taps(), step = s.indirection.pixel_step();
  const float* w = s.packed->data();
  pool->parallel_for(s.rows, 1, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r)
      s.ukernel(s.channels, s.out_w, taps, s.indirection.row(r), step, w, y + r * row_floats, &s.params);
  });
  return Status::Ok();
}

template <size_t kSlot>
Kernel make_kernel() {
  Kernel k;
  k.name = config_kernel_name("fast/depthwise_conv2d_f32_", f32_misc_config_at(kSlot));
  k.prepare = prepare_for<dw_prepare>(f32_misc_config_at(kSlot));
  k.run = dw_run;
  k.supports = dw_supports;
  k.pack = dw_pack_slot<kSlot>;
  return k;
}

}  // namespace

Kernel depthwise_conv2d_f32_kernel(const F32MiscConfig& config) {
  return kernel_for_slot<kMaxF32MiscConfigs>(f32_misc_config_index(config),
                                             [](auto slot) { return make_kernel<decltype(slot)::value>(); });
}

}  // namespace eir::fast
