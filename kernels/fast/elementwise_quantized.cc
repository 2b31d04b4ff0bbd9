// ADD / SUB uint8 / int8 of two tensors of the same shape through the qs8 vadd microkernels,
// bit-exact with the reference kernel (kernels/reference/elementwise_quantized.cc, TFLite's 8-bit
// "general" path). Broadcasting is declined (the reference kernel runs it). The multipliers are
// the reference's: each input is rescaled to twice the larger input scale with 20 extra bits of
// precision, the sum to the output scale.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "kernels/configs/qs8_vadd_config.h"
#include "kernels/fast/config_slots.h"
#include "kernels/fast/qs8_gemm_kernels.h"
#include "kernels/reference/quant_utils.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

const Tensor* tensor_at(const std::vector<int>& list, const std::vector<Tensor>& tensors, size_t i) {
  if (i >= list.size()) return nullptr;
  const int t = list[i];
  if (t < 0 || static_cast<size_t>(t) >= tensors.size()) return nullptr;
  return &tensors[static_cast<size_t>(t)];
}

bool per_tensor_ok(const Tensor& t) { return t.quant.scales.size() == 1 && ref::check_quant_params(t, "").ok(); }

// The kernel parameters for a node, or false when this driver does not handle it.
bool analyze(const Node& node, const std::vector<Tensor>& tensors, eir_qs8_vadd_params* out) {
  if (node.inputs.size() != 2 || node.outputs.size() != 1) return false;
  const Tensor* a = tensor_at(node.inputs, tensors, 0);
  const Tensor* b = tensor_at(node.inputs, tensors, 1);
  const Tensor* y = tensor_at(node.outputs, tensors, 0);
  if (!a || !b || !y) return false;
  if ((a->dtype != DType::kU8 && a->dtype != DType::kI8) || b->dtype != a->dtype || y->dtype != a->dtype) return false;
  if (a->shape != b->shape) return false;  // broadcasting: reference
  if (!per_tensor_ok(*a) || !per_tensor_ok(*b) || !per_tensor_ok(*y)) return false;
  const ActivationParams* ap = node.params_as<ActivationParams>();
  const Activation act = ap ? ap->activation : Activation::kNone;
  int32_t lo = 0, hi = 0;
  if (!ref::quantized_activation_range(act, *y, &lo, &hi).ok()) return false;
  const float s1 = a->quant.scale(), s2 = b->quant.scale(), so = y->quant.scale();
  const double twice_max = 2.0 * static_cast<double>(std::max(s1, s2));
  const double real1 = static_cast<double>(s1) / twice_max;
  const double real2 = static_cast<double>(s2) / twice_max;
  const double real_out = twice_max / (static_cast<double>(1 << 20) * static_cast<double>(so));
  if (!(real_out > 0.0 && real_out < 1.0)) return false;  // the reference refuses these
  const ref::QuantizedMultiplier m1 = ref::quantize_multiplier(real1), m2 = ref::quantize_multiplier(real2),
                                 mo = ref::quantize_multiplier(real_out);
  for (const ref::QuantizedMultiplier& m : {m1, m2, mo})
    if (m.multiplier < 0 || m.shift > 0 || m.shift < -31) return false;
  out->a_zero_point = a->quant.zero_point();
  out->b_zero_point = b->quant.zero_point();
  out->a_multiplier = m1.multiplier;
  out->a_right = -m1.shift;
  out->b_multiplier = m2.multiplier;
  out->b_right = -m2.shift;
  out->out_multiplier = mo.multiplier;
  out->out_right = -mo.shift;
  out->output_zero_point = y->quant.zero_point();
  out->output_min = lo;
  out->output_max = hi;
  out->u8 = a->dtype == DType::kU8 ? 1 : 0;
  return true;
}

bool vadd_supports(const Node& node, const std::vector<Tensor>& tensors) {
  eir_qs8_vadd_params p{};
  return analyze(node, tensors, &p);
}

struct VaddState : KernelState {
  eir_qs8_vadd_params params{};
  eir_qs8_vadd_ukernel_fn fn = nullptr;
  size_t n = 0;
};

Status vadd_prepare(KernelContext& ctx, const Qs8VaddConfig& config, bool sub) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  auto s = std::make_unique<VaddState>();
  if (!analyze(ctx.node(), ctx.tensors(), &s->params))
    return unsupported("this quantized ", sub ? "SUB" : "ADD", " is not handled by the fast kernel (",
                       ctx.describe_input(0), ", ", ctx.describe_input(1), ")");
  s->fn = sub ? config.vsub : config.vadd;
  s->n = static_cast<size_t>(ctx.input(0).num_elements());
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, ctx.input(0).shape));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

Status vadd_run(KernelContext& ctx) {
  const VaddState& s = *ctx.state<VaddState>();
  const uint8_t* a = ctx.input(0).data;
  const uint8_t* b = ctx.input(1).data;
  uint8_t* y = ctx.output(0).data;
  constexpr size_t kBlock = 4096;
  const size_t blocks = (s.n + kBlock - 1) / kBlock;
  ctx.thread_pool()->parallel_for(blocks, 1, [&](size_t begin, size_t end) {
    const size_t lo = begin * kBlock, hi = std::min(s.n, end * kBlock);
    s.fn(hi - lo, a + lo, b + lo, y + lo, &s.params);
  });
  return Status::Ok();
}

template <size_t Slot, bool kSub>
Status vadd_prepare_slot(KernelContext& ctx) {
  return vadd_prepare(ctx, qs8_vadd_config_at(Slot), kSub);
}

template <size_t Slot, bool kSub>
Kernel make_kernel() {
  static const std::string name =
      std::string(kSub ? "fast/sub_quantized_" : "fast/add_quantized_") + qs8_vadd_config_at(Slot).isa;
  Kernel k;
  k.name = name.c_str();
  k.prepare = vadd_prepare_slot<Slot, kSub>;
  k.run = vadd_run;
  k.supports = vadd_supports;
  return k;
}

}  // namespace

Kernel add_quantized_kernel(const Qs8VaddConfig& config) {
  return kernel_for_slot<kMaxQs8VaddConfigs>(qs8_vadd_config_index(config),
                                             [](auto slot) { return make_kernel<decltype(slot)::value, false>(); });
}

Kernel sub_quantized_kernel(const Qs8VaddConfig& config) {
  return kernel_for_slot<kMaxQs8VaddConfigs>(qs8_vadd_config_index(config),
                                             [](auto slot) { return make_kernel<decltype(slot)::value, true>(); });
}

}  // namespace eir::fast
