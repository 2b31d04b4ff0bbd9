// Binary elementwise ops with NumPy broadcasting, float32 and int32 (int64 for the plain
// arithmetic ones): ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, FLOOR_DIV, FLOOR_MOD,
// SQUARED_DIFFERENCE. The quantized variants are registered by register_quantized.cc.
//
// TFLite semantics reproduced here:
//  - ADD/SUB/MUL/DIV clamp their result to the fused activation range computed by TFLite's
//    CalculateActivationRange: NONE (and TANH/SIGN_BIT, which that function ignores) clamps
//    to the type's [lowest, max], so a float overflow to +-inf becomes +-FLT_MAX. NaN survives.
//  - int32 DIV and all FLOOR_DIVs fail with a run-time error when the divisor tensor contains a
//    zero (any element, as TFLite checks the whole tensor); integer FLOOR_MOD likewise. Float
//    DIV and float FLOOR_MOD by zero yield inf/NaN as in TFLite.
//  - FLOOR_DIV on floats computes floor(double(a) / double(b)); FLOOR_MOD takes the truncated
//    remainder (fmod in float) and adds b when its sign differs from b's.
//  - int overflow wraps (TFLite's signed overflow is undefined; on x86 it wraps). INT_MIN / -1
//    gives INT_MIN instead of trapping.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>

#include "kernels/reference/common.h"
#include "kernels/reference/float_elementwise.h"
#include "kernels/reference/misc_common.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

enum class BinOp { kAdd, kSub, kMul, kDiv, kMaximum, kMinimum, kFloorDiv, kFloorMod, kSquaredDifference };

constexpr bool has_fused_activation(BinOp op) {
  return op == BinOp::kAdd || op == BinOp::kSub || op == BinOp::kMul || op == BinOp::kDiv;
}

template <class T>
T wrap_add(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
}
template <class T>
T wrap_sub(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
}
template <class T>
T wrap_mul(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
}
// Truncating division; b != 0. a / -1 is computed as a wrapping negation (INT_MIN / -1 would trap).
template <class T>
T trunc_div(T a, T b) {
  if (b == -1) return wrap_sub<T>(0, a);
  return a / b;
}

template <BinOp Op, class T>
T apply(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if constexpr (Op == BinOp::kAdd) return a + b;
    if constexpr (Op == BinOp::kSub) return a - b;
    if constexpr (Op == BinOp::kMul) return a * b;
    if constexpr (Op == BinOp::kDiv) return a / b;
    if constexpr (Op == BinOp::kMaximum) return a > b ? a : b;  // TFLite's comparison: NaN in a yields b
    if constexpr (Op == BinOp::kMinimum) return a < b ? a : b;
    if constexpr (Op == BinOp::kFloorDiv)
      return static_cast<T>(std::floor(static_cast<double>(a) / static_cast<double>(b)));
    if constexpr (Op == BinOp::kFloorMod) {
      T r = std::fmod(a, b);
      return (r != 0 && ((b < 0) != (r < 0))) ? r + b : r;
    }
    if constexpr (Op == BinOp::kSquaredDifference) {
      T d = a - b;
      return d * d;
    }
  } else {
    if constexpr (Op == BinOp::kAdd) return wrap_add(a, b);
    if constexpr (Op == BinOp::kSub) return wrap_sub(a, b);
    if constexpr (Op == BinOp::kMul) return wrap_mul(a, b);
    if constexpr (Op == BinOp::kDiv) return trunc_div(a, b);
    if constexpr (Op == BinOp::kMaximum) return a > b ? a : b;
    if constexpr (Op == BinOp::kMinimum) return a < b ? a : b;
    if constexpr (Op == BinOp::kFloorDiv) {
      // Same value as TFLite's floor(double(a) / double(b)) for every int32 pair (the double
      // quotient is never close enough to an integer to round across it).
      T q = trunc_div(a, b);
      if (b != -1 && a % b != 0 && ((a < 0) != (b < 0))) q = wrap_sub<T>(q, 1);
      return q;
    }
    if constexpr (Op == BinOp::kFloorMod) {
      if (b == -1) return 0;  // INT_MIN % -1 would trap
      T r = a % b;
      return (r != 0 && ((b < 0) != (r < 0))) ? wrap_add(r, b) : r;
    }
    if constexpr (Op == BinOp::kSquaredDifference) {
      T d = wrap_sub(a, b);
      return wrap_mul(d, d);
    }
  }
}

// Whether the op refuses a zero anywhere in its divisor (input 1) for element type T.
template <BinOp Op, class T>
constexpr bool checks_zero_divisor() {
  if constexpr (Op == BinOp::kFloorDiv) return true;
  if constexpr (Op == BinOp::kDiv || Op == BinOp::kFloorMod) return std::is_integral_v<T>;
  return false;
}

struct BinaryState : KernelState {
  BinaryState(const Shape& a, const Shape& b, const Shape& out) : indexer(a, b, out) {}
  BroadcastIndexer indexer;
  bool same_shape = false;
  Activation activation = Activation::kNone;
};

template <BinOp Op>
Status binary_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(1, a.dtype));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, a.dtype));
  EIR_ASSIGN_OR_RETURN(Shape out_shape, broadcast_shapes(a.shape, b.shape));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  auto state = std::make_unique<BinaryState>(a.shape, b.shape, out_shape);
  state->same_shape = a.shape == b.shape;
  if constexpr (has_fused_activation(Op)) {
    if (const auto* p = ctx.node().params_as<ActivationParams>()) state->activation = p->activation;
  }
  ctx.set_state(std::move(state));
  return Status::Ok();
}

