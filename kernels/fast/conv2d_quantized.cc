// CONV_2D uint8 / int8 through the qs8 GEMM microkernels, bit-exact with the reference kernel
// (kernels/reference/conv2d_quantized.cc).
//
// The OHWI filter is the GEMM weight matrix [O, KH*KW*I]; it is packed at model load with the
// bias, the zero-point terms and the per-channel multipliers (qs8_gemm_driver.h). Each output
// pixel is one GEMM row:
//   - 1x1 filters with stride 1 read the input directly as A[pixels, I];
//   - every other shape runs the IGEMM kernel over an indirection buffer of pointers to the I
//     input channels of each tap, or to a row holding the input zero point for taps in the
//     padding: (x - zx) is then 0 there, exactly like the reference skipping those taps. The
//     buffer lives in the node state and is rebuilt only when the input's address changes.
// uint8 filters with a zero point other than 128 also need each output pixel's sum of inputs
// (the row term): per-input-pixel channel sums first, then a sum over the taps.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "kernels/fast/qs8_gemm_driver.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/reference/quant_utils.h"
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

bool per_tensor_ok(const Tensor& t) {
  return t.quant.scales.size() == 1 && ref::check_quant_params(t, "").ok();
}

// Everything about a node's quantization the packer and the kernel need, or false when this
// driver does not handle the node (the reference kernel then runs it, or reports the error).
struct ConvQuant {
  bool u8 = false;
  int32_t input_zero_point = 0, filter_zero_point = 0;
  std::vector<int32_t> multipliers;
  std::vector<int> shifts;
};

bool analyze(const Node& node, const std::vector<Tensor>& tensors, ConvQuant* q) {
  const ConvParams* p = node.params_as<ConvParams>();
  if (p == nullptr || !ref::activation_is_clamp(p->activation)) return false;
  if (p->stride_h <= 0 || p->stride_w <= 0 || p->dilation_h <= 0 || p->dilation_w <= 0) return false;
  if (node.inputs.size() < 2 || node.inputs.size() > 3 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node, tensors, kInput);
  const Tensor* filter = tensor_at(node, tensors, kFilter);
  if (!in || !filter || (in->dtype != DType::kU8 && in->dtype != DType::kI8) || in->rank() != 4) return false;
  if (filter->dtype != in->dtype || filter->rank() != 4 || !filter->is_constant() || filter->data == nullptr)
    return false;
  for (int d = 0; d < 4; ++d)
    if (filter->dim(d) <= 0) return false;
  for (int d = 1; d < 4; ++d)
    if (in->dim(d) <= 0) return false;
  if (in->dim(3) != filter->dim(3)) return false;  // grouped convolution: reference
  const int oc = filter->dim(0);
  if (node.inputs.size() == 3 && node.inputs[kBias] >= 0) {
    const Tensor* bias = tensor_at(node, tensors, kBias);
    if (!bias || bias->dtype != DType::kI32 || !bias->is_constant() || bias->data == nullptr ||
        bias->num_elements() != oc)
      return false;
  }
  const int out_index = node.outputs[0];
  if (out_index < 0 || static_cast<size_t>(out_index) >= tensors.size()) return false;
  const Tensor& out = tensors[static_cast<size_t>(out_index)];
  if (out.dtype != in->dtype || !per_tensor_ok(*in) || !per_tensor_ok(out)) return false;
  const bool u8 = in->dtype == DType::kU8;
  ref::QuantCheck fcheck;
  fcheck.allow_per_channel = !u8;
  fcheck.require_zero_point_zero = !u8;
  if (!ref::check_quant_params(*filter, "", fcheck).ok()) return false;
  if (filter->quant.per_channel() && (filter->quant.axis != 0 || static_cast<int>(filter->quant.scales.size()) != oc))
    return false;
  int32_t lo, hi;
  if (!ref::quantized_activation_range(p->activation, out, &lo, &hi).ok()) return false;
  q->u8 = u8;
  q->input_zero_point = in->quant.zero_point();
  q->filter_zero_point = u8 ? filter->quant.zero_point() : 0;
  q->multipliers.resize(static_cast<size_t>(oc));
  q->shifts.resize(static_cast<size_t>(oc));
  // The reference's multipliers: uint8 rounds the scale product to float first; int8 uses doubles.
  const float in_s = in->quant.scale(), out_s = out.quant.scale();
  for (int c = 0; c < oc; ++c) {
    double real;
    if (u8) {
      real = static_cast<double>(in_s * filter->quant.scale()) / static_cast<double>(out_s);
    } else {
      const float fs = filter->quant.per_channel() ? filter->quant.scales[static_cast<size_t>(c)] : filter->quant.scale();
      real = static_cast<double>(in_s) * static_cast<double>(fs) / static_cast<double>(out_s);
    }
    const ref::QuantizedMultiplier m = ref::quantize_multiplier(real);
    if (m.multiplier < 0 || !qs8_shift_supported(m.shift)) return false;
    q->multipliers[static_cast<size_t>(c)] = m.multiplier;
    q->shifts[static_cast<size_t>(c)] = m.shift;
  }
  return true;
}

