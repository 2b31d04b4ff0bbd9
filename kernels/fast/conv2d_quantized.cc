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
//   - 3x3 stride-2 filters over 3 input channels (the RGB stem) take the config's direct kernel
//     when it has one (kernels/ukernels/qs8-conv: one call per output row, no GEMM rows);
//   - filters over few input channels (not a multiple of 4, small KH*KW*I: the RGB first layer)
//     copy each pixel's window into a row of K = KH*KW*I bytes ("im2col", in tiles of 64 rows per
//     thread, K padded to a multiple of 4 with the input zero point, like a padding tap) and run
//     the GEMM kernel on those rows: no partial 4-byte groups per tap.
// uint8 filters with a zero point other than 128 also need each output pixel's sum of inputs
// (the row term): per-input-pixel channel sums first, then a sum over the taps (im2col: the row
// sums of the copied rows).
#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "kernels/fast/config_slots.h"
#include "kernels/fast/conv_indirection.h"
#include "kernels/fast/qs8_conv3x3s2c3_pack.h"
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

// The im2col path's geometry: K = KH*KW*I, taken when I is not a multiple of 4 (every tap would
// end in a partial 4-byte group) and K is small; GEMM depth kp = K rounded up to 4, rows `stride`
// bytes apart (a power of two up to 64: the row sums' multi-row path), filled past kp with the
// canonical zero.
struct Im2col {
  bool on = false;
  size_t k = 0, kp = 0, stride = 0;
};
constexpr size_t kIm2colMaxK = 256;
constexpr size_t kIm2colTileRows = 64;
constexpr size_t kIm2colMaxSlots = 8;  // per-thread tiles in the scratch

Im2col im2col_geometry(const Tensor& filter) {
  Im2col g;
  const size_t ic = static_cast<size_t>(filter.dim(3));
  const size_t taps = static_cast<size_t>(filter.dim(1)) * static_cast<size_t>(filter.dim(2));
  g.k = taps * ic;
  if (ic % 4 == 0 || taps == 1 || g.k > kIm2colMaxK) return g;
  g.on = true;
  g.kp = (g.k + 3) / 4 * 4;
  g.stride = 8;
  while (g.stride < g.kp && g.stride < 64) g.stride *= 2;
  if (g.stride < g.kp) g.stride = (g.kp + 7) / 8 * 8;
  return g;
}

// What a node is packed for: the GEMM layout (direct, IGEMM or im2col) or the stem kernel's.
struct PackedConv : PackedWeights {
  PackedQs8Weights gemm;
  std::unique_ptr<OwnedBuffer> stem;  // the 3x3 stride-2 3-channel kernel's weights, or null
  bool input_u8 = false;
  int32_t input_zero_point = 0;
  size_t bytes() const override { return gemm.bytes() + (stem ? stem->size() : 0); }
};

// The stem kernel's view of the node, when the config has that kernel and the node suits it.
bool stem_filter(const Qs8GemmConfig& config, const Node& node, const std::vector<Tensor>& tensors,
                 const QuantizedChannels& q, Qs8Conv3x3s2c3Filter* f) {
  const ConvParams* p = node.params_as<ConvParams>();
  const Tensor& filter = *tensor_at(node, tensors, kFilter);
  if (config.conv3x3s2c3 == nullptr || filter.dim(1) != 3 || filter.dim(2) != 3 || filter.dim(3) != 3) return false;
  if (p->stride_h != 2 || p->stride_w != 2 || p->dilation_h != 1 || p->dilation_w != 1) return false;
  const Tensor* bias = tensor_at(node, tensors, kBias);
  f->output_channels = static_cast<size_t>(filter.dim(0));
  f->u8 = q.u8;
  f->weights = filter.data;
  f->bias = bias ? bias->as<int32_t>() : nullptr;
  f->input_zero_point = q.input_zero_point;
  f->weights_zero_point = q.weights_zero_point;
  f->multipliers = q.multipliers.data();
  f->shifts = q.shifts.data();
  return qs8_conv3x3s2c3_packable(*f);
}