template <BinOp Op, class T>
Status binary_run(KernelContext& ctx) {
  const BinaryState& st = *ctx.state<BinaryState>();
  const Tensor& tb = ctx.input(1);
  const T* a = ctx.input(0).as<const T>();
  const T* b = tb.as<const T>();
  T* out = ctx.output(0).as<T>();
  if constexpr (checks_zero_divisor<Op, T>()) {
    const size_t nb = element_count(tb);
    for (size_t i = 0; i < nb; ++i)
      if (b[i] == 0) return invalid_argument("division by zero: ", ctx.describe_input(1), " has 0 at element ", i);
  }
  T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
  if constexpr (has_fused_activation(Op)) activation_bounds<T>(st.activation, &lo, &hi);
  auto compute = [lo, hi](T x, T y) -> T {
    T r = apply<Op, T>(x, y);
    if constexpr (has_fused_activation(Op)) r = clamp_activation(r, lo, hi);  // keeps NaN
    return r;
  };
  if (st.same_shape) {
    ctx.thread_pool()->parallel_for(element_count(ctx.output(0)), 16384, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) out[i] = compute(a[i], b[i]);
    });
  } else {
    st.indexer.for_each([&](int64_t o, int64_t ia, int64_t ib) { out[o] = compute(a[ia], b[ib]); });
  }
  return Status::Ok();
}

template <BinOp Op, class T>
Kernel binary_kernel(const char* name) {
  return Kernel{name, &binary_prepare<Op>, &binary_run<Op, T>};
}

}  // namespace

void register_elementwise_binary_kernels(KernelRegistry& r) {
  // ADD, SUB, MUL: float32, int32, int64.
  r.add(BuiltinOp::kAdd, DType::kF32, 6, binary_kernel<BinOp::kAdd, float>("reference/add_f32"));
  r.add(BuiltinOp::kAdd, DType::kI32, 6, binary_kernel<BinOp::kAdd, int32_t>("reference/add_i32"));
  r.add(BuiltinOp::kAdd, DType::kI64, 6, binary_kernel<BinOp::kAdd, int64_t>("reference/add_i64"));
  r.add(BuiltinOp::kSub, DType::kF32, 5, binary_kernel<BinOp::kSub, float>("reference/sub_f32"));
  r.add(BuiltinOp::kSub, DType::kI32, 5, binary_kernel<BinOp::kSub, int32_t>("reference/sub_i32"));
  r.add(BuiltinOp::kSub, DType::kI64, 5, binary_kernel<BinOp::kSub, int64_t>("reference/sub_i64"));
  r.add(BuiltinOp::kMul, DType::kF32, 8, binary_kernel<BinOp::kMul, float>("reference/mul_f32"));
  r.add(BuiltinOp::kMul, DType::kI32, 8, binary_kernel<BinOp::kMul, int32_t>("reference/mul_i32"));
  r.add(BuiltinOp::kMul, DType::kI64, 8, binary_kernel<BinOp::kMul, int64_t>("reference/mul_i64"));
  r.add(BuiltinOp::kDiv, DType::kF32, 2, binary_kernel<BinOp::kDiv, float>("reference/div_f32"));
  r.add(BuiltinOp::kDiv, DType::kI32, 2, binary_kernel<BinOp::kDiv, int32_t>("reference/div_i32"));
  r.add(BuiltinOp::kMaximum, DType::kF32, 4, binary_kernel<BinOp::kMaximum, float>("reference/maximum_f32"));
  r.add(BuiltinOp::kMaximum, DType::kI32, 4, binary_kernel<BinOp::kMaximum, int32_t>("reference/maximum_i32"));
  r.add(BuiltinOp::kMaximum, DType::kI64, 4, binary_kernel<BinOp::kMaximum, int64_t>("reference/maximum_i64"));
  r.add(BuiltinOp::kMinimum, DType::kF32, 4, binary_kernel<BinOp::kMinimum, float>("reference/minimum_f32"));
  r.add(BuiltinOp::kMinimum, DType::kI32, 4, binary_kernel<BinOp::kMinimum, int32_t>("reference/minimum_i32"));
  r.add(BuiltinOp::kMinimum, DType::kI64, 4, binary_kernel<BinOp::kMinimum, int64_t>("reference/minimum_i64"));
  r.add(BuiltinOp::kFloorDiv, DType::kF32, 3, binary_kernel<BinOp::kFloorDiv, float>("reference/floor_div_f32"));
  r.add(BuiltinOp::kFloorDiv, DType::kI32, 3, binary_kernel<BinOp::kFloorDiv, int32_t>("reference/floor_div_i32"));
  r.add(BuiltinOp::kFloorMod, DType::kF32, 2, binary_kernel<BinOp::kFloorMod, float>("reference/floor_mod_f32"));
  r.add(BuiltinOp::kFloorMod, DType::kI32, 2, binary_kernel<BinOp::kFloorMod, int32_t>("reference/floor_mod_i32"));
  r.add(BuiltinOp::kFloorMod, DType::kI64, 2, binary_kernel<BinOp::kFloorMod, int64_t>("reference/floor_mod_i64"));
  r.add(BuiltinOp::kSquaredDifference, DType::kF32, 2,
        binary_kernel<BinOp::kSquaredDifference, float>("reference/squared_difference_f32"));
  r.add(BuiltinOp::kSquaredDifference, DType::kI32, 2,
        binary_kernel<BinOp::kSquaredDifference, int32_t>("reference/squared_difference_i32"));
}

}  // namespace eir::ref
