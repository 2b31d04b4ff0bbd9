// ADD, SUB, MUL, quantized, with NumPy broadcasting: uint8, int8, int16 (and MUL int16 x int16
// -> int8 / uint8). All of TFLite's x86 code paths for these ops (optimized and reference, with
// or without broadcasting) compute the same per-element formula, reproduced here:
//
// ADD / SUB "general" path (8-bit, and int16 unless the power-of-two path applies):
//   left_shift = 20 (8-bit) or 15 (int16); m_i = s_i / (2 max(s1, s2));
//   m_out = 2 max(s1, s2) / (2^left_shift s_out)
//   a_i = MBQM_SmallerThanOneExp((q_i - zp_i) << left_shift, m_i)
//   out = MBQM_SmallerThanOneExp(a_1 +- a_2, m_out) + zp_out, clamped to the activation range.
// ADD / SUB int16 power-of-two path (pot_scale_int16 option set and all three scales powers of
// two, zero points 0): the input with the larger scale is rounding-shifted to the output scale
// and the two are added / subtracted with int16 saturation.
// MUL: out = zp_out + MBQM((q1 - zp1)(q2 - zp2), s1 * s2 / s_out) with the multiplier computed in
// float as TFLite does. int16 x int16 -> 8-bit: a Q0.15 product rounded by 2^8 plus zp_out.
#include <vector>

#include "kernels/reference/common.h"
#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

enum class BinOp : uint8_t { kAdd, kSub, kMul };
enum class BinPath : uint8_t { kGeneralAddSub, kPot16AddSub, kMul, kMul16To8 };

struct BinQState : KernelState {
  explicit BinQState(const Shape& a, const Shape& b, const Shape& out) : indexer(a, b, out) {}
  BroadcastIndexer indexer;  // built at prepare: run() must not allocate
  BinPath path = BinPath::kGeneralAddSub;
  int left_shift = 20;
  QuantizedMultiplier in1, in2, out;
  int32_t in1_offset = 0, in2_offset = 0, out_offset = 0;
  int in1_shift = 0, in2_shift = 0;  // power-of-two path: <= 0
  int32_t act_min = 0, act_max = 0;
};

Status binary_q_prepare(KernelContext& ctx, BinOp op) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const ActivationParams params = params_or_default<ActivationParams>(ctx);
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  const Tensor& out = ctx.output(0);
  const DType dt = a.dtype;
  if (!is_quantized_activation_dtype(dt))
    return unsupported(ctx.describe_input(0), ": quantized ", (op == BinOp::kMul ? "MUL" : op == BinOp::kAdd ? "ADD" : "SUB"),
                       " takes uint8, int8 or int16 inputs");
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(1, dt));
  const bool mul16_to_8 = op == BinOp::kMul && dt == DType::kI16 && (out.dtype == DType::kI8 || out.dtype == DType::kU8);
  const DType odt = mul16_to_8 ? out.dtype : dt;
  // TFLite requires zero points 0 for int16 ADD / SUB.
  const bool sym16 = dt == DType::kI16 && op != BinOp::kMul;
  EIR_RETURN_IF_ERROR(check_quantized_input(ctx, 0, dt, sym16));
  EIR_RETURN_IF_ERROR(check_quantized_input(ctx, 1, dt, sym16));
  EIR_RETURN_IF_ERROR(check_quantized_output(ctx, 0, odt, sym16));
  EIR_ASSIGN_OR_RETURN(Shape out_shape, broadcast_shapes(a.shape, b.shape));

  auto s = std::make_unique<BinQState>(a.shape, b.shape, out_shape);
  EIR_RETURN_IF_ERROR(quantized_activation_range(params.activation, out, &s->act_min, &s->act_max));
  const float s1 = a.quant.scale(), s2 = b.quant.scale(), so = out.quant.scale();
  s->in1_offset = -a.quant.zero_point();
  s->in2_offset = -b.quant.zero_point();
  s->out_offset = out.quant.zero_point();

  if (op == BinOp::kMul) {
    if (mul16_to_8) {
      s->path = BinPath::kMul16To8;  // TFLite ignores the input scales on this path
    } else {
      s->path = BinPath::kMul;
      const float real = s1 * s2 / so;  // float arithmetic, as TFLite's Prepare
      s->out = quantize_multiplier(static_cast<double>(real));
    }
  } else {
    bool pot = false;
    int l1 = 0, l2 = 0, lo = 0;
    if (dt == DType::kI16 && params.pot_scale_int16)
      pot = checked_log2(s1, &l1) & checked_log2(s2, &l2) & checked_log2(so, &lo);
    if (pot) {
      s->path = BinPath::kPot16AddSub;
      s->in1_shift = l1 - lo;
      s->in2_shift = l2 - lo;
      if (!(s->in1_shift == 0 || s->in2_shift == 0) || s->in1_shift > 0 || s->in2_shift > 0)
        return unsupported("int16 power-of-two ", (op == BinOp::kAdd ? "ADD" : "SUB"),
                           ": one input must have the output's scale and the other a smaller one (input shifts ",
                           s->in1_shift, ", ", s->in2_shift, ")");
    } else {
      s->path = BinPath::kGeneralAddSub;
      s->left_shift = dt == DType::kI16 ? 15 : 20;
      const double twice_max = 2.0 * static_cast<double>(std::max(s1, s2));
      const double real1 = static_cast<double>(s1) / twice_max;
      const double real2 = static_cast<double>(s2) / twice_max;
      const double real_out = twice_max / (static_cast<double>(1 << s->left_shift) * static_cast<double>(so));
      // TFLite's QuantizeMultiplierSmallerThanOneExp aborts outside (0, 1).
      if (!(real_out > 0.0 && real_out < 1.0))
        return unsupported("quantized ", (op == BinOp::kAdd ? "ADD" : "SUB"), ": output rescale factor ", real_out,
                           " is not below 1 (output scale too small for the inputs)");
      s->in1 = quantize_multiplier(real1);
      s->in2 = quantize_multiplier(real2);
      s->out = quantize_multiplier(real_out);
    }
  }
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

