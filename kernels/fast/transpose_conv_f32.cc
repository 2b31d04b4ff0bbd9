// TRANSPOSE_CONV and MediaPipe's Convolution2DTransposeBias, float32, through the f32 IGEMM
// microkernels, without multiplying by the zeros a naive "dilate the input" approach would add.
//
// Output pixel (oy, ox) sums the taps (ky, kx) with oy + pad_h - ky = iy * stride_h (and the same
// for x): only taps with ky = (oy + pad_h) mod stride_h (mod stride_h) contribute. So the output
// splits into stride_h x stride_w phases; each phase is an ordinary convolution with its own
// subset of the filter taps (packed separately at load, bias included), over the output pixels
// of that phase. An output row's pixels of one x phase are every stride_w-th pixel, i.e. GEMM
// rows with a C stride of stride_w * O. Taps that fall outside the input read a row of zeros.
// Shapes and padding follow TFLite / MediaPipe exactly as kernels/reference/transpose_conv.cc.

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernels/fast/config_slots.h"
#include "kernels/fast/f32_gemm_driver.h"
#include "kernels/fast/f32_gemm_kernels.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

// Where the tensors are for each flavour.
struct Layout {
  int output_shape = -1;  // TRANSPOSE_CONV's constant int32[4]; -1 for MediaPipe
  int input = 0, weights = 1, bias = 2;
  bool bias_optional = false;
};
constexpr Layout kTfliteLayout{0, 2, 1, 3, true};
constexpr Layout kMediapipeLayout{-1, 0, 1, 2, false};

const Tensor* tensor_at(const Node& node, const std::vector<Tensor>& tensors, int i) {
  if (i < 0 || static_cast<size_t>(i) >= node.inputs.size()) return nullptr;
  const int t = node.inputs[static_cast<size_t>(i)];
  if (t < 0 || static_cast<size_t>(t) >= tensors.size()) return nullptr;
  return &tensors[static_cast<size_t>(t)];
}

bool constant_f32(const Tensor* t) {
  return t && t->dtype == DType::kF32 && t->is_constant() && t->data != nullptr && t->num_elements() >= 0;
}

bool supports_layout(const Layout& l, const Node& node, const std::vector<Tensor>& tensors) {
  const ConvParams* p = node.params_as<ConvParams>();
  if (p == nullptr || p->stride_h <= 0 || p->stride_w <= 0) return false;
  // MediaPipe's kernel ignores the activation field; TRANSPOSE_CONV clamps.
  if (l.output_shape >= 0 && !ref::activation_is_clamp(p->activation)) return false;
  const size_t max_inputs = l.bias_optional ? 4 : 3;
  if (node.inputs.size() < 3 || node.inputs.size() > max_inputs || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node, tensors, l.input);
  const Tensor* w = tensor_at(node, tensors, l.weights);
  if (!in || in->dtype != DType::kF32 || in->rank() != 4) return false;
  if (!constant_f32(w) || w->rank() != 4) return false;
  for (int d = 0; d < 4; ++d)
    if (w->dim(d) <= 0) return false;
  if (in->dim(3) != w->dim(3)) return false;
  if (l.output_shape >= 0) {
    const Tensor* os = tensor_at(node, tensors, l.output_shape);
    if (!os || !os->is_constant() || os->data == nullptr || os->dtype != DType::kI32) return false;
  }
  const Tensor* bias = tensor_at(node, tensors, l.bias);
  if (bias != nullptr) {
    if (!constant_f32(bias) || bias->num_elements() != w->dim(0)) return false;
  } else if (!l.bias_optional) {
    return false;
  }
  const int out = node.outputs[0];
  return out >= 0 && static_cast<size_t>(out) < tensors.size() && tensors[static_cast<size_t>(out)].dtype == DType::kF32;
}

// Number of taps k in [0, filter) with k = q (mod stride).
int taps_in_class(int filter, int stride, int q) { return q < filter ? (filter - q + stride - 1) / stride : 0; }

