// FULLY_CONNECTED float32 through the f32 GEMM microkernels: input rows [batch, depth] times the
// [units, depth] weights (packed with the bias at model load). Output shape as TFLite (and
// kernels/reference/fully_connected.cc): keep_num_dims keeps the input's leading dims.
// A template over the arithmetic (gemm_arith.h): float32, or the opt-in fp16 mode where the
// weights are packed to fp16 at load and the input rows are converted to fp16 in scratch per run.

#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kernels/fast/config_slots.h"
#include "kernels/fast/gemm_arith.h"
#include "kernels/fast/f32_gemm_kernels.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr int kInput = 0, kWeights = 1, kBias = 2;

bool fc_supports(const Node& node, const std::vector<Tensor>& tensors) {
  const FullyConnectedParams* p = node.params_as<FullyConnectedParams>();
  if (p == nullptr || p->weights_format != 0 || !ref::activation_is_clamp(p->activation)) return false;
  if (node.inputs.size() < 2 || node.inputs.size() > 3 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node, tensors, kInput);
  const Tensor* w = tensor_at(node, tensors, kWeights);
  if (!in || in->dtype != DType::kF32 || in->rank() < 1) return false;
  // depth 0 is TFLite's odd special case: the reference kernel handles it.
  if (!constant_f32(w) || w->rank() != 2 || w->dim(0) <= 0 || w->dim(1) <= 0) return false;
  return f32_gemm_bias_and_output_ok(node, tensors, w->dim(0));
}

template <class Config>
Status pack_fc(const Config& config, const Node& node, const std::vector<Tensor>& tensors,
               typename GemmArith<Config>::Packed* out) {
  if (!fc_supports(node, tensors)) return internal_error("fast FULLY_CONNECTED packing a node it does not support");
  const Tensor& w = *tensor_at(node, tensors, kWeights);
  const Tensor* bias = node.inputs.size() == 3 && node.inputs[kBias] >= 0 ? tensor_at(node, tensors, kBias) : nullptr;
  const size_t units = static_cast<size_t>(w.dim(0)), depth = static_cast<size_t>(w.dim(1));
  return pack_gemm_weights(config.variant_for(units), units, depth, w.as<float>(), bias ? bias->as<float>() : nullptr,
                           out);
}

template <class Config, size_t Slot>
Result<std::shared_ptr<const PackedWeights>> fc_pack_slot(const Node& node, const std::vector<Tensor>& tensors) {
  auto packed = std::make_shared<typename GemmArith<Config>::Packed>();
  EIR_RETURN_IF_ERROR(pack_fc(GemmArith<Config>::config_at(Slot), node, tensors, packed.get()));
  return std::shared_ptr<const PackedWeights>(std::move(packed));
}

template <class Config>
struct FcState : KernelState {
  using Packed = typename GemmArith<Config>::Packed;
  using T = typename GemmArith<Config>::Element;
  size_t batch = 0;
  eir_f32_gemm_params params{};
  Packed own_packed;  // used when the kernel runs without the load-time pack hook
  const Packed* packed = nullptr;
  const Config* config = nullptr;
};