Status pack_conv(const Qs8GemmConfig& config, const Node& node, const std::vector<Tensor>& tensors,
                 PackedConv* packed) {
  QuantizedChannels q;
  if (!analyze(node, tensors, &q)) return internal_error("fast quantized CONV_2D packing a node it does not support");
  const Tensor& filter = *tensor_at(node, tensors, kFilter);
  const size_t oc = static_cast<size_t>(filter.dim(0));
  packed->input_u8 = q.u8;
  packed->input_zero_point = q.input_zero_point;
  Qs8Conv3x3s2c3Filter sf;
  if (stem_filter(config, node, tensors, q, &sf)) {
    packed->stem = std::make_unique<OwnedBuffer>(qs8_conv3x3s2c3_packed_bytes(sf));
    pack_qs8_conv3x3s2c3(sf, packed->stem->data());
    return Status::Ok();
  }
  PackedQs8Weights* out = &packed->gemm;
  Qs8GemmProblem pr = qs8_gemm_problem(q, filter, tensor_at(node, tensors, kBias), oc,
                                       static_cast<size_t>(filter.dim(3)),
                                       static_cast<size_t>(filter.dim(1)) * static_cast<size_t>(filter.dim(2)));
  const Im2col g = im2col_geometry(filter);
  if (!g.on) return pack_qs8_gemm_weights(config.variant_for(pr.n), pr, out);
  // One GEMM of depth kp: each filter row padded with weights that multiply the padding bytes
  // (the input zero point) and so contribute nothing; the raw zero point is as good as any.
  std::vector<uint8_t> padded(oc * g.kp, static_cast<uint8_t>(q.weights_zero_point));
  for (size_t o = 0; o < oc; ++o) std::memcpy(padded.data() + o * g.kp, filter.data + o * g.k, g.k);
  pr.weights = padded.data();
  pr.kc = g.kp;
  pr.ks = 1;
  return pack_qs8_gemm_weights(config.variant_for(pr.n), pr, out);
}

template <size_t Slot>
Result<std::shared_ptr<const PackedWeights>> conv_pack_slot(const Node& node, const std::vector<Tensor>& tensors) {
  auto packed = std::make_shared<PackedConv>();
  EIR_RETURN_IF_ERROR(pack_conv(qs8_gemm_config_at(Slot), node, tensors, packed.get()));
  return std::shared_ptr<const PackedWeights>(std::move(packed));
}

struct ConvState : KernelState {
  ref::WindowDim h, w;
  eir_qs8_gemm_params params{};
  bool direct = false;
  Im2col im2col;
  uint8_t filler = 0;         // im2col bytes past kp: the canonical zero (row sums ignore them)
  size_t pixels = 0;          // GEMM rows: batch * out_h * out_w
  size_t input_pixels = 0;    // batch * in_h * in_w (row-term scratch)
  std::vector<uint8_t> zero;  // input channels' worth of the input zero point (padding taps)
  std::vector<const uint8_t*> indirection;
  const uint8_t* indirection_input = nullptr;
  PackedConv own_packed;
  const PackedConv* conv = nullptr;
  const PackedQs8Weights* packed = nullptr;  // &conv->gemm
  eir_qs8_conv3x3s2c3_ukernel_fn stem = nullptr;
  eir_qs8_conv3x3s2c3_params stem_params{};
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
  if (ctx.validating()) {
    // Shape and output quantization only: no packing, no indirection (KernelPhase::kValidate).
    ref::WindowDim h, w;
    EIR_RETURN_IF_ERROR(ref::compute_conv_window(*p, in, filter, &h, &w));
    eir_qs8_gemm_params q{};
    EIR_RETURN_IF_ERROR(quantized_output_params(p->activation, out, 0, 0, &q));
    return ctx.set_output_shape(0, {in.dim(0), h.out, w.out, filter.dim(0)});
  }

