// CONV_2D float32 through the f32 GEMM microkernels.
//
// The OHWI filter is a GEMM weight matrix [O, KH*KW*I] as it is; it is packed (with the bias) at
// model load. Each output pixel is one GEMM row:
//   - 1x1 filters with stride 1 read the input directly as A[pixels, I] (no copy at all);
//   - every other shape runs the IGEMM kernel over an indirection buffer: for each output pixel
//     and filter tap, a pointer to the I input channels it reads, or to a row of zeros for taps
//     in the padding. No im2col copy of the input is made. The buffer lives in the node state and
//     is rebuilt only when the input's address changes (a session's arena keeps it fixed), so
//     steady-state runs pay nothing for it.
// The fused activation is the microkernel's min/max clamp.
//
// The driver is a template over the arithmetic (gemm_arith.h): float32, or the opt-in fp16 mode
// (LoadOptions::allow_fp16) where the weights are packed to fp16 at load, the input is converted
// to an fp16 copy in scratch at each run (the direct GEMM and the indirection read that copy) and
// the microkernel writes float32 output.

#include <algorithm>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kernels/fast/config_slots.h"
#include "kernels/fast/conv_indirection.h"
#include "kernels/fast/gemm_arith.h"
#include "kernels/fast/f32_gemm_kernels.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;

bool conv_supports(const Node& node, const std::vector<Tensor>& tensors) {
  const ConvParams* p = node.params_as<ConvParams>();
  if (p == nullptr || !ref::activation_is_clamp(p->activation)) return false;
  if (p->stride_h <= 0 || p->stride_w <= 0 || p->dilation_h <= 0 || p->dilation_w <= 0) return false;
  if (node.inputs.size() < 2 || node.inputs.size() > 3 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node, tensors, kInput);
  const Tensor* filter = tensor_at(node, tensors, kFilter);
  if (!in || in->dtype != DType::kF32 || in->rank() != 4) return false;
  if (!constant_f32(filter) || filter->rank() != 4) return false;
  for (int d = 0; d < 4; ++d)
    if (filter->dim(d) <= 0) return false;
  // Grouped convolution (input channels a multiple of the filter's) stays with the reference.
  if (in->dim(3) != filter->dim(3)) return false;
  return f32_gemm_bias_and_output_ok(node, tensors, filter->dim(0));
}

// Packs the filter (and bias) of a node `supports` accepted.
template <class Config>
Status pack_conv(const Config& config, const Node& node, const std::vector<Tensor>& tensors,
                 typename GemmArith<Config>::Packed* out) {
  if (!conv_supports(node, tensors)) return internal_error("fast CONV_2D packing a node it does not support");
  const Tensor& filter = *tensor_at(node, tensors, kFilter);
  const Tensor* bias = node.inputs.size() == 3 && node.inputs[kBias] >= 0 ? tensor_at(node, tensors, kBias) : nullptr;
  const size_t n = static_cast<size_t>(filter.dim(0));
  const size_t k = static_cast<size_t>(filter.num_elements()) / n;
  return pack_gemm_weights(config.variant_for(n), n, k, filter.as<float>(), bias ? bias->as<float>() : nullptr, out);
}

template <class Config, size_t Slot>
Result<std::shared_ptr<const PackedWeights>> conv_pack_slot(const Node& node, const std::vector<Tensor>& tensors) {
  auto packed = std::make_shared<typename GemmArith<Config>::Packed>();
  EIR_RETURN_IF_ERROR(pack_conv(GemmArith<Config>::config_at(Slot), node, tensors, packed.get()));
  return std::shared_ptr<const PackedWeights>(std::move(packed));
}

template <class Config>
struct ConvState : KernelState {
  using Packed = typename GemmArith<Config>::Packed;
  using T = typename GemmArith<Config>::Element;  // of the GEMM's A: float, or fp16 bits
  ref::WindowDim h, w;
  eir_f32_gemm_params params{};
  bool direct = false;      // 1x1, stride 1: a plain GEMM on the input
  size_t pixels = 0;        // GEMM rows: batch * out_h * out_w
  std::vector<T> zero;  // input channels' worth of zeros, read by padding taps
  // IGEMM rows, in tile order (see run_igemm); valid for A (the input, or its fp16 copy in
  // scratch) at `indirection_input`.
  std::vector<const T*> indirection;
  const T* indirection_input = nullptr;
  // Set when the kernel runs without the load-time pack hook (e.g. evaluated in isolation).
  Packed own_packed;
  const Packed* packed = nullptr;
  const Config* config = nullptr;
};

