// DEPTHWISE_CONV_2D uint8 / int8 (depth multiplier 1) through the qs8 dwconv microkernels,
// bit-exact with the reference kernel (kernels/reference/depthwise_conv2d_quantized.cc).
//
// The filter [1, KH, KW, C] is packed at model load: per tile of CT channels, the bias with the
// input zero point folded in, the KH*KW taps' weights minus the filter zero point (kx-major tap
// order), and the per-channel multipliers (qs8-dwconv.h). Each output row is one microkernel call
// over all its pixels; rows are split across threads. Taps read their input through pointers:
// without width dilation, neighbouring pixels of a row share them (a row holds KH pointers per
// input column it touches, and pixel ox's taps start stride_w * KH pointers after pixel ox-1's);
// taps in the padding point at a row holding the input zero point, which contributes exactly 0.
// The pointers live in the node state and are rebuilt only when the input's address changes.
//
// 3x3 filters without dilation at stride 1 or 2 take the config's "column quad" row kernels
// when it has them (qs8-dwconv.h; packed by qs8_dwconv3x3_pack.h): those read the input rows
// directly, one call per output row (stride 2) or pair of rows (stride 1), rows in the vertical
// padding pointing at a row of the input zero point.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernels/configs/qs8_dwconv_config.h"
#include "kernels/fast/config_slots.h"
#include "kernels/fast/qs8_dwconv3x3_pack.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/fast/quantized_driver_util.h"
#include "kernels/reference/quant_utils.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;
constexpr size_t kMaxPackedBytes = size_t{1} << 32;

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
  if (filter->dtype != in->dtype || filter->rank() != 4 || !filter->is_constant() || filter->data == nullptr ||
      filter->dim(0) != 1)
    return false;
  for (int d = 1; d < 4; ++d)
    if (filter->dim(d) <= 0 || in->dim(d) <= 0) return false;
  const int channels = filter->dim(3);
  if (in->dim(3) != channels) return false;  // depth multiplier > 1: reference
  // Per-channel int8 filters along the last axis; TFLite ignores int8 filters' zero points
  // (weights_offset 0), uint8 uses them.
  QuantizedWeightsRules rules;
  rules.channel_axis = 3;
  rules.int8_ignore_zero_point = true;
  return analyze_quantized_node(node, tensors, *in, *filter, channels, p->activation, rules, q);
}

bool dw_supports(const Node& node, const std::vector<Tensor>& tensors) {
  QuantizedChannels q;
  return analyze(node, tensors, &q);
}

// Which kernel runs a node: the generic tap-pointer kernels or a 3x3 row kernel.
enum class DwPath { kGeneric, k3x3Stride1, k3x3Stride2 };

struct PackedDwWeights : PackedWeights {
  const Qs8DwconvVariant* variant = nullptr;  // kGeneric
  DwPath path = DwPath::kGeneric;
  bool simple_shift = false, pixel_pairs = false;  // 3x3 paths (eir_qs8_dwconv3x3_params)
  size_t channels = 0, kernel_h = 0, kernel_w = 0;
  bool input_u8 = false;
  int32_t input_zero_point = 0;
  std::unique_ptr<OwnedBuffer> storage;
  const uint8_t* data() const { return storage->data(); }
  size_t bytes() const override { return storage ? storage->size() : 0; }
};

// The 3x3 row kernels take 3x3 filters without dilation at stride 1 or 2 (the same both ways)
// when the config has them and the filter suits them (qs8_dw3x3_packable).
DwPath choose_path(const Qs8DwconvConfig& config, const ConvParams& p, const Tensor& filter,
                   const QuantizedChannels& q) {
  if (filter.dim(1) != 3 || filter.dim(2) != 3 || p.dilation_h != 1 || p.dilation_w != 1) return DwPath::kGeneric;
  Qs8Dw3x3Filter f;
  f.channels = static_cast<size_t>(filter.dim(3));
  f.u8 = q.u8;
  f.weights_zero_point = q.weights_zero_point;
  if (!qs8_dw3x3_packable(f)) return DwPath::kGeneric;
  if (p.stride_h == 1 && p.stride_w == 1 && config.dw3x3_s1 != nullptr) return DwPath::k3x3Stride1;
  if (p.stride_h == 2 && p.stride_w == 2 && config.dw3x3_s2 != nullptr) return DwPath::k3x3Stride2;
  return DwPath::kGeneric;
}