  auto s = std::make_unique<ConvState>();
  s->conv = ctx.packed<PackedConv>();
  if (s->conv == nullptr) {
    EIR_RETURN_IF_ERROR(pack_conv(config, ctx.node(), ctx.tensors(), &s->own_packed));
    s->conv = &s->own_packed;
  }
  s->packed = &s->conv->gemm;
  const size_t oc = static_cast<size_t>(filter.dim(0)), ic = static_cast<size_t>(filter.dim(3));
  const size_t kh = static_cast<size_t>(filter.dim(1)), kw = static_cast<size_t>(filter.dim(2));
  EIR_RETURN_IF_ERROR(ref::compute_conv_window(*p, in, filter, &s->h, &s->w));
  if (s->conv->stem) {
    s->stem = config.conv3x3s2c3;
    if (s->stem == nullptr) return internal_error("CONV_2D packed for a stem kernel its config lacks");
    eir_qs8_gemm_params q{};
    EIR_RETURN_IF_ERROR(
        quantized_output_params(p->activation, out, 0, qs8_gemm_round_half_away(s->conv->input_u8), &q));
    s->stem_params.output_zero_point = q.output_zero_point;
    s->stem_params.output_min = q.output_min;
    s->stem_params.output_max = q.output_max;
    s->stem_params.input_u8 = s->conv->input_u8 ? 1 : 0;
    s->stem_params.zero_byte = static_cast<uint8_t>(s->conv->input_zero_point);
    s->stem_params.round_half_away = q.round_half_away;
    EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), s->h.out, s->w.out, filter.dim(0)}));
    s->zero.assign(static_cast<size_t>(in.dim(2)) * 3, static_cast<uint8_t>(s->conv->input_zero_point));
    ctx.set_state(std::move(s));
    return Status::Ok();
  }
  s->im2col = im2col_geometry(filter);
  const size_t want_kc = s->im2col.on ? s->im2col.kp : ic, want_ks = s->im2col.on ? 1 : kh * kw;
  if (s->packed->n != oc || s->packed->kc != want_kc || s->packed->ks != want_ks)
    return internal_error("packed quantized CONV_2D weights do not match the filter shape");

  EIR_RETURN_IF_ERROR(quantized_output_params(p->activation, out, s->packed->a_xor,
                                              qs8_gemm_round_half_away(s->packed->input_u8), &s->params));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), s->h.out, s->w.out, filter.dim(0)}));

  s->pixels = static_cast<size_t>(in.dim(0)) * static_cast<size_t>(s->h.out) * static_cast<size_t>(s->w.out);
  s->input_pixels = static_cast<size_t>(in.dim(0)) * static_cast<size_t>(in.dim(1)) * static_cast<size_t>(in.dim(2));
  s->direct = kh == 1 && kw == 1 && p->stride_h == 1 && p->stride_w == 1;
  if (s->im2col.on) {
    s->filler = s->packed->input_u8 ? 0x80 : 0;
    // Per slot: a tile of rows (plus 64 bytes of slack for copies past a row's end) and its row
    // terms.
    ctx.request_scratch(kIm2colMaxSlots *
                        (kIm2colTileRows * s->im2col.stride + 64 + kIm2colTileRows * sizeof(int32_t)));
    ctx.set_state(std::move(s));
    return Status::Ok();
  }
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

// Rows [p0, p0 + count) of the im2col matrix into buf (rows g.stride bytes apart): each output
// pixel's window, tap-major then channel (the OHWI filter's order), the input zero point for taps
// in the padding and up to kp, the filler after. Pixels whose window lies inside the image columns
// (no width dilation) copy whole window rows from input rows chosen once per output row, one pass
// per window row over the tile's pixels of one output row; copies are fixed-size where they can
// be (16 bytes per window row or row tail): they may run past what they fill into bytes written
// later (a later window row; the next row's window for a tail, the last one into the tile's 64
// bytes of slack), never past the input.
// n <= 16 bytes with fixed-size (overlapping) copies: no call, nothing written past dst + n.
inline void copy_small(uint8_t* dst, const uint8_t* src, size_t n) {
  if (n >= 8) {
    std::memcpy(dst, src, 8);
    std::memcpy(dst + n - 8, src + n - 8, 8);
  } else if (n >= 4) {
    std::memcpy(dst, src, 4);
    std::memcpy(dst + n - 4, src + n - 4, 4);
  } else {
    for (size_t i = 0; i < n; ++i) dst[i] = src[i];
  }
}

