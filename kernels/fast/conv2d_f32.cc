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

#include "kernels/fast/gemm_arith.h"
#include "kernels/fast/f32_gemm_kernels.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;

const Tensor* tensor_at(const Node& node, const std::vector<Tensor>& tensors, size_t i) {
  if (i >= node.inputs.size()) return nullptr;
  const int t = node.inputs[i];
  if (t < 0 || static_cast<size_t>(t) >= tensors.size()) return nullptr;
  return &tensors[static_cast<size_t>(t)];
}

bool constant_f32(const Tensor* t) {
  return t && t->dtype == DType::kF32 && t->is_constant() && t->data != nullptr && t->num_elements() >= 0;
}

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
  if (node.inputs.size() == 3 && node.inputs[kBias] >= 0) {
    const Tensor* bias = tensor_at(node, tensors, kBias);
    if (!constant_f32(bias) || bias->num_elements() != filter->dim(0)) return false;
  }
  const int out = node.outputs[0];
  if (out < 0 || static_cast<size_t>(out) >= tensors.size() || tensors[static_cast<size_t>(out)].dtype != DType::kF32)
    return false;
  return true;
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
  EIR_RETURN_IF_ERROR(ref::get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kInput, DType::kF32));
  EIR_RETURN_IF_ERROR(ref::expect_float_weights(ctx, kFilter));
  EIR_RETURN_IF_ERROR(ref::expect_output_dtype(ctx, 0, DType::kF32));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kInput, 4));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kFilter, 4));
  EIR_RETURN_IF_ERROR(ref::expect_positive_dims(ctx, kInput, 1, 3));
  EIR_RETURN_IF_ERROR(ref::expect_positive_dims(ctx, kFilter, 0, 3));
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  if (in.dim(0) < 0) return invalid_model(ctx.describe_input(kInput), ": batch must be >= 0");
  if (in.dim(3) != filter.dim(3))
    return unsupported(ctx.describe_input(kInput), " has ", in.dim(3), " channels but the filter reads ",
                       filter.dim(3), ": grouped convolution is not handled by this kernel");

  auto state = std::make_unique<State>();
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

  EIR_RETURN_IF_ERROR(ref::compute_window_dim(p->padding, in.dim(1), filter.dim(1), p->stride_h, p->dilation_h,
                                              "height", &state->h));
  EIR_RETURN_IF_ERROR(ref::compute_window_dim(p->padding, in.dim(2), filter.dim(2), p->stride_w, p->dilation_w,
                                              "width", &state->w));
  EIR_RETURN_IF_ERROR(ref::fused_activation_clamp(p->activation, &state->params.min, &state->params.max));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), state->h.out, state->w.out, filter.dim(0)}));

  state->pixels = static_cast<size_t>(in.dim(0)) * static_cast<size_t>(state->h.out) *
                  static_cast<size_t>(state->w.out);
  state->direct = kh == 1 && kw == 1 && p->stride_h == 1 && p->stride_w == 1;
  if (!state->direct) {
    const size_t mr = state->packed->variant->mr, ks = kh * kw;
    // One pointer per row (rounded up to MR) and tap, kept in the state.
    const size_t rows = (state->pixels + mr - 1) / mr * mr;
    constexpr size_t kMaxIndirectionBytes = size_t{1} << 32;
    if (rows > kMaxIndirectionBytes / sizeof(void*) / ks)
      return resource_exhausted("CONV_2D indirection buffer (", rows, " rows x ", ks, " taps) exceeds ",
                                kMaxIndirectionBytes, " bytes");
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

// Fills the indirection pointers of M tiles [tile_begin, tile_end); x is the GEMM's A (NHWC with
// the input's shape).
template <class Config, class T>
void build_indirection(const ConvState<Config>& s, const ConvParams& p, const Tensor& in, const Tensor& filter,
                       const T* x, size_t tile_begin, size_t tile_end, const T** ind) {
  const size_t mr = s.packed->variant->mr;
  const int64_t in_h = in.dim(1), in_w = in.dim(2), ic = in.dim(3);
  const int64_t kh = filter.dim(1), kw = filter.dim(2);
  const int64_t out_h = s.h.out, out_w = s.w.out;
  const size_t ks = static_cast<size_t>(kh * kw);
  const T* zero = s.zero.data();
  for (size_t tile = tile_begin; tile < tile_end; ++tile) {
    const T** tp = ind + tile * ks * mr;
    for (size_t r = 0; r < mr; ++r) {
      // Rows past the last pixel repeat it (the microkernel computes but never stores them).
      const int64_t pix = static_cast<int64_t>(std::min(tile * mr + r, s.pixels - 1));
      const int64_t b = pix / (out_h * out_w), rem = pix % (out_h * out_w);
      const int64_t oy = rem / out_w, ox = rem % out_w;
      for (int64_t ky = 0; ky < kh; ++ky) {
        const int64_t iy = oy * p.stride_h - s.h.pad + ky * p.dilation_h;
        for (int64_t kx = 0; kx < kw; ++kx) {
          const int64_t ix = ox * p.stride_w - s.w.pad + kx * p.dilation_w;
          const bool inside = iy >= 0 && iy < in_h && ix >= 0 && ix < in_w;
          tp[static_cast<size_t>(ky * kw + kx) * mr + r] = inside ? x + ((b * in_h + iy) * in_w + ix) * ic : zero;
        }
      }
    }
  }
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
  const T* x = nullptr;
  if constexpr (std::is_same_v<T, float>) {
    x = in.as<float>();
  } else {
    T* copy = reinterpret_cast<T*>(ctx.scratch());
    convert_to_f16(*s.config, static_cast<size_t>(in.num_elements()), in.as<float>(), copy, pool);
    x = copy;
  }
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
                       [&](size_t begin, size_t end) { build_indirection(s, p, in, filter, x, begin, end, ind); });
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
  static_assert(kMaxF32GemmConfigs == 4, "one instantiation per config slot");
  switch (f32_gemm_config_index(config)) {
    case 0: return make_kernel<F32GemmConfig, 0>();
    case 1: return make_kernel<F32GemmConfig, 1>();
    case 2: return make_kernel<F32GemmConfig, 2>();
    default: return make_kernel<F32GemmConfig, 3>();
  }
}

Kernel conv2d_f32_f16_kernel(const F16GemmConfig& config) {
  static_assert(kMaxF16GemmConfigs == 2, "one instantiation per config slot");
  return f16_gemm_config_index(config) == 0 ? make_kernel<F16GemmConfig, 0>() : make_kernel<F16GemmConfig, 1>();
}

}  // namespace eir::fast