Status pack_dw(const Qs8DwconvConfig& config_set, const Node& node, const std::vector<Tensor>& tensors,
               PackedDwWeights* out) {
  QuantizedChannels q;
  if (!analyze(node, tensors, &q))
    return internal_error("fast quantized DEPTHWISE_CONV_2D packing a node it does not support");
  const Tensor& filter = *tensor_at(node, tensors, kFilter);
  const Tensor* bias = tensor_at(node, tensors, kBias);
  const size_t kh = static_cast<size_t>(filter.dim(1)), kw = static_cast<size_t>(filter.dim(2));
  const size_t c_total = static_cast<size_t>(filter.dim(3)), ks = kh * kw;
  out->channels = c_total;
  out->kernel_h = kh;
  out->kernel_w = kw;
  out->input_u8 = q.u8;
  out->input_zero_point = q.input_zero_point;
  const DwPath path = choose_path(config_set, *node.params_as<ConvParams>(), filter, q);
  if (path != DwPath::kGeneric) {
    Qs8Dw3x3Filter f;
    f.channels = c_total;
    f.u8 = q.u8;
    f.pixel_pairs = path == DwPath::k3x3Stride1 && c_total == 8;
    f.weights = filter.data;
    f.bias = bias ? bias->as<int32_t>() : nullptr;
    f.input_zero_point = q.input_zero_point;
    f.weights_zero_point = q.weights_zero_point;
    f.multipliers = q.multipliers.data();
    f.shifts = q.shifts.data();
    out->path = path;
    out->pixel_pairs = f.pixel_pairs;
    out->storage = std::make_unique<OwnedBuffer>(qs8_dw3x3_packed_bytes(f));
    out->simple_shift = pack_qs8_dw3x3(f, out->storage->data());
    return Status::Ok();
  }
  const Qs8DwconvVariant& config = config_set.variant_for(c_total);
  const size_t ct = config.channel_tile;
  const bool pairs = config.weights == Qs8DwconvWeights::kI16Pairs32;
  const size_t eb = config.weights == Qs8DwconvWeights::kI16 ? 2 : 4;
  // Bytes of one tile's weights: ks rows of CT elements, or ceil(ks / 2) rows of CT int16 pairs.
  const size_t weight_bytes = pairs ? (ks + 1) / 2 * ct * 4 : ks * ct * eb;
  const size_t tiles = (c_total + ct - 1) / ct;
  const size_t tile_bytes = ct * 4 + weight_bytes + 4 * ct * 4;
  if (ks > kMaxPackedBytes / (ct * 4) || tiles > kMaxPackedBytes / tile_bytes)
    return resource_exhausted("packed DEPTHWISE_CONV_2D weights (", kh, "x", kw, "x", c_total, ") are too large");
  out->variant = &config;
  out->storage = std::make_unique<OwnedBuffer>(tiles * tile_bytes);
  uint8_t* dst = out->storage->data();
  std::memset(dst, 0, tiles * tile_bytes);
  const int64_t zx = q.input_zero_point;  // raw: the kernels read raw input values (qs8-dwconv.h)
  const uint8_t* fw = filter.data;
  for (size_t t = 0; t < tiles; ++t) {
    uint8_t* tile = dst + t * tile_bytes;
    int32_t* b = reinterpret_cast<int32_t*>(tile);
    uint8_t* w = tile + ct * 4;
    int32_t* rq = reinterpret_cast<int32_t*>(w + weight_bytes);
    for (size_t lane = 0; lane < ct; ++lane) {
      // The 32-lane pair order: lanes 0-7, 8-15, 16-23, 24-31 hold channels 0-7, 16-23, 8-15, 24-31.
      const size_t r = lane % 16;
      const size_t j = pairs ? (r < 8 ? r : r + 8) + 8 * (lane / 16) : lane;
      const size_t c = t * ct + j;
      if (c >= c_total) continue;
      int64_t wsum = 0;
      for (size_t kx = 0; kx < kw; ++kx)
        for (size_t ky = 0; ky < kh; ++ky) {
          const size_t k = kx * kh + ky;  // tap order of the indirection
          const uint8_t raw = fw[(ky * kw + kx) * c_total + c];
          const int32_t v = (q.u8 ? static_cast<int32_t>(raw) : static_cast<int8_t>(raw)) - q.weights_zero_point;
          wsum += v;
          if (pairs) {
            const int16_t x = static_cast<int16_t>(v);
            std::memcpy(w + ((k / 2) * ct + lane) * 4 + (k % 2) * 2, &x, 2);
          } else if (config.weights == Qs8DwconvWeights::kI32) {
            const int32_t x = v;
            std::memcpy(w + 4 * (k * ct + lane), &x, 4);
          } else if (config.weights == Qs8DwconvWeights::kI16x2) {
            const uint32_t x = static_cast<uint16_t>(static_cast<int16_t>(v));  // upper half 0
            std::memcpy(w + 4 * (k * ct + lane), &x, 4);
          } else {
            const int16_t x = static_cast<int16_t>(v);
            std::memcpy(w + 2 * (k * ct + lane), &x, 2);
          }
        }
      const int64_t b0 = bias ? bias->as<int32_t>()[c] : 0;
      b[lane] = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(b0 - zx * wsum)));
      const int shift = q.shifts[c];
      const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
      rq[lane] = q.multipliers[c];
      rq[ct + lane] = left;
      rq[2 * ct + lane] = right;
      rq[3 * ct + lane] = static_cast<int32_t>((uint32_t{1} << right) - 1u);
    }
  }
  return Status::Ok();
}