void im2col_rows(const ConvState& s, const ConvParams& p, const Tensor& in, const Tensor& filter, size_t p0,
                 size_t count, uint8_t* buf) {
  const Im2col& g = s.im2col;
  const int64_t in_h = in.dim(1), in_w = in.dim(2), ic = in.dim(3);
  const int64_t kh = filter.dim(1), kw = filter.dim(2);
  const int64_t out_h = s.h.out, out_w = s.w.out;
  const uint8_t zx = static_cast<uint8_t>(s.packed->input_zero_point);
  const size_t seg = static_cast<size_t>(kw * ic);
  const uint8_t* end = in.data + in.num_elements();
  // The zero point (window rows in the padding) and the row tail [k, stride) from offset k.
  alignas(64) uint8_t zeros[64], tail[128];
  std::memset(zeros, zx, sizeof(zeros));
  std::memset(tail, zx, sizeof(tail));
  std::memset(tail + (g.kp - g.k), s.filler, sizeof(tail) - (g.kp - g.k));
  const size_t tail_len = g.stride - g.k;
  const bool fast_rows = kh <= 16 && seg <= 16 && p.dilation_w == 1;
  const uint8_t* src_rows[16];  // per window row: the input row, or null in the padding
  // Tails go first: a fixed 16-byte copy spills only into the next row's window bytes (written
  // after); window-row copies then stay within [0, k).
  auto put_tail = [&](uint8_t* row) {
    if (tail_len <= 16 && g.stride >= 16)
      std::memcpy(row + g.k, tail, 16);
    else
      std::memcpy(row + g.k, tail, tail_len);
  };
  // Any pixel, any geometry.
  auto general = [&](int64_t b, int64_t oy, int64_t ox, uint8_t* dst) {
    const int64_t ix0 = ox * p.stride_w - s.w.pad;
    for (int64_t ky = 0; ky < kh; ++ky, dst += seg) {
      const int64_t iy = oy * p.stride_h - s.h.pad + ky * p.dilation_h;
      if (iy < 0 || iy >= in_h) {
        std::memset(dst, zx, seg);
        continue;
      }
      const uint8_t* row = in.data + ((b * in_h + iy) * in_w) * ic;
      for (int64_t kx = 0; kx < kw; ++kx) {
        const int64_t ix = ix0 + kx * p.dilation_w;
        if (ix < 0 || ix >= in_w)
          std::memset(dst + kx * ic, zx, static_cast<size_t>(ic));
        else
          std::memcpy(dst + kx * ic, row + ix * ic, static_cast<size_t>(ic));
      }
    }
  };
  int64_t b = static_cast<int64_t>(p0) / (out_h * out_w);
  int64_t oy = static_cast<int64_t>(p0) % (out_h * out_w) / out_w, ox = static_cast<int64_t>(p0) % out_w;
  size_t r = 0;
  while (r < count) {
    // The pixels of this output row within the tile.
    const size_t n = std::min(count - r, static_cast<size_t>(out_w - ox));
    // ox in [lo, hi): the window's columns lie inside the image.
    int64_t lo = 0, hi = 0;
    if (fast_rows) {
      for (int64_t ky = 0; ky < kh; ++ky) {
        const int64_t iy = oy * p.stride_h - s.h.pad + ky * p.dilation_h;
        src_rows[ky] = iy >= 0 && iy < in_h ? in.data + ((b * in_h + iy) * in_w) * ic : nullptr;
      }
      lo = (s.w.pad + p.stride_w - 1) / p.stride_w;
      hi = (in_w - kw + s.w.pad) / p.stride_w + 1;
      if (in_w - kw + s.w.pad < 0) hi = 0;
    }
    // Pixels [i0, i1) of the run: one pass per window row (consecutive stores never overlap);
    // the others and the tails after.
    const int64_t i0 = std::clamp<int64_t>(lo - ox, 0, static_cast<int64_t>(n));
    const int64_t i1 = std::clamp<int64_t>(hi - ox, i0, static_cast<int64_t>(n));
    for (size_t i = 0; i < n; ++i) put_tail(buf + (r + i) * g.stride);
    for (int64_t ky = 0; ky < kh && i0 < i1; ++ky) {
      const bool pad_row = src_rows[ky] == nullptr;
      const uint8_t* src = pad_row ? zeros : src_rows[ky] + ((ox + i0) * p.stride_w - s.w.pad) * ic;
      const size_t step = pad_row ? 0 : static_cast<size_t>(p.stride_w * ic);
      uint8_t* dst = buf + (r + static_cast<size_t>(i0)) * g.stride + static_cast<size_t>(ky) * seg;
      // A 16-byte copy may spill into this row's later window rows (written after), not into
      // its tail nor the next row (written already), and may not read past the input.
      const bool wide = static_cast<size_t>(ky) * seg + 16 <= g.k;
      for (int64_t i = i0; i < i1; ++i, src += step, dst += g.stride) {
        if (wide && (src + 16 <= end || pad_row))
          std::memcpy(dst, src, 16);
        else
          copy_small(dst, src, seg);
      }
    }
    for (int64_t i = 0; i < static_cast<int64_t>(n); ++i)
      if (i < i0 || i >= i1) general(b, oy, ox + i, buf + (r + static_cast<size_t>(i)) * g.stride);
    ox += static_cast<int64_t>(n);
    r += n;
    if (ox == out_w) {
      ox = 0;
      if (++oy == out_h) oy = 0, ++b;
    }
  }
}

