// CAST between float32, float16, int8, uint8, int16, int32, int64 and bool, as TFLite's cast.cc:
//  - float -> integer truncates toward zero and saturates at the integer type's limits; NaN
//    becomes the type's maximum (TFLite's SafeCast with nan_result = max);
//  - anything -> bool is (x != 0), so NaN -> true; bool -> number is 0 or 1;
//  - integer -> integer keeps the low bits (two's-complement wrap), integer -> float rounds.
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/reference/fp16.h"
#include "kernels/reference/misc_common.h"

namespace eir::ref {
namespace {

template <class To, class From>
To convert(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    if (std::isnan(v)) return std::numeric_limits<To>::max();
    if (v < static_cast<From>(std::numeric_limits<To>::min())) return std::numeric_limits<To>::min();
    // max()+1 is a power of two, exactly representable, unlike max() itself for 32/64 bits.
    constexpr From kUpperExclusive = static_cast<From>(std::numeric_limits<To>::max() / 2 + 1) * From(2);
    if (v >= kUpperExclusive) return std::numeric_limits<To>::max();
    return static_cast<To>(v);
  } else {
    // Integer narrowing keeps the low bits (GCC and Clang define it as modulo 2^N).
    return static_cast<To>(v);
  }
}

// float16 is read as its bits and widened first; the rest of the rules are float32's.
template <class From>
struct Reader {
  using Value = From;
  static Value read(const uint8_t* p, size_t i) { return reinterpret_cast<const From*>(p)[i]; }
};
struct HalfTag {};
template <>
struct Reader<HalfTag> {
  using Value = float;
  static float read(const uint8_t* p, size_t i) { return half_to_float(reinterpret_cast<const uint16_t*>(p)[i]); }
};
// bool is read as a byte so that a byte other than 0/1 in a model's data is just "true".
template <>
struct Reader<bool> {
  using Value = bool;
  static bool read(const uint8_t* p, size_t i) { return p[i] != 0; }
};

template <class From, class To>
void cast_all(const uint8_t* in, To* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = convert<To>(Reader<From>::read(in, i));
}

bool is_cast_output(DType d) {
  switch (d) {
    case DType::kF32: case DType::kI8: case DType::kU8: case DType::kI16:
    case DType::kI32: case DType::kI64: case DType::kBool: return true;
    default: return false;
  }
}

Status cast_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const DType out = ctx.output(0).dtype;
  if (!is_cast_output(out))
    return unsupported("CAST from ", dtype_name(ctx.input(0).dtype), " to ", dtype_name(out), " is not supported");
  if (const auto* p = ctx.node().params_as<CastParams>()) {
    if (p->in_type != 0 && p->in_type != static_cast<int>(ctx.input(0).dtype))
      return invalid_model("CAST in_data_type ", dtype_name(static_cast<DType>(p->in_type)), " does not match ",
                           ctx.describe_input(0));
    if (p->out_type != 0 && p->out_type != static_cast<int>(out))
      return invalid_model("CAST out_data_type ", dtype_name(static_cast<DType>(p->out_type)), " does not match ",
                           ctx.describe_output(0));
  }
  return ctx.set_output_shape(0, ctx.input(0).shape);
}

template <class From>
Status cast_run(KernelContext& ctx) {
  const uint8_t* in = ctx.input(0).data;
  Tensor& out = ctx.output(0);
  const size_t n = element_count(ctx.input(0));
  switch (out.dtype) {
    case DType::kF32: cast_all<From>(in, out.as<float>(), n); break;
    case DType::kI8: cast_all<From>(in, out.as<int8_t>(), n); break;
    case DType::kU8: cast_all<From>(in, out.as<uint8_t>(), n); break;
    case DType::kI16: cast_all<From>(in, out.as<int16_t>(), n); break;
    case DType::kI32: cast_all<From>(in, out.as<int32_t>(), n); break;
    case DType::kI64: cast_all<From>(in, out.as<int64_t>(), n); break;
    case DType::kBool: cast_all<From>(in, out.as<bool>(), n); break;
    default: return internal_error("CAST: unexpected output dtype ", dtype_name(out.dtype));
  }
  return Status::Ok();
}

}  // namespace

void register_cast_kernels(KernelRegistry& r) {
  r.add(BuiltinOp::kCast, DType::kF32, 9, Kernel{"reference/cast_from_f32", &cast_prepare, &cast_run<float>});
  r.add(BuiltinOp::kCast, DType::kF16, 9, Kernel{"reference/cast_from_f16", &cast_prepare, &cast_run<HalfTag>});
  r.add(BuiltinOp::kCast, DType::kI8, 9, Kernel{"reference/cast_from_i8", &cast_prepare, &cast_run<int8_t>});
  r.add(BuiltinOp::kCast, DType::kU8, 9, Kernel{"reference/cast_from_u8", &cast_prepare, &cast_run<uint8_t>});
  r.add(BuiltinOp::kCast, DType::kI16, 9, Kernel{"reference/cast_from_i16", &cast_prepare, &cast_run<int16_t>});
  r.add(BuiltinOp::kCast, DType::kI32, 9, Kernel{"reference/cast_from_i32", &cast_prepare, &cast_run<int32_t>});
  r.add(BuiltinOp::kCast, DType::kI64, 9, Kernel{"reference/cast_from_i64", &cast_prepare, &cast_run<int64_t>});
  r.add(BuiltinOp::kCast, DType::kBool, 9, Kernel{"reference/cast_from_bool", &cast_prepare, &cast_run<bool>});
}

}  // namespace eir::ref
