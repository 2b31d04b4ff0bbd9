// Row sums: bytes XORed into the unsigned encoding a + 128, pairwise-added into 16-bit then
// 32-bit lanes (UADDLP / UADALP); the 128 * K offset is removed at the end.
#include <arm_neon.h>

#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

extern "C" EIR_DECLARE_QS8_RSUM_UKERNEL(eir_qs8_rsum_ukernel__neon) {
  const uint8x16_t vxor = vdupq_n_u8(static_cast<uint8_t>(a_xor ^ 0x80));
  const size_t k16 = k & ~size_t{15}, rem = k & 15;
  const uint32_t offset = static_cast<uint32_t>(128 * k);
  for (size_t r = 0; r < rows; ++r) {
    const uint8_t* row = a + r * a_stride;
    uint32x4_t acc = vdupq_n_u32(0);
    for (size_t i = 0; i < k16; i += 16) acc = vpadalq_u16(acc, vpaddlq_u8(veorq_u8(vld1q_u8(row + i), vxor)));
    uint32_t s = vaddvq_u32(acc);
    for (size_t i = 0; i < rem; ++i) s += static_cast<uint8_t>(row[k16 + i] ^ a_xor ^ 0x80);
    out[r] = static_cast<int32_t>(static_cast<uint32_t>(scale) * (s - offset));
  }
}
