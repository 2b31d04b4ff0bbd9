// The f32 depthwise-convolution, pooling, elementwise and activation drivers ("fast kernels"),
// each bound to one microkernel config (kernels/configs/f32_misc_config.h).
// register_f32_misc.cc registers them for the detected CPU; tests build them for every config the
// machine can run and compare them with the reference kernels.
#pragma once

#include "kernels/configs/f32_misc_config.h"
#include "runtime/executor/kernel.h"

namespace eir::fast {

// DEPTHWISE_CONV_2D float32, depth multiplier 1 (filter [1,KH,KW,C] with C = input channels),
// constant filter and bias, any kernel size / stride / dilation / padding, fused RELU, RELU6 or
// RELU_N1_TO_1. Declines other multipliers, non-constant weights and TANH/SIGN_BIT.
Kernel depthwise_conv2d_f32_kernel(const F32MiscConfig& config);  // depthwise_conv2d_f32.cc

// MAX_POOL_2D / AVERAGE_POOL_2D float32 (TFLite semantics: the window is clipped to the image, the
// average divides by the valid count) with fused clamp activations; an average pool whose single
// output pixel covers the whole image runs as a global average. MEAN float32 over axes {1, 2} of a
// 4-D input (keep_dims or not) as a global average; other MEANs are declined.
Kernel max_pool2d_f32_kernel(const F32MiscConfig& config);      // pooling_f32.cc
Kernel average_pool2d_f32_kernel(const F32MiscConfig& config);  // pooling_f32.cc
Kernel mean_f32_kernel(const F32MiscConfig& config);            // pooling_f32.cc

// ADD / SUB / MUL float32 with the fused activation as a clamp, for operands of equal element
// count, a scalar operand, or one operand that repeats along the leading dims of the other (e.g.
// [1,H,W,C] x [C] or [1,1,1,C]). Other broadcasts are declined.
Kernel add_f32_kernel(const F32MiscConfig& config);  // elementwise_f32.cc
Kernel sub_f32_kernel(const F32MiscConfig& config);  // elementwise_f32.cc
Kernel mul_f32_kernel(const F32MiscConfig& config);  // elementwise_f32.cc

// RELU, RELU6, RELU_N1_TO_1, HARD_SWISH, LOGISTIC float32; PRELU float32 with alpha repeating
// along the input's leading dims (per-channel alpha, or a scalar). Other PRELU broadcasts are
// declined.
Kernel relu_f32_kernel(const F32MiscConfig& config);          // activations_f32.cc
Kernel relu6_f32_kernel(const F32MiscConfig& config);         // activations_f32.cc
Kernel relu_n1_to_1_f32_kernel(const F32MiscConfig& config);  // activations_f32.cc
Kernel hard_swish_f32_kernel(const F32MiscConfig& config);    // activations_f32.cc
Kernel logistic_f32_kernel(const F32MiscConfig& config);      // activations_f32.cc
Kernel prelu_f32_kernel(const F32MiscConfig& config);         // activations_f32.cc

// FUSED_ELEMENTWISE float32 (a chain of ADD/SUB/MUL/PRELU/clamps/LOGISTIC/HARD_SWISH made by the
// fuse_elementwise_chains pass) through the vchain microkernel, the running value in registers;
// operands must be whole tensors, scalars or one trailing-block size.
Kernel fused_elementwise_f32_kernel(const F32MiscConfig& config);  // fused_elementwise_f32.cc

// RESIZE_BILINEAR float32 (any align_corners / half_pixel_centers): sample positions computed
// once at prepare with the reference kernel's rules, two lerps per element at run time.
Kernel resize_bilinear_f32_kernel();  // resize_bilinear_f32.cc

// QUANTIZE float32 -> int8 / uint8 / int16 with a per-tensor output scale, bit-exact with the
// reference kernel (division in double, halves away from zero). Per-channel outputs are declined.
Kernel quantize_f32_kernel(const F32MiscConfig& config);  // quantize_f32.cc

// DEQUANTIZE float16 -> float32 (exact widening), split across threads in chunks. Mostly runs at
// load, when constant folding turns fp16 weights into float32 ones.
Kernel dequantize_f16_kernel(const F32MiscConfig& config);  // dequantize_f16.cc

// PAD / PADV2 float32 (rank <= 5): each output element is written once (the pad value around a
// copy of the input) instead of filling everything and copying over it.
Kernel pad_f32_kernel(const F32MiscConfig& config);  // pad_f32.cc

// Kernel::prepare for `config`: Kernel holds plain function pointers, so each config slot gets its
// own instantiation that looks its config up.
using ConfiguredPrepare = Status (*)(KernelContext& ctx, const F32MiscConfig& config);

template <ConfiguredPrepare kPrepare, size_t kSlot>
Status prepare_with_slot(KernelContext& ctx) {
  return kPrepare(ctx, f32_misc_config_at(kSlot));
}

template <ConfiguredPrepare kPrepare>
Status (*prepare_for(const F32MiscConfig& config))(KernelContext&) {
  static_assert(kMaxF32MiscConfigs == 4, "one instantiation per config slot");
  switch (f32_misc_config_index(config)) {
    case 0:
      return &prepare_with_slot<kPrepare, 0>;
    case 1:
      return &prepare_with_slot<kPrepare, 1>;
    case 2:
      return &prepare_with_slot<kPrepare, 2>;
    default:
      return &prepare_with_slot<kPrepare, 3>;
  }
}

}  // namespace eir::fast