bool conv_supports(const Node& node, const std::vector<Tensor>& tensors) {
  ConvQuant q;
  return analyze(node, tensors, &q);
}

Status pack_conv(const Qs8GemmConfig& config, const Node& node, const std::vector<Tensor>& tensors,
                 PackedQs8Weights* out) {
  ConvQuant q;
  if (!analyze(node, tensors, &q)) return internal_error("fast quantized CONV_2D packing a node it does not support");
  const Tensor& filter = *tensor_at(node, tensors, kFilter);
  const Tensor* bias = node.inputs.size() == 3 && node.inputs[kBias] >= 0 ? tensor_at(node, tensors, kBias) : nullptr;
  Qs8GemmProblem pr;
  pr.n = static_cast<size_t>(filter.dim(0));
  pr.kc = static_cast<size_t>(filter.dim(3));
  pr.ks = static_cast<size_t>(filter.dim(1)) * static_cast<size_t>(filter.dim(2));
  pr.weights = filter.data;
  pr.weights_u8 = q.u8;
  pr.weights_zero_point = q.filter_zero_point;
  pr.bias = bias ? bias->as<int32_t>() : nullptr;
  pr.input_u8 = q.u8;
  pr.input_zero_point = q.input_zero_point;
  pr.multipliers = q.multipliers.data();
  pr.shifts = q.shifts.data();
  return pack_qs8_gemm_weights(config.variant_for(pr.n), pr, out);
}

template <size_t Slot>
Result<std::shared_ptr<const PackedWeights>> conv_pack_slot(const Node& node, const std::vector<Tensor>& tensors) {
  auto packed = std::make_shared<PackedQs8Weights>();
  EIR_RETURN_IF_ERROR(pack_conv(qs8_gemm_config_at(Slot), node, tensors, packed.get()));
  return std::shared_ptr<const PackedWeights>(std::move(packed));
}

struct ConvState : KernelState {
  ref::WindowDim h, w;
  eir_qs8_gemm_params params{};
  bool direct = false;
  size_t pixels = 0;          // GEMM rows: batch * out_h * out_w
  size_t input_pixels = 0;    // batch * in_h * in_w (row-term scratch)
  std::vector<uint8_t> zero;  // input channels' worth of the input zero point (padding taps)
  std::vector<const uint8_t*> indirection;
  const uint8_t* indirection_input = nullptr;
  PackedQs8Weights own_packed;
  const PackedQs8Weights* packed = nullptr;
};

// How the final shift rounds ties, as the reference kernel (TFLite's default x86 path) does:
// int8 runs a ruy GEMM whose x86 kernels round ties up (Requantize::kRuyX86); uint8 runs a
// gemmlowp GEMM whose output stage is MultiplyByQuantizedMultiplier, ties away from zero
// (Requantize::kTflite).
uint8_t conv_round_half_away(bool u8) { return u8 ? 1 : 0; }