// One output element from the two raw input values.
inline int32_t binary_q_element(const BinQState& s, BinOp op, int32_t v1, int32_t v2) {
  switch (s.path) {
    case BinPath::kGeneralAddSub: {
      const int32_t shifted1 = wrapping_shift_left(v1 + s.in1_offset, s.left_shift);
      const int32_t shifted2 = wrapping_shift_left(v2 + s.in2_offset, s.left_shift);
      const int32_t scaled1 = multiply_by_quantized_multiplier_smaller_than_one_exp(shifted1, s.in1.multiplier, s.in1.shift);
      const int32_t scaled2 = multiply_by_quantized_multiplier_smaller_than_one_exp(shifted2, s.in2.multiplier, s.in2.shift);
      const int32_t raw = op == BinOp::kAdd ? wrapping_add(scaled1, scaled2) : wrapping_sub(scaled1, scaled2);
      const int32_t out = wrapping_add(
          multiply_by_quantized_multiplier_smaller_than_one_exp(raw, s.out.multiplier, s.out.shift), s.out_offset);
      return std::min(std::max(out, s.act_min), s.act_max);
    }
    case BinPath::kPot16AddSub: {
      const int32_t a = rounding_divide_by_pot(static_cast<int16_t>(v1), -s.in1_shift);
      const int32_t b = rounding_divide_by_pot(static_cast<int16_t>(v2), -s.in2_shift);
      const int32_t raw = op == BinOp::kAdd ? a + b : a - b;  // saturation to int16 is subsumed by the clamp
      return std::min(std::max(raw, s.act_min), s.act_max);
    }
    case BinPath::kMul: {
      // An int32 product in TFLite; computed in 64 bits and wrapped so extreme int16 zero points
      // cannot overflow (symmetric int16 products are at most 2^30).
      const int32_t prod = static_cast<int32_t>(static_cast<uint64_t>(static_cast<int64_t>(v1 + s.in1_offset) *
                                                                      static_cast<int64_t>(v2 + s.in2_offset)));
      const int32_t out = wrapping_add(s.out_offset, multiply_by_quantized_multiplier(prod, s.out));
      return std::min(std::max(out, s.act_min), s.act_max);
    }
    case BinPath::kMul16To8: {
      // Q0.15 x Q0.15 -> Q0.15, then divided by 2^8 (rounding) to the 8-bit output's 1/128 scale.
      const int16_t prod = saturating_rounding_doubling_high_mul(static_cast<int16_t>(v1), static_cast<int16_t>(v2));
      const int16_t rescaled = rounding_divide_by_pot(prod, 8);
      int16_t clamped = std::min<int16_t>(static_cast<int16_t>(s.act_max - s.out_offset), rescaled);
      clamped = std::max<int16_t>(static_cast<int16_t>(s.act_min - s.out_offset), clamped);
      return s.out_offset + clamped;
    }
  }
  return 0;
}

template <BinOp kOp>
Status binary_q_prepare_op(KernelContext& ctx) {
  return binary_q_prepare(ctx, kOp);
}

template <BinOp kOp>
Status binary_q_run(KernelContext& ctx) {
  const BinQState& s = *ctx.state<BinQState>();
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  Tensor& out = ctx.output(0);
  const uint8_t* pa = a.data;
  const uint8_t* pb = b.data;
  uint8_t* po = out.data;
  const DType dt = a.dtype, odt = out.dtype;
  s.indexer.for_each([&](int64_t o, int64_t ia, int64_t ib) {
    store_q(po, odt, o, binary_q_element(s, kOp, load_q(pa, dt, ia), load_q(pb, dt, ib)));
  });
  return Status::Ok();
}

}  // namespace

Kernel add_quantized_kernel() {
  return Kernel{"reference/add_quantized", binary_q_prepare_op<BinOp::kAdd>, binary_q_run<BinOp::kAdd>};
}
Kernel sub_quantized_kernel() {
  return Kernel{"reference/sub_quantized", binary_q_prepare_op<BinOp::kSub>, binary_q_run<BinOp::kSub>};
}
Kernel mul_quantized_kernel() {
  return Kernel{"reference/mul_quantized", binary_q_prepare_op<BinOp::kMul>, binary_q_run<BinOp::kMul>};
}

}  // namespace eir::ref
