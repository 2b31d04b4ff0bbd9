// PAD and PADV2 for any fixed-size dtype (elements are copied as bytes), rank <= 5 as TFLite.
// paddings: constant int32/int64 [rank, 2] of (before, after) counts, each >= 0.
// Pad value, as TFLite:
//  - PADV2 with constant_values: that scalar (for quantized uint8, and for int8/int16 inputs that
//    carry quantization, it must share the output's scale and zero point);
//  - otherwise: the output zero point for uint8 and for quantized int8/int16, else 0.
#include <cstring>
#include <limits>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

constexpr int kMaxRank = 5;
constexpr int kInput = 0, kPaddings = 1, kConstantValue = 2;

struct PadState : KernelState {
  int64_t before[kMaxRank] = {0};
  uint8_t value[8] = {0};  // the pad element's bytes when there is no constant_values input
};

// Whether TFLite treats this tensor's padding as "quantized" (zero point instead of 0).
bool pads_with_zero_point(const Tensor& input) {
  return input.dtype == DType::kU8 ||
         ((input.dtype == DType::kI8 || input.dtype == DType::kI16) && !input.quant.empty());
}

template <class T>
Status encode_zero_point(const Tensor& out, uint8_t* bytes) {
  const int32_t zp = out.quant.zero_point();
  if (zp < std::numeric_limits<T>::min() || zp > std::numeric_limits<T>::max())
    return invalid_model("output zero point ", zp, " is out of range for ", dtype_name(out.dtype));
  const T v = static_cast<T>(zp);
  std::memcpy(bytes, &v, sizeof(T));
  return Status::Ok();
}

Status pad_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& in = ctx.input(kInput);
  const Tensor& out = ctx.output(0);
  const size_t elem = dtype_size(in.dtype);
  if (elem == 0 || elem > 8) return unsupported("PAD of ", dtype_name(in.dtype), " tensors");
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, in.dtype));
  const int rank = in.rank();
  if (rank > kMaxRank) return unsupported(ctx.describe_input(kInput), ": PAD supports rank <= ", kMaxRank);

  std::vector<int64_t> pads;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, kPaddings, /*allow_int64=*/true, &pads));
  const Tensor& paddings = ctx.input(kPaddings);
  if (paddings.rank() != 2 || paddings.dim(0) != rank || paddings.dim(1) != 2)
    return invalid_model(ctx.describe_input(kPaddings), " must have shape [", rank, ",2]");
  auto state = std::make_unique<PadState>();
  Shape out_shape(static_cast<size_t>(rank));
  for (int d = 0; d < rank; ++d) {
    const int64_t before = pads[2 * static_cast<size_t>(d)], after = pads[2 * static_cast<size_t>(d) + 1];
    if (before < 0 || after < 0 || before > std::numeric_limits<int32_t>::max() ||
        after > std::numeric_limits<int32_t>::max())
      return invalid_model(ctx.describe_input(kPaddings), ": paddings of dim ", d, " must be in [0, 2^31), got (",
                           before, ",", after, ")");
    const int64_t size = in.dim(d) + before + after;
    if (size > std::numeric_limits<int32_t>::max())
      return invalid_model(ctx.describe_input(kPaddings), ": padded dim ", d, " is too large");
    out_shape[static_cast<size_t>(d)] = static_cast<int32_t>(size);
    state->before[d] = before;
  }

  if (ctx.has_input(kConstantValue)) {
    const Tensor& cv = ctx.input(kConstantValue);
    EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kConstantValue, in.dtype));
    if (cv.num_elements() != 1) return invalid_model(ctx.describe_input(kConstantValue), " must hold one value");
    if (pads_with_zero_point(in) &&
        (cv.quant.zero_point() != out.quant.zero_point() || cv.quant.scale() != out.quant.scale()))
      return invalid_model(ctx.describe_input(kConstantValue), " must have the output's scale and zero point");
  } else if (pads_with_zero_point(in)) {
    if (in.dtype == DType::kU8) EIR_RETURN_IF_ERROR(encode_zero_point<uint8_t>(out, state->value));
    if (in.dtype == DType::kI8) EIR_RETURN_IF_ERROR(encode_zero_point<int8_t>(out, state->value));
    if (in.dtype == DType::kI16) EIR_RETURN_IF_ERROR(encode_zero_point<int16_t>(out, state->value));
  }
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status pad_run(KernelContext& ctx) {
  const PadState& s = *ctx.state<PadState>();
  const Tensor& in = ctx.input(kInput);
  const Tensor& out = ctx.output(0);
  const size_t elem = dtype_size(in.dtype);
  const uint8_t* value = ctx.has_input(kConstantValue) ? ctx.input(kConstantValue).data : s.value;
  fill_elements(out.data, value, elem, out.num_elements());

  // Copy the input one innermost row at a time to its shifted place in the output.
  const int rank = in.rank();
  if (in.num_elements() == 0) return Status::Ok();
  if (rank == 0) {
    std::memcpy(out.data, in.data, elem);
    return Status::Ok();
  }
  int64_t out_stride[kMaxRank];
  out_stride[rank - 1] = 1;
  for (int d = rank - 2; d >= 0; --d) out_stride[d] = out_stride[d + 1] * out.dim(d + 1);
  const int64_t row_len = in.dim(rank - 1);
  const int64_t rows = in.num_elements() / row_len;
  int64_t idx[kMaxRank] = {0};  // index of the current row over dims [0, rank-1)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t o = s.before[rank - 1];
    for (int d = 0; d < rank - 1; ++d) o += (idx[d] + s.before[d]) * out_stride[d];
    std::memcpy(out.data + static_cast<size_t>(o) * elem, in.data + static_cast<size_t>(r * row_len) * elem,
                static_cast<size_t>(row_len) * elem);
    for (int d = rank - 2; d >= 0; --d) {
      if (++idx[d] < in.dim(d)) break;
      idx[d] = 0;
    }
  }
  return Status::Ok();
}

}  // namespace

Kernel pad_kernel() { return Kernel{"reference/pad", pad_prepare, pad_run}; }

}  // namespace eir::ref
