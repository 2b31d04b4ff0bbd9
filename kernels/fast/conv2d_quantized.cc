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

#include "kernels/fast/config_slots.h"
#include "kernels/fast/conv_indirection.h"
#include "kernels/fast/qs8_gemm_driver.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/fast/quantized_driver_util.h"
#include "kernels/reference/quant_utils.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;

// Whether this driver handles the node (else the reference kernel runs it, or reports the error),
// and the quantization the packer and the kernel need.
bool analyze(const Node& node, const std::vector<Tensor>& tensors, QuantizedChannels* q) {
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
  QuantizedWeightsRules rules;  // per-channel int8 filters along the output channels, symmetric
  rules.channel_axis = 0;
  rules.int8_symmetric = true;
  rules.int8_ignore_zero_point = true;
  return analyze_quantized_node(node, tensors, *in, *filter, filter->dim(0), p->activation, rules, q);
}

bool conv_supports(const Node& node, const std::vector<Tensor>& tensors) {
  QuantizedChannels q;
  return analyze(node, tensors, &q);
}

Status pack_conv(const Qs8GemmConfig& config, const Node& node, const std::vector<Tensor>& tensors,
                 PackedQs8Weights* out) {
  QuantizedChannels q;
  if (!analyze(node, tensors, &q)) return internal_error("fast quantized CONV_2D packing a node it does not support");
  const Tensor& filter = *tensor_at(node, tensors, kFilter);
  const Qs8GemmProblem pr =
      qs8_gemm_problem(q, filter, tensor_at(node, tensors, kBias), static_cast<size_t>(filter.dim(0)),
                       static_cast<size_t>(filter.dim(3)),
                       static_cast<size_t>(filter.dim(1)) * static_cast<size_t>(filter.dim(2)));
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

Status conv_prepare(KernelContext& ctx, const Qs8GemmConfig& config) {
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(ref::get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ref::expect_conv_shapes(ctx, kInput, kFilter, 0));
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

  EIR_RETURN_IF_ERROR(ref::compute_conv_window(*p, in, filter, &s->h, &s->w));
  EIR_RETURN_IF_ERROR(quantized_output_params(p->activation, out, s->packed->a_xor,
                                              qs8_gemm_round_half_away(s->packed->input_u8), &s->params));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), s->h.out, s->w.out, filter.dim(0)}));

  s->pixels = static_cast<size_t>(in.dim(0)) * static_cast<size_t>(s->h.out) * static_cast<size_t>(s->w.out);
  s->input_pixels = static_cast<size_t>(in.dim(0)) * static_cast<size_t>(in.dim(1)) * static_cast<size_t>(in.dim(2));
  s->direct = kh == 1 && kw == 1 && p->stride_h == 1 && p->stride_w == 1;
  if (!s->direct) {
    const size_t mr = s->packed->variant->mr, ks = kh * kw;
    EIR_RETURN_IF_ERROR(check_conv_indirection_size(s->pixels, ks, mr, "quantized CONV_2D"));
    s->indirection.assign((s->pixels + mr - 1) / mr * mr * ks, nullptr);
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
    pool->parallel_for(tiles, 16, [&](size_t begin, size_t end) {
      fill_conv_indirection(p, s.h, s.w, in, filter, mr, s.pixels, in.data, s.zero.data(), begin, end, ind);
    });
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
  return kernel_for_slot<kMaxQs8GemmConfigs>(qs8_gemm_config_index(config),
                                             [](auto slot) { return make_kernel<decltype(slot)::value>(); });
}

}  // namespace eir::fast