// The im2col path: slots (at most one per thread) each take a contiguous share of 64-row tiles,
// copy a tile, take its row sums when the filter needs row terms, and run the GEMM on it.
void run_im2col(const ConvState& s, const ConvParams& p, const Tensor& in, const Tensor& filter, uint8_t* y,
                uint8_t* scratch, ThreadPool* pool) {
  const Im2col& g = s.im2col;
  const PackedQs8Weights& w = *s.packed;
  const size_t oc = w.n;
  const size_t tiles = (s.pixels + kIm2colTileRows - 1) / kIm2colTileRows;
  const size_t slots = std::min({tiles, kIm2colMaxSlots, static_cast<size_t>(pool->num_threads())});
  const size_t slot_bytes = kIm2colTileRows * g.stride + 64 + kIm2colTileRows * sizeof(int32_t);
  pool->parallel_for(slots, 1, [&](size_t begin, size_t end) {
    for (size_t slot = begin; slot < end; ++slot) {
      uint8_t* buf = scratch + slot * slot_bytes;
      int32_t* terms = reinterpret_cast<int32_t*>(buf + kIm2colTileRows * g.stride + 64);
      for (size_t t = slot * tiles / slots; t < (slot + 1) * tiles / slots; ++t) {
        const size_t p0 = t * kIm2colTileRows, count = std::min(kIm2colTileRows, s.pixels - p0);
        im2col_rows(s, p, in, filter, p0, count, buf);
        const int32_t* row_terms = nullptr;
        if (w.row_scale != 0) {
          // Canonical sums over the whole row: the filler adds 0.
          w.variant->rsum(count, g.stride, buf, g.stride, w.input_u8 ? 0x80 : 0, w.row_scale, terms);
          row_terms = terms;
        }
        run_qs8_gemm_serial(w, count, buf, g.stride, y + p0 * oc, oc, row_terms, s.params);
      }
    }
  });
}

// The stem kernel: one call per output row of every image, rows split across threads.
void run_stem(const ConvState& s, const Tensor& in, const Tensor& filter, uint8_t* y, ThreadPool* pool) {
  const size_t in_h = static_cast<size_t>(in.dim(1)), in_w = static_cast<size_t>(in.dim(2));
  const size_t out_h = static_cast<size_t>(s.h.out), out_w = static_cast<size_t>(s.w.out);
  const size_t oc = static_cast<size_t>(filter.dim(0));
  const size_t rows = static_cast<size_t>(in.dim(0)) * out_h;
  pool->parallel_for(rows, 1, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      const size_t b = r / out_h, oy = r % out_h;
      const uint8_t* row_ptrs[3];
      for (size_t ky = 0; ky < 3; ++ky) {
        const int64_t iy = static_cast<int64_t>(2 * oy + ky) - s.h.pad;
        row_ptrs[ky] = iy >= 0 && iy < static_cast<int64_t>(in_h)
                           ? in.data + (b * in_h + static_cast<size_t>(iy)) * in_w * 3
                           : s.zero.data();
      }
      s.stem(out_w, oc, in_w, static_cast<size_t>(s.w.pad), row_ptrs, s.conv->stem->data(), y + r * out_w * oc,
             &s.stem_params);
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
  if (s.stem != nullptr) {
    if (s.h.out > 0 && s.w.out > 0) run_stem(s, in, filter, y, pool);
    return Status::Ok();
  }
  if (s.pixels == 0) return Status::Ok();
  if (s.im2col.on) {
    run_im2col(s, p, in, filter, y, ctx.scratch(), pool);
    return Status::Ok();
  }
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