template <class Config>
Status conv_prepare(KernelContext& ctx, const Config& config) {
  using State = ConvState<Config>;
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(ref::expect_float_conv(ctx, 0, &p));
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  if (in.dim(0) < 0) return invalid_model(ctx.describe_input(kInput), ": batch must be >= 0");
  if (in.dim(3) != filter.dim(3))
    return unsupported(ctx.describe_input(kInput), " has ", in.dim(3), " channels but the filter reads ",
                       filter.dim(3), ": grouped convolution is not handled by this kernel");

  auto state = std::make_unique<State>();
  EIR_RETURN_IF_ERROR(ref::compute_conv_window(*p, in, filter, &state->h, &state->w));
  EIR_RETURN_IF_ERROR(ref::fused_activation_clamp(p->activation, &state->params.min, &state->params.max));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), state->h.out, state->w.out, filter.dim(0)}));
  if (ctx.validating()) return Status::Ok();

  state->config = &config;
  state->packed = ctx.packed<typename State::Packed>();
  if (state->packed == nullptr) {
    EIR_RETURN_IF_ERROR(pack_conv(config, ctx.node(), ctx.tensors(), &state->own_packed));
    state->packed = &state->own_packed;
  }
  const size_t oc = static_cast<size_t>(filter.dim(0));
  const size_t kh = static_cast<size_t>(filter.dim(1)), kw = static_cast<size_t>(filter.dim(2));
  const size_t ic = static_cast<size_t>(filter.dim(3));
  if (state->packed->n != oc || state->packed->k != kh * kw * ic)
    return internal_error("packed CONV_2D weights do not match the filter shape");

  state->pixels = static_cast<size_t>(in.dim(0)) * static_cast<size_t>(state->h.out) *
                  static_cast<size_t>(state->w.out);
  state->direct = kh == 1 && kw == 1 && p->stride_h == 1 && p->stride_w == 1;
  if (!state->direct) {
    const size_t mr = state->packed->variant->mr, ks = kh * kw;
    // One pointer per row (rounded up to MR) and tap, kept in the state.
    EIR_RETURN_IF_ERROR(check_conv_indirection_size(state->pixels, ks, mr, "CONV_2D"));
    state->indirection.assign(indirection_size(state->pixels, ks, mr), nullptr);
    state->zero.assign(ic, typename State::T{0});  // 0 is +0.0 in fp16 too
  }
  if constexpr (!std::is_same_v<typename State::T, float>) {
    // The fp16 copy of the input, converted at each run.
    ctx.request_scratch(static_cast<size_t>(in.num_elements()) * sizeof(typename State::T));
  }
  ctx.set_state(std::move(state));
  return Status::Ok();
}

template <class Config>
Status conv_run(KernelContext& ctx) {
  using T = typename ConvState<Config>::T;
  ConvState<Config>& s = *ctx.state<ConvState<Config>>();
  const ConvParams& p = *ctx.node().params_as<ConvParams>();
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  float* y = ctx.output(0).as<float>();
  const size_t oc = static_cast<size_t>(filter.dim(0)), ic = static_cast<size_t>(in.dim(3));
  ThreadPool* pool = ctx.thread_pool();
  if (s.pixels == 0) return Status::Ok();
  const T* x = gemm_input(*s.config, ctx, static_cast<size_t>(in.num_elements()), in.as<float>());
  if (s.direct) {
    run_gemm(*s.packed, s.pixels, x, ic, y, oc, s.params, pool);
    return Status::Ok();
  }
  const size_t mr = s.packed->variant->mr;
  const size_t ks = static_cast<size_t>(filter.dim(1)) * static_cast<size_t>(filter.dim(2));
  const T** ind = s.indirection.data();
  if (s.indirection_input != x) {
    const size_t tiles = (s.pixels + mr - 1) / mr;
    pool->parallel_for(tiles, 16,
                       [&](size_t begin, size_t end) {
                         fill_conv_indirection(p, s.h, s.w, in, filter, mr, s.pixels, x, s.zero.data(), begin, end,
                                               ind);
                       });
    s.indirection_input = x;
  }
  run_igemm(*s.packed, s.pixels, ic, ks, ind, y, oc, s.params, pool);
  return Status::Ok();
}

// Which config the prepare fallback packs for, when the pack hook did not run.
template <class Config, size_t Slot>
Status conv_prepare_slot(KernelContext& ctx) {
  return conv_prepare(ctx, GemmArith<Config>::config_at(Slot));
}

template <class Config, size_t Slot>
Kernel make_kernel() {
  static const std::string name =
      std::string("fast/conv2d_") + GemmArith<Config>::kName + GemmArith<Config>::config_at(Slot).isa;
  Kernel k;
  k.name = name.c_str();
  k.prepare = conv_prepare_slot<Config, Slot>;
  k.run = conv_run<Config>;
  k.supports = conv_supports;
  k.pack = conv_pack_slot<Config, Slot>;
  return k;
}

}  // namespace

Kernel conv2d_f32_kernel(const F32GemmConfig& config) {
  return kernel_for_slot<kMaxF32GemmConfigs>(
      f32_gemm_config_index(config), [](auto slot) { return make_kernel<F32GemmConfig, decltype(slot)::value>(); });
}

Kernel conv2d_f32_f16_kernel(const F16GemmConfig& config) {
  return kernel_for_slot<kMaxF16GemmConfigs>(
      f16_gemm_config_index(config), [](auto slot) { return make_kernel<F16GemmConfig, decltype(slot)::value>(); });
}

}  // namespace eir::fast