// One packed GEMM per (y phase, x phase): the filter taps of that phase, in (ky, kx) order.
struct PackedTransposeConv : PackedWeights {
  int stride_h = 1, stride_w = 1;
  std::vector<std::unique_ptr<PackedGemmWeights>> phases;  // [q_h * stride_w + q_w]
  size_t bytes() const override {
    size_t b = 0;
    for (const auto& p : phases) b += p->bytes();
    return b;
  }
  const PackedGemmWeights& phase(int qh, int qw) const { return *phases[static_cast<size_t>(qh * stride_w + qw)]; }
};

Status pack_transpose(const Layout& l, const F32GemmConfig& config, const Node& node, const std::vector<Tensor>& tensors,
                      PackedTransposeConv* out) {
  if (!supports_layout(l, node, tensors)) return internal_error("fast transposed conv packing a node it does not support");
  const ConvParams& p = *node.params_as<ConvParams>();
  const Tensor& w = *tensor_at(node, tensors, l.weights);
  const Tensor* bias = tensor_at(node, tensors, l.bias);
  const int oc = w.dim(0), kh = w.dim(1), kw = w.dim(2), ic = w.dim(3);
  // Phases beyond the filter size are empty (bias only); cap the phase count a hostile stride
  // could ask for at the number of output pixels it could matter for.
  if (static_cast<int64_t>(p.stride_h) * p.stride_w > (int64_t{1} << 20))
    return unsupported("transposed convolution stride ", p.stride_h, "x", p.stride_w, " is too large");
  out->stride_h = p.stride_h;
  out->stride_w = p.stride_w;
  const F32GemmVariant& variant = config.variant_for(static_cast<size_t>(oc));
  std::vector<float> rows;
  for (int qh = 0; qh < p.stride_h; ++qh) {
    for (int qw = 0; qw < p.stride_w; ++qw) {
      const int th = taps_in_class(kh, p.stride_h, qh), tw = taps_in_class(kw, p.stride_w, qw);
      const size_t k = static_cast<size_t>(th) * static_cast<size_t>(tw) * static_cast<size_t>(ic);
      rows.assign(static_cast<size_t>(oc) * k, 0.0f);
      for (int o = 0; o < oc; ++o) {
        float* dst = rows.data() + static_cast<size_t>(o) * k;
        for (int a = 0; a < th; ++a) {
          for (int b = 0; b < tw; ++b) {
            const int ky = qh + a * p.stride_h, kx = qw + b * p.stride_w;
            const float* src = w.as<float>() + ((static_cast<size_t>(o) * kh + ky) * kw + kx) * ic;
            std::copy(src, src + ic, dst);
            dst += ic;
          }
        }
      }
      auto packed = std::make_unique<PackedGemmWeights>();
      EIR_RETURN_IF_ERROR(pack_gemm_weights(variant, static_cast<size_t>(oc), k, rows.data(),
                                            bias ? bias->as<float>() : nullptr, packed.get()));
      out->phases.push_back(std::move(packed));
    }
  }
  return Status::Ok();
}

// One output row's pixels of one x phase: ox = ox0, ox0 + stride_w, ... (count of them).
struct Job {
  int b = 0, oy = 0, qh = 0, qw = 0, ox0 = 0, count = 0;
  size_t offset = 0;  // first indirection pointer of the job
};

struct TransposeState : KernelState {
  int pad_h = 0, pad_w = 0, out_h = 0, out_w = 0;
  eir_f32_gemm_params params{};
  std::vector<Job> jobs;
  std::vector<const float*> indirection;  // per job: its M tiles in tile order
  const float* indirection_input = nullptr;
  std::vector<float> zero;
  PackedTransposeConv own_packed;  // when run without the load-time pack hook
  const PackedTransposeConv* packed = nullptr;
};

