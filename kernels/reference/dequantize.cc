// DEQUANTIZE to float32:
//  - float16 -> float32: exact widening (fp16.h).
//  - int8 / uint8 / int16 -> float32: scale * (q - zero_point). Per-tensor, TFLite computes this
//    in double and rounds once to float; per-channel (one scale per slice of quant.axis) it is a
//    float product. Both are reproduced bit for bit. int16 must have zero point 0, as in TFLite.
#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/reference/fp16.h"
#include "kernels/reference/misc_common.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

struct DequantState : KernelState {
  bool per_channel = false;
  double scale = 0.0;      // per-tensor
  int32_t zero_point = 0;  // per-tensor
  size_t outer = 0, channels = 0, inner = 0;  // per-channel layout around quant.axis
};

Status dequantize_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, DType::kF32));
  const Tensor& in = ctx.input(0);
  auto state = std::make_unique<DequantState>();
  if (in.dtype != DType::kF16) {
    if (in.dtype != DType::kI8 && in.dtype != DType::kU8 && in.dtype != DType::kI16)
      return unsupported("DEQUANTIZE of ", dtype_name(in.dtype), " is not supported");
    const QuantParams& q = in.quant;
    // One zero point per scale, or a single one shared by all channels (TFLite accepts both).
    if (q.scales.empty() || (q.zero_points.size() != q.scales.size() && q.zero_points.size() != 1))
      return invalid_model(ctx.describe_input(0), " has no usable quantization parameters");
    if (q.per_channel()) {
      if (q.axis < 0 || q.axis >= in.rank() || in.dim(q.axis) != static_cast<int32_t>(q.scales.size()))
        return invalid_model(ctx.describe_input(0), " has ", q.scales.size(), " per-channel scales on axis ", q.axis,
                             ", which does not match its shape");
      state->per_channel = true;
      state->outer = static_cast<size_t>(dims_product(in.shape, 0, q.axis));
      state->channels = q.scales.size();
      state->inner = static_cast<size_t>(dims_product(in.shape, q.axis + 1, in.rank()));
    } else {
      state->scale = q.scales[0];
      state->zero_point = q.zero_points[0];
      if (in.dtype == DType::kI16 && state->zero_point != 0)
        return invalid_model(ctx.describe_input(0), ": int16 DEQUANTIZE requires zero point 0, got ", state->zero_point);
    }
  }
  ctx.set_state(std::move(state));
  return ctx.set_output_shape(0, in.shape);
}

Status dequantize_f16_run(KernelContext& ctx) {
  const uint16_t* in = ctx.input(0).as<const uint16_t>();
  float* out = ctx.output(0).as<float>();
  const size_t n = element_count(ctx.input(0));
  for (size_t i = 0; i < n; ++i) out[i] = half_to_float(in[i]);
  return Status::Ok();
}

template <class T>
Status dequantize_int_run(KernelContext& ctx) {
  const DequantState& st = *ctx.state<DequantState>();
  const Tensor& tin = ctx.input(0);
  const T* in = tin.as<const T>();
  float* out = ctx.output(0).as<float>();
  if (!st.per_channel) {
    const size_t n = element_count(tin);
    for (size_t i = 0; i < n; ++i)
      out[i] = static_cast<float>(st.scale * static_cast<double>(static_cast<int64_t>(in[i]) - st.zero_point));
    return Status::Ok();
  }
  const std::vector<float>& scales = tin.quant.scales;
  const std::vector<int32_t>& zps = tin.quant.zero_points;
  size_t i = 0;
  for (size_t o = 0; o < st.outer; ++o) {
    for (size_t c = 0; c < st.channels; ++c) {
      const float scale = scales[c];
      const int64_t zp = zps.size() == 1 ? zps[0] : zps[c];
      for (size_t k = 0; k < st.inner; ++k, ++i)
        out[i] = scale * static_cast<float>(static_cast<int64_t>(in[i]) - zp);
    }
  }
  return Status::Ok();
}

}  // namespace

void register_dequantize_kernels(KernelRegistry& r) {
  r.add(BuiltinOp::kDequantize, DType::kF16, 9,
        Kernel{"reference/dequantize_f16", &dequantize_prepare, &dequantize_f16_run});
  r.add(BuiltinOp::kDequantize, DType::kI8, 9,
        Kernel{"reference/dequantize_i8", &dequantize_prepare, &dequantize_int_run<int8_t>});
  r.add(BuiltinOp::kDequantize, DType::kU8, 9,
        Kernel{"reference/dequantize_u8", &dequantize_prepare, &dequantize_int_run<uint8_t>});
  r.add(BuiltinOp::kDequantize, DType::kI16, 9,
        Kernel{"reference/dequantize_i16", &dequantize_prepare, &dequantize_int_run<int16_t>});
}

}  // namespace eir::ref
