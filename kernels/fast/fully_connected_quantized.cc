// FULLY_CONNECTED uint8 / int8 through the qs8 GEMM microkernels, bit-exact with the reference
// kernel (kernels/reference/fully_connected_quantized.cc). The [units, depth] weights are packed
// at model load (qs8_gemm_driver.h); the input, flattened to [batch, depth], is the GEMM's A as
// it is. Weights with a nonzero zero point (uint8 other than 128, per-tensor int8 other than 0)
// add a per-row term from each input row's sum.
#include <string>
#include <utility>
#include <vector>

#include "kernels/fast/config_slots.h"
#include "kernels/fast/qs8_gemm_driver.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/fast/quantized_driver_util.h"
#include "kernels/reference/quant_utils.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr int kInput = 0, kWeights = 1, kBias = 2;

// Whether this driver handles the node (else the reference kernel runs it, or reports the error),
// and the quantization the packer and the kernel need.
bool analyze(const Node& node, const std::vector<Tensor>& tensors, QuantizedChannels* q) {
  const FullyConnectedParams* p = node.params_as<FullyConnectedParams>();
  if (p == nullptr || p->weights_format != 0 || !ref::activation_is_clamp(p->activation)) return false;
  if (node.inputs.size() < 2 || node.inputs.size() > 3 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node, tensors, kInput);
  const Tensor* w = tensor_at(node, tensors, kWeights);
  if (!in || !w || (in->dtype != DType::kU8 && in->dtype != DType::kI8) || in->rank() < 1) return false;
  if (w->dtype != in->dtype || w->rank() != 2 || !w->is_constant() || w->data == nullptr) return false;
  const int64_t units = w->dim(0), depth = w->dim(1);
  if (units <= 0 || depth <= 0) return false;
  // Per-tensor int8 weights keep their zero point (a row term) and, like uint8, take their
  // multiplier from the float product of the scales.
  QuantizedWeightsRules rules;
  rules.channel_axis = 0;
  rules.int8_per_tensor_float_product = true;
  return analyze_quantized_node(node, tensors, *in, *w, units, p->activation, rules, q);
}

bool fc_supports(const Node& node, const std::vector<Tensor>& tensors) {
  QuantizedChannels q;
  return analyze(node, tensors, &q);
}

Status pack_fc(const Qs8GemmConfig& config, const Node& node, const std::vector<Tensor>& tensors,
               PackedQs8Weights* out) {
  QuantizedChannels q;
  if (!analyze(node, tensors, &q))
    return internal_error("fast quantized FULLY_CONNECTED packing a node it does not support");
  const Tensor& w = *tensor_at(node, tensors, kWeights);
  const Qs8GemmProblem pr = qs8_gemm_problem(q, w, tensor_at(node, tensors, kBias), static_cast<size_t>(w.dim(0)),
                                             static_cast<size_t>(w.dim(1)), 1);
  return pack_qs8_gemm_weights(config.variant_for(pr.n), pr, out);
}

template <size_t Slot>
Result<std::shared_ptr<const PackedWeights>> fc_pack_slot(const Node& node, const std::vector<Tensor>& tensors) {
  auto packed = std::make_shared<PackedQs8Weights>();
  EIR_RETURN_IF_ERROR(pack_fc(qs8_gemm_config_at(Slot), node, tensors, packed.get()));
  return std::shared_ptr<const PackedWeights>(std::move(packed));
}

struct FcState : KernelState {
  size_t batches = 0;
  eir_qs8_gemm_params params{};
  PackedQs8Weights own_packed;
  const PackedQs8Weights* packed = nullptr;
};