// MediaPipe's output size and leading padding along one dim (as the reference kernel).
Status mediapipe_dim(Padding padding, int in, int filter, int stride, const char* dim, int* out, int* pad) {
  int64_t total = 0;
  if (padding == Padding::kSame) total = std::max<int64_t>(0, int64_t{filter} - (in - 1) % stride - 1);
  const int64_t size = int64_t{stride} * (in - 1) + filter - total;
  if (size <= 0 || size > std::numeric_limits<int32_t>::max())
    return invalid_model(dim, ": output size ", size, " is out of range");
  *out = static_cast<int>(size);
  *pad = static_cast<int>(total / 2);
  return Status::Ok();
}

Status transpose_prepare(KernelContext& ctx, const Layout& l, const F32GemmConfig& config) {
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(ref::get_params(ctx, &p));
  if (!supports_layout(l, ctx.node(), ctx.tensors()))
    return internal_error("fast transposed conv prepared for a node it does not support");
  EIR_RETURN_IF_ERROR(ref::expect_positive_dims(ctx, l.input, 1, 3));
  const Tensor& in = ctx.input(l.input);
  const Tensor& w = ctx.input(l.weights);
  auto state = std::make_unique<TransposeState>();
  if (l.output_shape >= 0) {
    std::vector<int64_t> dims;
    EIR_RETURN_IF_ERROR(ref::read_constant_ints(ctx, l.output_shape, /*allow_int64=*/false, &dims));
    if (ctx.input(l.output_shape).rank() != 1 || dims.size() != 4)
      return invalid_model(ctx.describe_input(l.output_shape), " must be a 1-D tensor of 4 values");
    if (dims[0] != in.dim(0) || dims[3] != w.dim(0) || dims[1] <= 0 || dims[2] <= 0 ||
        dims[1] > std::numeric_limits<int32_t>::max() || dims[2] > std::numeric_limits<int32_t>::max())
      return invalid_model(ctx.describe_input(l.output_shape), ": output shape [", dims[0], ",", dims[1], ",", dims[2],
                           ",", dims[3], "] must be [", in.dim(0), ",>0,>0,", w.dim(0), "]");
    state->out_h = static_cast<int>(dims[1]);
    state->out_w = static_cast<int>(dims[2]);
    // TFLite: the forward conv over the output must give back the input size; its padding is ours.
    ref::WindowDim fh, fw;
    EIR_RETURN_IF_ERROR(ref::compute_window_dim(p->padding, state->out_h, w.dim(1), p->stride_h, 1, "height", &fh));
    EIR_RETURN_IF_ERROR(ref::compute_window_dim(p->padding, state->out_w, w.dim(2), p->stride_w, 1, "width", &fw));
    if (fh.out != in.dim(1) || fw.out != in.dim(2))
      return invalid_model("output size ", state->out_h, "x", state->out_w, " maps back to ", fh.out, "x", fw.out,
                           " under the forward conv, but the input is ", in.dim(1), "x", in.dim(2));
    state->pad_h = fh.pad;
    state->pad_w = fw.pad;
    EIR_RETURN_IF_ERROR(ref::fused_activation_clamp(p->activation, &state->params.min, &state->params.max));
  } else {
    EIR_RETURN_IF_ERROR(mediapipe_dim(p->padding, in.dim(1), w.dim(1), p->stride_h, "height", &state->out_h, &state->pad_h));
    EIR_RETURN_IF_ERROR(mediapipe_dim(p->padding, in.dim(2), w.dim(2), p->stride_w, "width", &state->out_w, &state->pad_w));
    ref::activation_range_f32(Activation::kNone, &state->params.min, &state->params.max);  // MediaPipe: none
  }
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), state->out_h, state->out_w, w.dim(0)}));
  if (ctx.validating()) return Status::Ok();
  state->packed = ctx.packed<PackedTransposeConv>();
  if (state->packed == nullptr) {
    EIR_RETURN_IF_ERROR(pack_transpose(l, config, ctx.node(), ctx.tensors(), &state->own_packed));
    state->packed = &state->own_packed;
  }
  if (state->packed->stride_h != p->stride_h || state->packed->stride_w != p->stride_w)
    return internal_error("packed transposed conv weights do not match the strides");

  // Jobs and the indirection layout.
  const int sh = p->stride_h, sw = p->stride_w;
  const size_t mr = state->packed->phases[0]->variant->mr;
  const int kh = w.dim(1), kw = w.dim(2);
  constexpr size_t kMaxIndirectionPointers = (size_t{1} << 32) / sizeof(void*);
  size_t offset = 0;
  for (int b = 0; b < in.dim(0); ++b) {
    for (int oy = 0; oy < state->out_h; ++oy) {
      const int qh = static_cast<int>((static_cast<int64_t>(oy) + state->pad_h) % sh);
      for (int qw = 0; qw < sw; ++qw) {
        Job j;
        j.b = b, j.oy = oy, j.qh = qh, j.qw = qw;
        // ox + pad_w = qw (mod sw)
        j.ox0 = static_cast<int>(((static_cast<int64_t>(qw) - state->pad_w) % sw + sw) % sw);
        if (j.ox0 >= state->out_w) continue;
        j.count = (state->out_w - j.ox0 + sw - 1) / sw;
        j.offset = offset;
        const size_t ks = static_cast<size_t>(taps_in_class(kh, sh, qh)) * static_cast<size_t>(taps_in_class(kw, sw, qw));
        const size_t need = (static_cast<size_t>(j.count) + mr - 1) / mr * mr * ks;
        if (need > kMaxIndirectionPointers - offset)
          return resource_exhausted("transposed conv indirection buffer exceeds ", kMaxIndirectionPointers, " pointers");
        offset += need;
        state->jobs.push_back(j);
      }
    }
  }
  state->indirection.assign(offset, nullptr);
  state->zero.assign(static_cast<size_t>(w.dim(3)), 0.0f);
  ctx.set_state(std::move(state));
  return Status::Ok();
}