Status conv_prepare(KernelContext& ctx, const Qs8GemmConfig& config) {
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(ref::get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kInput, 4));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kFilter, 4));
  EIR_RETURN_IF_ERROR(ref::expect_positive_dims(ctx, kInput, 1, 3));
  EIR_RETURN_IF_ERROR(ref::expect_positive_dims(ctx, kFilter, 0, 3));
  if (!conv_supports(ctx.node(), ctx.tensors()))
    return unsupported("this quantized CONV_2D is not handled by the fast kernel (",
                       ctx.describe_input(kInput), ", ", ctx.describe_input(kFilter), ")");
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  const Tensor& out = ctx.output(0);
  if (in.dim(0) < 0) return invalid_model(ctx.describe_input(kInput), ": batch must be >= 0");

  auto s = std::make_unique<ConvState>();
  s->packed = ctx.packed<PackedQs8Weights>();
  if (s->packed == nullptr) {
    EIR_RETURN_IF_ERROR(pack_conv(config, ctx.node(), ctx.tensors(), &s->own_packed));
    s->packed = &s->own_packed;
  }
  const size_t oc = static_cast<size_t>(filter.dim(0)), ic = static_cast<size_t>(filter.dim(3));
  const size_t kh = static_cast<size_t>(filter.dim(1)), kw = static_cast<size_t>(filter.dim(2));
  if (s->packed->n != oc || s->packed->kc != ic || s->packed->ks != kh * kw)
    return internal_error("packed quantized CONV_2D weights do not match the filter shape");

  EIR_RETURN_IF_ERROR(ref::compute_window_dim(p->padding, in.dim(1), filter.dim(1), p->stride_h, p->dilation_h,
                                              "height", &s->h));
  EIR_RETURN_IF_ERROR(ref::compute_window_dim(p->padding, in.dim(2), filter.dim(2), p->stride_w, p->dilation_w,
                                              "width", &s->w));
  int32_t act_min = 0, act_max = 0;
  EIR_RETURN_IF_ERROR(ref::quantized_activation_range(p->activation, out, &act_min, &act_max));
  s->params.output_zero_point = out.quant.zero_point();
  s->params.output_min = act_min;
  s->params.output_max = act_max;
  s->params.a_xor = s->packed->a_xor;
  s->params.round_half_away = conv_round_half_away(s->packed->input_u8);
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), s->h.out, s->w.out, filter.dim(0)}));

  s->pixels = static_cast<size_t>(in.dim(0)) * static_cast<size_t>(s->h.out) * static_cast<size_t>(s->w.out);
  s->input_pixels = static_cast<size_t>(in.dim(0)) * static_cast<size_t>(in.dim(1)) * static_cast<size_t>(in.dim(2));
  s->direct = kh == 1 && kw == 1 && p->stride_h == 1 && p->stride_w == 1;
  if (!s->direct) {
    const size_t mr = s->packed->variant->mr, ks = kh * kw;
    const size_t rows = (s->pixels + mr - 1) / mr * mr;
    constexpr size_t kMaxIndirectionBytes = size_t{1} << 32;
    if (rows > kMaxIndirectionBytes / sizeof(void*) / ks)
      return resource_exhausted("quantized CONV_2D indirection buffer (", rows, " rows x ", ks, " taps) exceeds ",
                                kMaxIndirectionBytes, " bytes");
    s->indirection.assign(rows * ks, nullptr);
    s->zero.assign(ic, static_cast<uint8_t>(s->packed->input_zero_point));
  }
  if (s->packed->row_scale != 0) {
    // Row terms for every output pixel, plus per-input-pixel channel sums for the IGEMM path.
    const size_t words = s->pixels + (s->direct ? 0 : s->input_pixels);
    ctx.request_scratch(words * sizeof(int32_t));
  }
  ctx.set_state(std::move(s));
  return Status::Ok();
}