Status fc_prepare(KernelContext& ctx, const Qs8GemmConfig& config) {
  const FullyConnectedParams* p = nullptr;
  EIR_RETURN_IF_ERROR(ref::get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  if (!fc_supports(ctx.node(), ctx.tensors()))
    return unsupported("this quantized FULLY_CONNECTED is not handled by the fast kernel (",
                       ctx.describe_input(kInput), ", ", ctx.describe_input(kWeights), ")");
  const Tensor& in = ctx.input(kInput);
  const Tensor& w = ctx.input(kWeights);
  const Tensor& out = ctx.output(0);
  const int64_t units = w.dim(0), depth = w.dim(1);
  auto s = std::make_unique<FcState>();
  const int64_t in_size = in.num_elements();
  Shape out_shape;
  if (p->keep_num_dims) {
    if (in.dim(in.rank() - 1) != depth)
      return invalid_model(ctx.describe_input(kInput), ": last dim must equal the weights' depth ", depth,
                           " with keep_num_dims");
    out_shape = in.shape;
    out_shape.back() = static_cast<int32_t>(units);
  } else {
    if (in_size % depth != 0)
      return invalid_model(ctx.describe_input(kInput), " has ", in_size,
                           " elements, not a multiple of the weights' depth ", depth);
    if (in_size / depth > INT32_MAX) return invalid_model(ctx.describe_input(kInput), " is too large");
    out_shape = {static_cast<int32_t>(in_size / depth), static_cast<int32_t>(units)};
  }
  s->batches = static_cast<size_t>(in_size / depth);
  if (ctx.validating()) {
    // Shape and output quantization only: no packing (KernelPhase::kValidate).
    EIR_RETURN_IF_ERROR(quantized_output_params(p->activation, out, 0, 0, &s->params));
    return ctx.set_output_shape(0, out_shape);
  }
  s->packed = ctx.packed<PackedQs8Weights>();
  if (s->packed == nullptr) {
    EIR_RETURN_IF_ERROR(pack_fc(config, ctx.node(), ctx.tensors(), &s->own_packed));
    s->packed = &s->own_packed;
  }
  if (s->packed->n != static_cast<size_t>(units) || s->packed->kc != static_cast<size_t>(depth))
    return internal_error("packed quantized FULLY_CONNECTED weights do not match the weights' shape");

  EIR_RETURN_IF_ERROR(quantized_output_params(p->activation, out, s->packed->a_xor,
                                              qs8_gemm_round_half_away(s->packed->input_u8), &s->params));
  if (s->packed->row_scale != 0) ctx.request_scratch(s->batches * sizeof(int32_t));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

Status fc_run(KernelContext& ctx) {
  FcState& s = *ctx.state<FcState>();
  const Tensor& in = ctx.input(kInput);
  const size_t depth = s.packed->kc, units = s.packed->n;
  ThreadPool* pool = ctx.thread_pool();
  if (s.batches == 0) return Status::Ok();
  int32_t* row_terms = nullptr;
  if (s.packed->row_scale != 0) {
    row_terms = reinterpret_cast<int32_t*>(ctx.scratch());
    qs8_gemm_row_terms(*s.packed, s.batches, in.data, depth, row_terms, pool);
  }
  run_qs8_gemm(*s.packed, s.batches, in.data, depth, ctx.output(0).data, units, row_terms, s.params, pool);
  return Status::Ok();
}

template <size_t Slot>
Status fc_prepare_slot(KernelContext& ctx) {
  return fc_prepare(ctx, qs8_gemm_config_at(Slot));
}

template <size_t Slot>
Kernel make_kernel() {
  static const std::string name = std::string("fast/fully_connected_quantized_") + qs8_gemm_config_at(Slot).isa;
  Kernel k;
  k.name = name.c_str();
  k.prepare = fc_prepare_slot<Slot>;
  k.run = fc_run;
  k.supports = fc_supports;
  k.pack = fc_pack_slot<Slot>;
  return k;
}

}  // namespace

Kernel fully_connected_quantized_kernel(const Qs8GemmConfig& config) {
  return kernel_for_slot<kMaxQs8GemmConfigs>(qs8_gemm_config_index(config),
                                             [](auto slot) { return make_kernel<decltype(slot)::value>(); });
}

}  // namespace eir::fast