template <class Config>
Status fc_prepare(KernelContext& ctx, const Config& config) {
  using State = FcState<Config>;
  const FullyConnectedParams* p = nullptr;
  EIR_RETURN_IF_ERROR(ref::get_params(ctx, &p));
  if (p->weights_format != 0)
    return unsupported("FULLY_CONNECTED weights_format ", p->weights_format, " (only DEFAULT is supported)");
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kInput, DType::kF32));
  EIR_RETURN_IF_ERROR(ref::expect_float_weights(ctx, kWeights));
  EIR_RETURN_IF_ERROR(ref::expect_output_dtype(ctx, 0, DType::kF32));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kWeights, 2));
  const Tensor& in = ctx.input(kInput);
  const Tensor& w = ctx.input(kWeights);
  if (in.rank() < 1) return invalid_model(ctx.describe_input(kInput), " must have rank >= 1");
  const int units = w.dim(0), depth = w.dim(1);
  if (depth <= 0) return internal_error("fast FULLY_CONNECTED needs depth > 0");  // declined by supports

  auto state = std::make_unique<State>();
  const int64_t elements = in.num_elements();
  if (elements < 0 || elements % depth != 0)
    return invalid_model(ctx.describe_input(kInput), " has ", elements, " elements, not a multiple of the weights' depth ",
                         depth);
  const int64_t batch = elements / depth;
  if (batch > std::numeric_limits<int32_t>::max())
    return invalid_model(ctx.describe_input(kInput), ": batch size overflows");
  state->batch = static_cast<size_t>(batch);
  Shape out_shape;
  if (p->keep_num_dims) {
    if (in.dim(in.rank() - 1) != depth)
      return invalid_model(ctx.describe_input(kInput), ": last dim must equal the weights' depth ", depth,
                           " when keep_num_dims is set");
    out_shape = in.shape;
    out_shape.back() = units;
  } else {
    out_shape = {static_cast<int32_t>(batch), units};
  }
  EIR_RETURN_IF_ERROR(ref::fused_activation_clamp(p->activation, &state->params.min, &state->params.max));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  if (ctx.validating()) return Status::Ok();

  state->config = &config;
  state->packed = ctx.packed<typename State::Packed>();
  if (state->packed == nullptr) {
    EIR_RETURN_IF_ERROR(pack_fc(config, ctx.node(), ctx.tensors(), &state->own_packed));
    state->packed = &state->own_packed;
  }
  if (state->packed->n != static_cast<size_t>(units) || state->packed->k != static_cast<size_t>(depth))
    return internal_error("packed FULLY_CONNECTED weights do not match the weights' shape");
  if constexpr (!std::is_same_v<typename State::T, float>) {
    // The fp16 copy of the input rows, converted at each run.
    ctx.request_scratch(state->batch * static_cast<size_t>(depth) * sizeof(typename State::T));
  }
  ctx.set_state(std::move(state));
  return Status::Ok();
}

template <class Config>
Status fc_run(KernelContext& ctx) {
  using T = typename FcState<Config>::T;
  const FcState<Config>& s = *ctx.state<FcState<Config>>();
  const size_t depth = s.packed->k, units = s.packed->n;
  const T* x = gemm_input(*s.config, ctx, s.batch * depth, ctx.input(kInput).as<float>());
  run_gemm(*s.packed, s.batch, x, depth, ctx.output(0).as<float>(), units, s.params, ctx.thread_pool());
  return Status::Ok();
}

template <class Config, size_t Slot>
Status fc_prepare_slot(KernelContext& ctx) {
  return fc_prepare(ctx, GemmArith<Config>::config_at(Slot));
}

template <class Config, size_t Slot>
Kernel make_kernel() {
  static const std::string name =
      std::string("fast/fully_connected_") + GemmArith<Config>::kName + GemmArith<Config>::config_at(Slot).isa;
  Kernel k;
  k.name = name.c_str();
  k.prepare = fc_prepare_slot<Config, Slot>;
  k.run = fc_run<Config>;
  k.supports = fc_supports;
  k.pack = fc_pack_slot<Config, Slot>;
  return k;
}

}  // namespace

Kernel fully_connected_f32_kernel(const F32GemmConfig& config) {
  return kernel_for_slot<kMaxF32GemmConfigs>(
      f32_gemm_config_index(config), [](auto slot) { return make_kernel<F32GemmConfig, decltype(slot)::value>(); });
}

Kernel fully_connected_f32_f16_kernel(const F16GemmConfig& config) {
  return kernel_for_slot<kMaxF16GemmConfigs>(
      f16_gemm_config_index(config), [](auto slot) { return make_kernel<F16GemmConfig, decltype(slot)::value>(); });
}

}  // namespace eir::fast
