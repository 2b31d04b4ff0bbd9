// Unary elementwise math: EXP, SQRT, RSQRT, SQUARE, FLOOR, CEIL (float32), ABS and NEG (float32
// and int32; NEG also int64). Quantized ABS/RSQRT belong to register_quantized.cc.
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "kernels/reference/misc_common.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

enum class UnOp { kExp, kSqrt, kRsqrt, kSquare, kFloor, kCeil, kAbs, kNeg };

template <UnOp Op, class T>
T apply(T x) {
  if constexpr (std::is_floating_point_v<T>) {
    if constexpr (Op == UnOp::kExp) return std::exp(x);
    if constexpr (Op == UnOp::kSqrt) return std::sqrt(x);
    if constexpr (Op == UnOp::kRsqrt) return 1.0f / std::sqrt(x);  // TFLite: 1 / sqrt(x), in float
    if constexpr (Op == UnOp::kSquare) return x * x;
    if constexpr (Op == UnOp::kFloor) return std::floor(x);
    if constexpr (Op == UnOp::kCeil) return std::ceil(x);
    if constexpr (Op == UnOp::kAbs) return std::fabs(x);
    if constexpr (Op == UnOp::kNeg) return -x;
  } else {
    // Integer ABS/NEG wrap for the minimum value (TFLite's std::abs / unary minus are UB there).
    using U = std::make_unsigned_t<T>;
    if constexpr (Op == UnOp::kAbs) return x < 0 ? static_cast<T>(U(0) - static_cast<U>(x)) : x;
    if constexpr (Op == UnOp::kNeg) return static_cast<T>(U(0) - static_cast<U>(x));
  }
}

template <DType D>
Status unary_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, D));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, D));
  return ctx.set_output_shape(0, ctx.input(0).shape);
}

template <UnOp Op, class T>
Status unary_run(KernelContext& ctx) {
  const T* in = ctx.input(0).as<const T>();
  T* out = ctx.output(0).as<T>();
  ctx.thread_pool()->parallel_for(element_count(ctx.input(0)), 16384, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) out[i] = apply<Op, T>(in[i]);
  });
  return Status::Ok();
}

template <UnOp Op>
Kernel f32_kernel(const char* name) {
  return Kernel{name, &unary_prepare<DType::kF32>, &unary_run<Op, float>};
}

}  // namespace

void register_elementwise_unary_kernels(KernelRegistry& r) {
  r.add(BuiltinOp::kExp, DType::kF32, 2, f32_kernel<UnOp::kExp>("reference/exp_f32"));
  r.add(BuiltinOp::kSqrt, DType::kF32, 2, f32_kernel<UnOp::kSqrt>("reference/sqrt_f32"));
  r.add(BuiltinOp::kRsqrt, DType::kF32, 3, f32_kernel<UnOp::kRsqrt>("reference/rsqrt_f32"));
  r.add(BuiltinOp::kSquare, DType::kF32, 1, f32_kernel<UnOp::kSquare>("reference/square_f32"));
  r.add(BuiltinOp::kFloor, DType::kF32, 1, f32_kernel<UnOp::kFloor>("reference/floor_f32"));
  r.add(BuiltinOp::kCeil, DType::kF32, 1, f32_kernel<UnOp::kCeil>("reference/ceil_f32"));
  r.add(BuiltinOp::kAbs, DType::kF32, 5, f32_kernel<UnOp::kAbs>("reference/abs_f32"));
  r.add(BuiltinOp::kAbs, DType::kI32, 5,
        Kernel{"reference/abs_i32", &unary_prepare<DType::kI32>, &unary_run<UnOp::kAbs, int32_t>});
  r.add(BuiltinOp::kNeg, DType::kF32, 1, f32_kernel<UnOp::kNeg>("reference/neg_f32"));
  r.add(BuiltinOp::kNeg, DType::kI32, 1,
        Kernel{"reference/neg_i32", &unary_prepare<DType::kI32>, &unary_run<UnOp::kNeg, int32_t>});
  r.add(BuiltinOp::kNeg, DType::kI64, 1,
        Kernel{"reference/neg_i64", &unary_prepare<DType::kI64>, &unary_run<UnOp::kNeg, int64_t>});
}

}  // namespace eir::ref