void build_job_indirection(const TransposeState& s, const ConvParams& p, const Tensor& in, const Tensor& w,
                           const Job& j, const float** ind) {
  const size_t mr = s.packed->phases[0]->variant->mr;
  const int sh = p.stride_h, sw = p.stride_w;
  const int64_t in_h = in.dim(1), in_w = in.dim(2), ic = in.dim(3);
  const int th = taps_in_class(w.dim(1), sh, j.qh), tw = taps_in_class(w.dim(2), sw, j.qw);
  const size_t ks = static_cast<size_t>(th) * static_cast<size_t>(tw);
  const size_t tiles = (static_cast<size_t>(j.count) + mr - 1) / mr;
  const float* x = in.as<float>();
  for (size_t t = 0; t < tiles; ++t) {
    const float** tp = ind + j.offset + t * ks * mr;
    for (size_t r = 0; r < mr; ++r) {
      const int64_t i = static_cast<int64_t>(std::min(t * mr + r, static_cast<size_t>(j.count) - 1));
      const int64_t ox = j.ox0 + i * sw;
      for (int a = 0; a < th; ++a) {
        // (oy + pad - ky) is a multiple of the stride by construction of the phase.
        const int64_t iy = (static_cast<int64_t>(j.oy) + s.pad_h - (j.qh + a * sh)) / sh;
        for (int c = 0; c < tw; ++c) {
          const int64_t ix = (ox + s.pad_w - (j.qw + c * sw)) / sw;
          const int64_t ty = static_cast<int64_t>(j.oy) + s.pad_h - (j.qh + a * sh);
          const int64_t tx = ox + s.pad_w - (j.qw + c * sw);
          // Negative numerators are outside the input (integer division rounds toward zero).
          const bool inside = ty >= 0 && tx >= 0 && iy < in_h && ix < in_w;
          tp[static_cast<size_t>(a * tw + c) * mr + r] = inside ? x + ((j.b * in_h + iy) * in_w + ix) * ic : s.zero.data();
        }
      }
    }
  }
}