void build_indirection(const ConvState& s, const ConvParams& p, const Tensor& in, const Tensor& filter,
                       size_t tile_begin, size_t tile_end, const uint8_t** ind) {
  const size_t mr = s.packed->variant->mr;
  const int64_t in_h = in.dim(1), in_w = in.dim(2), ic = in.dim(3);
  const int64_t kh = filter.dim(1), kw = filter.dim(2);
  const int64_t out_h = s.h.out, out_w = s.w.out;
  const size_t ks = static_cast<size_t>(kh * kw);
  const uint8_t* x = in.data;
  const uint8_t* zero = s.zero.data();
  for (size_t tile = tile_begin; tile < tile_end; ++tile) {
    const uint8_t** tp = ind + tile * ks * mr;
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

// Canonical channel sums of `count` consecutive pixels of IC bytes (small IC: a plain loop beats
// one rsum kernel call per pixel).
template <size_t IC>
void small_pixel_sums(const uint8_t* x, size_t count, bool u8, int32_t* out) {
  const uint32_t offset = u8 ? 128u * IC : 0u;
  for (size_t px = 0; px < count; ++px, x += IC) {
    uint32_t s = 0;
    for (size_t c = 0; c < IC; ++c) s += u8 ? uint32_t{x[c]} : static_cast<uint32_t>(int32_t{static_cast<int8_t>(x[c])});
    out[px] = static_cast<int32_t>(s - offset);
  }
}

// Row terms of the IGEMM rows: row_scale * (sum over taps and channels of the canonical inputs,
// the zero point standing in for padding taps), all modulo 2^32. The channel sums of every input
// pixel come first, then each output pixel adds its taps' (without bounds checks for pixels whose
// window lies inside the image).
void igemm_row_terms(const ConvState& s, const ConvParams& p, const Tensor& in, const Tensor& filter,
                     int32_t* pixel_sums, int32_t* row_terms, ThreadPool* pool) {
  const PackedQs8Weights& w = *s.packed;
  const size_t ic = static_cast<size_t>(in.dim(3));
  const bool u8 = w.input_u8;
  if (ic <= 4) {
    pool->parallel_for(s.input_pixels, 4096, [&](size_t begin, size_t end) {
      const uint8_t* x = in.data + begin * ic;
      switch (ic) {
        case 1: small_pixel_sums<1>(x, end - begin, u8, pixel_sums + begin); break;
        case 2: small_pixel_sums<2>(x, end - begin, u8, pixel_sums + begin); break;
        case 3: small_pixel_sums<3>(x, end - begin, u8, pixel_sums + begin); break;
        default: small_pixel_sums<4>(x, end - begin, u8, pixel_sums + begin); break;
      }
    });
  } else {
    qs8_row_sums(*w.variant, s.input_pixels, ic, in.data, ic, u8, 1, pixel_sums, pool);
  }
  const int64_t in_h = in.dim(1), in_w = in.dim(2);
  const int64_t kh = filter.dim(1), kw = filter.dim(2);
  const int64_t out_h = s.h.out, out_w = s.w.out;
  const int64_t dh = p.dilation_h, dw = p.dilation_w;
  const int32_t za = u8 ? w.input_zero_point - 128 : w.input_zero_point;
  const uint32_t pad_sum = static_cast<uint32_t>(za) * static_cast<uint32_t>(ic);
  const uint32_t scale = static_cast<uint32_t>(w.row_scale);
  const uint32_t* ps = reinterpret_cast<const uint32_t*>(pixel_sums);
  const size_t rows = static_cast<size_t>(in.dim(0) * out_h);
  pool->parallel_for(rows, 1, [&](size_t begin, size_t end) {
    const uint32_t* prow[16];
    for (size_t r = begin; r < end; ++r) {
      const int64_t b = static_cast<int64_t>(r) / out_h, oy = static_cast<int64_t>(r) % out_h;
      const int64_t iy0 = oy * p.stride_h - s.h.pad;
      int64_t valid_rows = 0;
      for (int64_t ky = 0; ky < kh; ++ky) {
        const int64_t iy = iy0 + ky * dh;
        if (iy >= 0 && iy < in_h && valid_rows < 16) prow[valid_rows++] = ps + (b * in_h + iy) * in_w;
      }
      // Filters taller than 16 rows take the checked path for every pixel.
      const bool rows_fit = kh <= 16;
      int32_t* out = row_terms + r * static_cast<size_t>(out_w);
      for (int64_t ox = 0; ox < out_w; ++ox) {
        const int64_t ix0 = ox * p.stride_w - s.w.pad;
        uint32_t sum = 0;
        int64_t inside = 0;
        if (rows_fit && ix0 >= 0 && ix0 + (kw - 1) * dw < in_w) {
          for (int64_t j = 0; j < valid_rows; ++j)
            for (int64_t kx = 0; kx < kw; ++kx) sum += prow[j][ix0 + kx * dw];
          inside = valid_rows * kw;
        } else {
          for (int64_t ky = 0; ky < kh; ++ky) {
            const int64_t iy = iy0 + ky * dh;
            if (iy < 0 || iy >= in_h) continue;
            const uint32_t* row = ps + (b * in_h + iy) * in_w;
            for (int64_t kx = 0; kx < kw; ++kx) {
              const int64_t ix = ix0 + kx * dw;
              if (ix < 0 || ix >= in_w) continue;
              sum += row[ix];
              ++inside;
            }
          }
        }
        sum += static_cast<uint32_t>(kh * kw - inside) * pad_sum;
        out[ox] = static_cast<int32_t>(scale * sum);
      }
    }
  });
}

Status conv_run(KernelContext& ctx) {
  ConvState& s = *ctx.state<ConvState>();
  const ConvParams& p = *ctx.node().params_as<ConvParams>();
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  uint8_t* y = ctx.output(0).data;
  const size_t oc = static_cast<size_t>(filter.dim(0)), ic = static_cast<size_t>(in.dim(3));
  ThreadPool* pool = ctx.thread_pool();
  if (s.pixels == 0) return Status::Ok();
  int32_t* row_terms = nullptr;
  if (s.packed->row_scale != 0) {
    row_terms = reinterpret_cast<int32_t*>(ctx.scratch());
    if (s.direct)
      qs8_gemm_row_terms(*s.packed, s.pixels, in.data, ic, row_terms, pool);
    else
      igemm_row_terms(s, p, in, filter, row_terms + s.pixels, row_terms, pool);
  }
  if (s.direct) {
    run_qs8_gemm(*s.packed, s.pixels, in.data, ic, y, oc, row_terms, s.params, pool);
    return Status::Ok();
  }
  const size_t mr = s.packed->variant->mr;
  const uint8_t** ind = s.indirection.data();
  if (s.indirection_input != in.data) {
    const size_t tiles = (s.pixels + mr - 1) / mr;
    pool->parallel_for(tiles, 16, [&](size_t begin, size_t end) { build_indirection(s, p, in, filter, begin, end, ind); });
    s.indirection_input = in.data;
  }
  run_qs8_igemm(*s.packed, s.pixels, ind, y, oc, row_terms, s.params, pool);
  return Status::Ok();
}

template <size_t Slot>
Status conv_prepare_slot(KernelContext& ctx) {
  return conv_prepare(ctx, qs8_gemm_config_at(Slot));
}

template <size_t Slot>
Kernel make_kernel() {
  static const std::string name = std::string("fast/conv2d_quantized_") + qs8_gemm_config_at(Slot).isa;
  Kernel k;
  k.name = name.c_str();
  k.prepare = conv_prepare_slot<Slot>;
  k.run = conv_run;
  k.supports = conv_supports;
  k.pack = conv_pack_slot<Slot>;
  return k;
}

}  // namespace

Kernel conv2d_quantized_kernel(const Qs8GemmConfig& config) {
  static_assert(kMaxQs8GemmConfigs == 4, "one instantiation per config slot");
  switch (qs8_gemm_config_index(config)) {
    case 0: return make_kernel<0>();
    case 1: return make_kernel<1>();
    case 2: return make_kernel<2>();
    default: return make_kernel<3>();
  }
}

}  // namespace eir::fast
