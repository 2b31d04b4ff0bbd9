// DEQUANTIZE float16 -> float32 through the f16->f32 conversion microkernel (F16C / FCVTL):
// models with fp16 weights fold it at load, where the scalar bit-twiddling of the reference
// kernel was the largest single cost of start-up.
#include <algorithm>
#include <memory>

#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/fast/f32_misc_util.h"
#include "kernels/reference/misc_common.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr size_t kChunk = 16384;  // elements per task

struct DequantizeState : KernelState {
  eir_f16_f32_vcvt_ukernel_fn convert = nullptr;
  size_t total = 0;
};

Status dequantize_prepare(KernelContext& ctx, const F32MiscConfig& config) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF16));
  EIR_RETURN_IF_ERROR(ref::expect_output_dtype(ctx, 0, DType::kF32));
  auto state = std::make_unique<DequantizeState>();
  state->convert = config.f16_to_f32;
  state->total = ref::element_count(ctx.input(0));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, ctx.input(0).shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status dequantize_run(KernelContext& ctx) {
  const DequantizeState& s = *ctx.state<DequantizeState>();
  const uint16_t* x = ctx.input(0).as<const uint16_t>();
  float* y = ctx.output(0).as<float>();
  const size_t chunks = (s.total + kChunk - 1) / kChunk;
  ctx.thread_pool()->parallel_for(chunks, 1, [&](size_t begin, size_t end) {
    const size_t i0 = begin * kChunk;
    s.convert(std::min(end * kChunk, s.total) - i0, x + i0, y + i0);
  });
  return Status::Ok();
}

}  // namespace

Kernel dequantize_f16_kernel(const F32MiscConfig& config) {
  Kernel k;
  k.name = config_kernel_name("fast/dequantize_f16_", config);
  k.prepare = prepare_for<dequantize_prepare>(config);
  k.run = dequantize_run;
  return k;
}

}  // namespace eir::fast
