// f32 elementwise-chain microkernels: a short program of elementwise steps applied to each
// element, the running value kept in registers (FUSED_ELEMENTWISE, kernels/fast/
// fused_elementwise_f32.cc).
//
//   v = x[i]; for each step k: v = op_k(v, operand_k[i] or *operand_k); y[i] = v
//
// Steps (EIR_F32_VCHAIN_*), each computing exactly what the one-op microkernel of the same name
// computes (f32-vbinary.h, f32-vunary.h), so a chain gives the results of its ops run one by one:
//   ADD, SUB, RSUB, MUL: clamp(v op b, min, max) (RSUB: b - v), as the vbinary kernels;
//   PRELU:   v < 0 ? v * b : v, as the prelu kernel;
//   CLAMP:   clamp(v, min, max), as vclamp (RELU, RELU6, RELU_N1_TO_1);
//   SIGMOID, HSWISH: as vsigmoid, vhswish.
// The operand of a binary step is either a vector (operand[k][i], as many elements as x) or a
// scalar (operand[k][0]). n >= 1; 1 <= num_steps <= EIR_F32_VCHAIN_MAX_STEPS; y may alias x or
// any vector operand (every element is read before it is written).
//
// One file per ISA; "x<n>" is the elements one main-loop step keeps in registers.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

enum {
  EIR_F32_VCHAIN_ADD = 0,
  EIR_F32_VCHAIN_SUB = 1,
  EIR_F32_VCHAIN_RSUB = 2,
  EIR_F32_VCHAIN_MUL = 3,
  EIR_F32_VCHAIN_PRELU = 4,
  EIR_F32_VCHAIN_CLAMP = 5,
  EIR_F32_VCHAIN_SIGMOID = 6,
  EIR_F32_VCHAIN_HSWISH = 7,
};

#define EIR_F32_VCHAIN_MAX_STEPS 16

typedef struct eir_f32_vchain_step {
  uint32_t op;             // EIR_F32_VCHAIN_*
  uint32_t scalar_operand;  // binary steps: 1 = operand[k][0] for every element, 0 = a vector
  float min, max;          // ADD, SUB, RSUB, MUL, CLAMP
} eir_f32_vchain_step;

typedef void (*eir_f32_vchain_ukernel_fn)(size_t n, const float* x, const float* const* operands, float* y,
                                          const eir_f32_vchain_step* steps, size_t num_steps);

#define EIR_DECLARE_F32_VCHAIN_UKERNEL(name)                                                          \
  void name(size_t n, const float* x, const float* const* operands, float* y, const eir_f32_vchain_step* steps, \
            size_t num_steps)

EIR_DECLARE_F32_VCHAIN_UKERNEL(eir_f32_vchain_ukernel_x4__scalar);

#if defined(__x86_64__) || defined(_M_X64)
EIR_DECLARE_F32_VCHAIN_UKERNEL(eir_f32_vchain_ukernel_x64__avx2);
EIR_DECLARE_F32_VCHAIN_UKERNEL(eir_f32_vchain_ukernel_x128__avx512f);
#endif

#if defined(__aarch64__)
EIR_DECLARE_F32_VCHAIN_UKERNEL(eir_f32_vchain_ukernel_x32__neon);
#endif

}  // extern "C"
