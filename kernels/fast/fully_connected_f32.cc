// FULLY_CONNECTED float32 through the f32 GEMM microkernels: input rows [batch, depth] times the
// [units, depth] weights (packed with the bias at model load). Output shape as TFLite (and
// kernels/reference/fully_connected.cc): keep_num_dims keeps the input's leading dims.

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "kernels/fast/f32_gemm_driver.h"
#include "kernels/fast/f32_gemm_kernels.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr int kInput = 0, kWeights = 1, kBias = 2;

const Tensor* tensor_at(const Node& node, const std::vector<Tensor>& tensors, size_t i) {
  if (i >= node.inputs.size()) return nullptr;
  const int t = node.inputs[i];
  if (t < 0 || static_cast<size_t>(t) >= tensors.size()) return nullptr;
  return &tensors[static_cast<size_t>(t)];
}

bool constant_f32(const Tensor* t) {
  return t && t->dtype == DType::kF32 && t->is_constant() && t->data != nullptr && t->num_elements() >= 0;
}

bool fc_supports(const Node& node, const std::vector<Tensor>& tensors) {
  const FullyConnectedParams* p = node.params_as<FullyConnectedParams>();
  if (p == nullptr || p->weights_format != 0 || !ref::activation_is_clamp(p->activation)) return false;
  if (node.inputs.size() < 2 || node.inputs.size() > 3 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node, tensors, kInput);
  const Tensor* w = tensor_at(node, tensors, kWeights);
  if (!in || in->dtype != DType::kF32 || in->rank() < 1) return false;
  // depth 0 is TFLite's odd special case: the reference kernel handles it.
  if (!constant_f32(w) || w->rank() != 2 || w->dim(0) <= 0 || w->dim(1) <= 0) return false;
  if (node.inputs.size() == 3 && node.inputs[kBias] >= 0) {
    const Tensor* bias = tensor_at(node, tensors, kBias);
    if (!constant_f32(bias) || bias->num_elements() != w->dim(0)) return false;
  }
  const int out = node.outputs[0];
  if (out < 0 || static_cast<size_t>(out) >= tensors.size() || tensors[static_cast<size_t>(out)].dtype != DType::kF32)
    return false;
  return true;
}

Status pack_fc(const F32GemmConfig& config, const Node& node, const std::vector<Tensor>& tensors,
               PackedGemmWeights* out) {
  if (!fc_supports(node, tensors)) return internal_error("fast FULLY_CONNECTED packing a node it does not support");
  const Tensor& w = *tensor_at(node, tensors, kWeights);
  const Tensor* bias = node.inputs.size() == 3 && node.inputs[kBias] >= 0 ? tensor_at(node, tensors, kBias) : nullptr;
  const size_t units = static_cast<size_t>(w.dim(0)), depth = static_cast<size_t>(w.dim(1));
  return pack_gemm_weights(config.variant_for(units), units, depth, w.as<float>(), bias ? bias->as<float>() : nullptr,
                           out);
}

template <size_t Slot>
Result<std::shared_ptr<const PackedWeights>> fc_pack_slot(const Node& node, const std::vector<Tensor>& tensors) {
  auto packed = std::make_shared<PackedGemmWeights>();
  EIR_RETURN_IF_ERROR(pack_fc(f32_gemm_config_at(Slot), node, tensors, packed.get()));
  return std::shared_ptr<const PackedWeights>(std::move(packed));
}

struct FcState : KernelState {
  size_t batch = 0;
  eir_f32_gemm_params params{};
  PackedGemmWeights own_packed;  // used when the kernel runs without the load-time pack hook
  const PackedGemmWeights* packed = nullptr;
};

Status fc_prepare(KernelContext& ctx, const F32GemmConfig& config) {
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

  auto state = std::make_unique<FcState>();
  state->packed = ctx.packed<PackedGemmWeights>();
  if (state->packed == nullptr) {
    EIR_RETURN_IF_ERROR(pack_fc(config, ctx.node(), ctx.tensors(), &state->own_packed));
    state->packed = &state->own_packed;
  }
  if (state->packed->n != static_cast<size_t>(units) || state->packed->k != static_cast<size_t>(depth))
    return internal_error("packed FULLY_CONNECTED weights do not match the weights' shape");

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
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status fc_run(KernelContext& ctx) {
  const FcState& s = *ctx.state<FcState>();
  const size_t depth = s.packed->k, units = s.packed->n;
  run_gemm(*s.packed, s.batch, ctx.input(kInput).as<float>(), depth, ctx.output(0).as<float>(), units, s.params,
           ctx.thread_pool());
  return Status::Ok();
}

template <size_t Slot>
Status fc_prepare_slot(KernelContext& ctx) {
  return fc_prepare(ctx, f32_gemm_config_at(Slot));
}

template <size_t Slot>
Kernel make_kernel() {
  static const std::string name = std::string("fast/fully_connected_f32_") + f32_gemm_config_at(Slot).isa;
  Kernel k;
  k.name = name.c_str();
  k.prepare = fc_prepare_slot<Slot>;
  k.run = fc_run;
  k.supports = fc_supports;
  k.pack = fc_pack_slot<Slot>;
  return k;
}

}  // namespace

Kernel fully_connected_f32_kernel(const F32GemmConfig& config) {
  static_assert(kMaxF32GemmConfigs == 4, "one instantiation per config slot");
  switch (f32_gemm_config_index(config)) {
    case 0: return make_kernel<0>();
    case 1: return make_kernel<1>();
    case 2: return make_kernel<2>();
    default: return make_kernel<3>();
  }
}

}  // namespace eir::fast