Status transpose_run_impl(KernelContext& ctx, const Layout& l) {
  TransposeState& s = *ctx.state<TransposeState>();
  const ConvParams& p = *ctx.node().params_as<ConvParams>();
  const Tensor& in = ctx.input(l.input);
  const Tensor& w = ctx.input(l.weights);
  float* y = ctx.output(0).as<float>();
  const size_t oc = static_cast<size_t>(w.dim(0)), ic = static_cast<size_t>(w.dim(3));
  const int sh = p.stride_h, sw = p.stride_w;
  const size_t mr = s.packed->phases[0]->variant->mr;
  ThreadPool* pool = ctx.thread_pool();
  const float** ind = s.indirection.data();
  if (s.indirection_input != in.as<float>()) {
    pool->parallel_for(s.jobs.size(), 4, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) build_job_indirection(s, p, in, w, s.jobs[i], ind);
    });
    s.indirection_input = in.as<float>();
  }
  pool->parallel_for(s.jobs.size(), 1, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const Job& j = s.jobs[i];
      const PackedGemmWeights& pw = s.packed->phase(j.qh, j.qw);
      const size_t ks = static_cast<size_t>(taps_in_class(w.dim(1), sh, j.qh)) *
                        static_cast<size_t>(taps_in_class(w.dim(2), sw, j.qw));
      float* row = y + ((static_cast<size_t>(j.b) * static_cast<size_t>(s.out_h) + static_cast<size_t>(j.oy)) *
                            static_cast<size_t>(s.out_w) + static_cast<size_t>(j.ox0)) * oc;
      const size_t c_stride = static_cast<size_t>(sw) * oc;
      for (size_t m0 = 0, t = 0; m0 < static_cast<size_t>(j.count); m0 += mr, ++t) {
        const size_t rows = std::min(mr, static_cast<size_t>(j.count) - m0);
        pw.variant->igemm(rows, oc, ic, ks, ind + j.offset + t * ks * mr, pw.data(), row + m0 * c_stride, c_stride,
                          &s.params);
      }
    }
  });
  return Status::Ok();
}

template <size_t Slot, bool kTflite>
Result<std::shared_ptr<const PackedWeights>> pack_slot(const Node& node, const std::vector<Tensor>& tensors) {
  auto packed = std::make_shared<PackedTransposeConv>();
  EIR_RETURN_IF_ERROR(
      pack_transpose(kTflite ? kTfliteLayout : kMediapipeLayout, f32_gemm_config_at(Slot), node, tensors, packed.get()));
  return std::shared_ptr<const PackedWeights>(std::move(packed));
}
template <size_t Slot, bool kTflite>
Status prepare_slot(KernelContext& ctx) {
  return transpose_prepare(ctx, kTflite ? kTfliteLayout : kMediapipeLayout, f32_gemm_config_at(Slot));
}
template <bool kTflite>
Status run_flavour(KernelContext& ctx) {
  return transpose_run_impl(ctx, kTflite ? kTfliteLayout : kMediapipeLayout);
}
template <bool kTflite>
bool supports_flavour(const Node& node, const std::vector<Tensor>& tensors) {
  return supports_layout(kTflite ? kTfliteLayout : kMediapipeLayout, node, tensors);
}

template <size_t Slot, bool kTflite>
Kernel make_kernel() {
  static const std::string name = std::string(kTflite ? "fast/transpose_conv_f32_" : "fast/convolution2d_transpose_bias_f32_") +
                                  f32_gemm_config_at(Slot).isa;
  Kernel k;
  k.name = name.c_str();
  k.prepare = prepare_slot<Slot, kTflite>;
  k.run = run_flavour<kTflite>;
  k.supports = supports_flavour<kTflite>;
  k.pack = pack_slot<Slot, kTflite>;
  return k;
}

template <bool kTflite>
Kernel kernel_for(const F32GemmConfig& config) {
  return kernel_for_slot<kMaxF32GemmConfigs>(f32_gemm_config_index(config),
                                             [](auto slot) { return make_kernel<decltype(slot)::value, kTflite>(); });
}

}  // namespace

Kernel transpose_conv_f32_kernel(const F32GemmConfig& config) { return kernel_for<true>(config); }
Kernel transpose_conv_bias_f32_kernel(const F32GemmConfig& config) { return kernel_for<false>(config); }

}  // namespace eir::fast