template <size_t Slot>
Result<std::shared_ptr<const PackedWeights>> dw_pack_slot(const Node& node, const std::vector<Tensor>& tensors) {
  auto packed = std::make_shared<PackedDwWeights>();
  EIR_RETURN_IF_ERROR(pack_dw(qs8_dwconv_config_at(Slot), node, tensors, packed.get()));
  return std::shared_ptr<const PackedWeights>(std::move(packed));
}

struct DwState : KernelState {
  ref::WindowDim h, w;
  eir_qs8_gemm_params params{};
  eir_qs8_dwconv3x3_params params3x3{};  // 3x3 paths
  eir_qs8_dwconv3x3_ukernel_fn fn3x3 = nullptr;
  size_t tasks3x3 = 0;               // output rows (stride 2) or row pairs (stride 1), all batches
  size_t rows = 0;                 // batch * out_h
  size_t row_ptrs = 0, pixel_step = 0;
  bool shared_columns = false;     // no width dilation: pixels share tap pointers
  std::vector<uint8_t> zero;       // `channels` bytes of the input zero point
  std::vector<const uint8_t*> ptrs;
  const uint8_t* built_for = nullptr;
  PackedDwWeights own_packed;
  const PackedDwWeights* packed = nullptr;
};

// TFLite's 8-bit depthwise kernels rescale with MultiplyByQuantizedMultiplier: ties of the final
// shift round away from zero (reference: Requantize::kTflite), for int8 and uint8 alike.
constexpr uint8_t kDwRoundHalfAway = 1;

