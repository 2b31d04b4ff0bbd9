// ARG_MAX / ARG_MIN over one constant axis, any numeric input dtype (float32, int8, uint8, int16,
// int32, int64, bool), int32 or int64 output. Ties give the first index. Floats follow TFLite's
// NaN-aware comparison: a NaN never replaces the current best, a number always replaces a NaN
// (so an all-NaN row gives index 0).
#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "kernels/reference/common.h"
#include "kernels/reference/misc_common.h"

namespace eir::ref {
namespace {

struct ArgState : KernelState {
  size_t outer = 0, axis_size = 0, inner = 0;
};

Status arg_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& in = ctx.input(0);
  const DType out = ctx.output(0).dtype;
  if (out != DType::kI32 && out != DType::kI64)
    return invalid_model(ctx.describe_output(0), ": ARG_MAX/ARG_MIN output must be int32 or int64");
  if (const auto* p = ctx.node().params_as<ArgMinMaxParams>()) {
    if (p->output_type != 0 && p->output_type != static_cast<int>(out))
      return invalid_model("output_type ", dtype_name(static_cast<DType>(p->output_type)), " does not match ",
                           ctx.describe_output(0));
  }
  if (in.rank() < 1) return invalid_model(ctx.describe_input(0), " must have rank >= 1");
  int64_t raw_axis = 0;
  EIR_RETURN_IF_ERROR(read_constant_scalar_int(ctx, 1, "axis", &raw_axis));
  int axis = 0;
  if (raw_axis < -in.rank() || raw_axis >= in.rank() || !normalize_axis(static_cast<int>(raw_axis), in.rank(), &axis))
    return invalid_model("axis ", raw_axis, " is out of range for ", ctx.describe_input(0));
  if (in.dim(axis) <= 0) return invalid_model("cannot take ARG_MAX/ARG_MIN over the empty dim ", axis);
  Shape out_shape = in.shape;
  out_shape.erase(out_shape.begin() + axis);
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  auto state = std::make_unique<ArgState>();
  state->outer = static_cast<size_t>(dims_product(in.shape, 0, axis));
  state->axis_size = static_cast<size_t>(in.dim(axis));
  state->inner = static_cast<size_t>(dims_product(in.shape, axis + 1, in.rank()));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

// True when `candidate` should replace `best`.
template <bool IsMax, class T>
bool better(T candidate, T best) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(candidate)) return false;
    if (std::isnan(best)) return true;
  }
  return IsMax ? candidate > best : candidate < best;
}

template <bool IsMax, class T, class Index>
void arg_loop(const ArgState& st, const T* in, Index* out) {
  for (size_t o = 0; o < st.outer; ++o) {
    for (size_t i = 0; i < st.inner; ++i) {
      const T* p = in + o * st.axis_size * st.inner + i;
      T best = p[0];
      size_t best_index = 0;
      for (size_t k = 1; k < st.axis_size; ++k) {
        if (better<IsMax>(p[k * st.inner], best)) {
          best = p[k * st.inner];
          best_index = k;
        }
      }
      out[o * st.inner + i] = static_cast<Index>(best_index);
    }
  }
}

template <bool IsMax, class T>
Status arg_run(KernelContext& ctx) {
  const ArgState& st = *ctx.state<ArgState>();
  // bool data is compared as bytes (false < true) so a hostile byte never becomes an invalid bool.
  using Elem = std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>;
  const Elem* in = reinterpret_cast<const Elem*>(ctx.input(0).data);
  Tensor& out = ctx.output(0);
  if constexpr (std::is_same_v<T, bool>) {
    // Normalize by comparing (byte != 0) values.
    for (size_t o = 0; o < st.outer; ++o) {
      for (size_t i = 0; i < st.inner; ++i) {
        const Elem* p = in + o * st.axis_size * st.inner + i;
        bool best = p[0] != 0;
        size_t best_index = 0;
        for (size_t k = 1; k < st.axis_size; ++k) {
          const bool v = p[k * st.inner] != 0;
          if (better<IsMax>(v, best)) {
            best = v;
            best_index = k;
          }
        }
        if (out.dtype == DType::kI32)
          out.as<int32_t>()[o * st.inner + i] = static_cast<int32_t>(best_index);
        else
          out.as<int64_t>()[o * st.inner + i] = static_cast<int64_t>(best_index);
      }
    }
  } else {
    if (out.dtype == DType::kI32)
      arg_loop<IsMax>(st, in, out.as<int32_t>());
    else
      arg_loop<IsMax>(st, in, out.as<int64_t>());
  }
  return Status::Ok();
}

template <class T>
void add_both(KernelRegistry& r, DType d, const char* max_name, const char* min_name) {
  r.add(BuiltinOp::kArgMax, d, 3, Kernel{max_name, &arg_prepare, &arg_run<true, T>});
  r.add(BuiltinOp::kArgMin, d, 3, Kernel{min_name, &arg_prepare, &arg_run<false, T>});
}

}  // namespace

void register_arg_minmax_kernels(KernelRegistry& r) {
  add_both<float>(r, DType::kF32, "reference/arg_max_f32", "reference/arg_min_f32");
  add_both<int8_t>(r, DType::kI8, "reference/arg_max_i8", "reference/arg_min_i8");
  add_both<uint8_t>(r, DType::kU8, "reference/arg_max_u8", "reference/arg_min_u8");
  add_both<int16_t>(r, DType::kI16, "reference/arg_max_i16", "reference/arg_min_i16");
  add_both<int32_t>(r, DType::kI32, "reference/arg_max_i32", "reference/arg_min_i32");
  add_both<int64_t>(r, DType::kI64, "reference/arg_max_i64", "reference/arg_min_i64");
  add_both<bool>(r, DType::kBool, "reference/arg_max_bool", "reference/arg_min_bool");
}

}  // namespace eir::ref