Status dw_prepare(KernelContext& ctx, const Qs8DwconvConfig& config) {
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(ref::get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ref::expect_conv_shapes(ctx, kInput, kFilter, 1));
  if (!dw_supports(ctx.node(), ctx.tensors()))
    return unsupported("this quantized DEPTHWISE_CONV_2D is not handled by the fast kernel (",
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
    return ctx.set_output_shape(0, {in.dim(0), h.out, w.out, filter.dim(3)});
  }
  auto s = std::make_unique<DwState>();
  s->packed = ctx.packed<PackedDwWeights>();
  if (s->packed == nullptr) {
    EIR_RETURN_IF_ERROR(pack_dw(config, ctx.node(), ctx.tensors(), &s->own_packed));
    s->packed = &s->own_packed;
  }
  const size_t kh = static_cast<size_t>(filter.dim(1)), kw = static_cast<size_t>(filter.dim(2));
  const size_t channels = static_cast<size_t>(filter.dim(3));
  if (s->packed->channels != channels || s->packed->kernel_h != kh || s->packed->kernel_w != kw)
    return internal_error("packed quantized DEPTHWISE_CONV_2D weights do not match the filter shape");
  EIR_RETURN_IF_ERROR(ref::compute_conv_window(*p, in, filter, &s->h, &s->w));
  // a_xor 0x80: uint8 input (qs8-dwconv.h).
  EIR_RETURN_IF_ERROR(quantized_output_params(p->activation, out, s->packed->input_u8 ? 0x80 : 0, kDwRoundHalfAway,
                                              &s->params));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), s->h.out, s->w.out, filter.dim(3)}));

  s->rows = static_cast<size_t>(in.dim(0)) * static_cast<size_t>(s->h.out);
  if (s->packed->path != DwPath::kGeneric) {
    const bool stride1 = s->packed->path == DwPath::k3x3Stride1;
    s->fn3x3 = stride1 ? config.dw3x3_s1 : config.dw3x3_s2;
    if (s->fn3x3 == nullptr) return internal_error("packed for a 3x3 DEPTHWISE_CONV_2D kernel this config lacks");
    eir_qs8_dwconv3x3_params& p3 = s->params3x3;
    p3.output_zero_point = s->params.output_zero_point;
    p3.output_min = s->params.output_min;
    p3.output_max = s->params.output_max;
    p3.input_u8 = s->packed->input_u8 ? 1 : 0;
    p3.zero_byte = static_cast<uint8_t>(s->packed->input_zero_point);
    p3.simple_shift = s->packed->simple_shift ? 1 : 0;
    p3.pixel_pairs = s->packed->pixel_pairs ? 1 : 0;
    p3.round_half_away = s->params.round_half_away;
    const size_t out_h = static_cast<size_t>(s->h.out);
    s->tasks3x3 = static_cast<size_t>(in.dim(0)) * (stride1 ? (out_h + 1) / 2 : out_h);
    s->zero.assign(static_cast<size_t>(in.dim(2)) * channels, static_cast<uint8_t>(s->packed->input_zero_point));
    ctx.set_state(std::move(s));
    return Status::Ok();
  }
  const size_t out_w = static_cast<size_t>(s->w.out), ks = kh * kw;
  s->shared_columns = p->dilation_w == 1;
  if (s->shared_columns) {
    const size_t columns = out_w == 0 ? 0 : (out_w - 1) * static_cast<size_t>(p->stride_w) + kw;
    s->row_ptrs = columns * kh;
    s->pixel_step = static_cast<size_t>(p->stride_w) * kh;
  } else {
    s->row_ptrs = out_w * ks;
    s->pixel_step = ks;
  }
  constexpr size_t kMaxPointers = (size_t{1} << 30) / sizeof(void*);
  if (s->rows != 0 && s->row_ptrs > kMaxPointers / s->rows)
    return resource_exhausted("DEPTHWISE_CONV_2D tap pointers (", s->rows, " rows x ", s->row_ptrs,
                              ") exceed 1 GiB");
  s->ptrs.assign(s->rows * s->row_ptrs, nullptr);
  s->zero.assign(channels, static_cast<uint8_t>(s->packed->input_zero_point));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

void build_rows(const DwState& s, const ConvParams& p, const Tensor& in, const Tensor& filter, size_t begin,
                size_t end, const uint8_t** ptrs) {
  const int64_t in_h = in.dim(1), in_w = in.dim(2), channels = in.dim(3);
  const int64_t kh = filter.dim(1), kw = filter.dim(2);
  const int64_t out_h = s.h.out, out_w = s.w.out;
  const uint8_t* x = in.data;
  const uint8_t* zero = s.zero.data();
  auto at = [&](int64_t b, int64_t iy, int64_t ix) -> const uint8_t* {
    if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) return zero;
    return x + ((b * in_h + iy) * in_w + ix) * channels;
  };
  for (size_t r = begin; r < end; ++r) {
    const int64_t b = static_cast<int64_t>(r) / out_h, oy = static_cast<int64_t>(r) % out_h;
    const uint8_t** row = ptrs + r * s.row_ptrs;
    if (s.shared_columns) {
      const int64_t columns = static_cast<int64_t>(s.row_ptrs) / kh;
      for (int64_t j = 0; j < columns; ++j)
        for (int64_t ky = 0; ky < kh; ++ky)
          row[j * kh + ky] = at(b, oy * p.stride_h - s.h.pad + ky * p.dilation_h, j - s.w.pad);
    } else {
      for (int64_t ox = 0; ox < out_w; ++ox)
        for (int64_t kx = 0; kx < kw; ++kx)
          for (int64_t ky = 0; ky < kh; ++ky)
            row[(ox * kw + kx) * kh + ky] =
                at(b, oy * p.stride_h - s.h.pad + ky * p.dilation_h, ox * p.stride_w - s.w.pad + kx * p.dilation_w);
    }
  }
}

// One task of a 3x3 row kernel: output row y (stride 2) or rows y, y + 1 (stride 1) of one image.
void run_3x3_task(const DwState& s, const Tensor& in, uint8_t* y_data, size_t task) {
  const bool stride1 = s.packed->path == DwPath::k3x3Stride1;
  const size_t out_h = static_cast<size_t>(s.h.out), out_w = static_cast<size_t>(s.w.out);
  const size_t per_image = stride1 ? (out_h + 1) / 2 : out_h;
  const size_t b = task / per_image, y = (task % per_image) * (stride1 ? 2 : 1);
  const int64_t in_h = in.dim(1);
  const size_t row_bytes = static_cast<size_t>(in.dim(2)) * s.packed->channels;
  const int64_t iy0 = static_cast<int64_t>(y) * (stride1 ? 1 : 2) - s.h.pad;
  const uint8_t* rows[4];
  for (int64_t i = 0; i < 4; ++i) {
    const int64_t iy = iy0 + i;
    const size_t row = static_cast<size_t>(b) * static_cast<size_t>(in_h) + static_cast<size_t>(iy);
    rows[i] = iy >= 0 && iy < in_h ? in.data + row * row_bytes : s.zero.data();
  }
  const size_t out_row = out_w * s.packed->channels;
  uint8_t* out0 = y_data + (b * out_h + y) * out_row;
  uint8_t* out1 = stride1 && y + 1 < out_h ? out0 + out_row : nullptr;
  s.fn3x3(s.packed->channels, out_w, static_cast<size_t>(in.dim(2)), static_cast<size_t>(s.w.pad), rows,
          s.packed->data(), out0, out1, &s.params3x3);
}

Status dw_run(KernelContext& ctx) {
  DwState& s = *ctx.state<DwState>();
  if (s.packed->path != DwPath::kGeneric) {
    const Tensor& in = ctx.input(kInput);
    uint8_t* y = ctx.output(0).data;
    if (s.tasks3x3 == 0 || s.w.out == 0) return Status::Ok();
    ctx.thread_pool()->parallel_for(s.tasks3x3, 1, [&](size_t begin, size_t end) {
      for (size_t t = begin; t < end; ++t) run_3x3_task(s, in, y, t);
    });
    return Status::Ok();
  }
  const ConvParams& p = *ctx.node().params_as<ConvParams>();
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  uint8_t* y = ctx.output(0).data;
  const size_t out_w = static_cast<size_t>(s.w.out), channels = s.packed->channels;
  const size_t ks = s.packed->kernel_h * s.packed->kernel_w;
  if (s.rows == 0 || out_w == 0) return Status::Ok();
  ThreadPool* pool = ctx.thread_pool();
  const uint8_t** ptrs = s.ptrs.data();
  if (s.built_for != in.data) {
    pool->parallel_for(s.rows, 4, [&](size_t begin, size_t end) { build_rows(s, p, in, filter, begin, end, ptrs); });
    s.built_for = in.data;
  }
  const eir_qs8_dwconv_ukernel_fn fn = s.packed->variant->ukernel;
  const void* w = s.packed->data();
  pool->parallel_for(s.rows, 1, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r)
      fn(channels, out_w, ks, reinterpret_cast<const int8_t* const*>(ptrs + r * s.row_ptrs), s.pixel_step, w,
         reinterpret_cast<int8_t*>(y + r * out_w * channels), &s.params);
  });
  return Status::Ok();
}

template <size_t Slot>
Status dw_prepare_slot(KernelContext& ctx) {
  return dw_prepare(ctx, qs8_dwconv_config_at(Slot));
}

template <size_t Slot>
Kernel make_kernel() {
  static const std::string name = std::string("fast/depthwise_conv2d_quantized_") + qs8_dwconv_config_at(Slot).isa;
  Kernel k;
  k.name = name.c_str();
  k.prepare = dw_prepare_slot<Slot>;
  k.run = dw_run;
  k.supports = dw_supports;
  k.pack = dw_pack_slot<Slot>;
  return k;
}

}  // namespace

Kernel depthwise_conv2d_quantized_kernel(const Qs8DwconvConfig& config) {
  return kernel_for_slot<kMaxQs8DwconvConfigs>(qs8_dwconv_config_index(config),
                                               [](auto slot) { return make_kernel<decltype(slot)::value>(); });
}

}  // namespace eir::fast
