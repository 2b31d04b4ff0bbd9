#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

extern "C" EIR_DECLARE_QS8_RSUM_UKERNEL(eir_qs8_rsum_ukernel__scalar) {
  for (size_t r = 0; r < rows; ++r) {
    const uint8_t* row = a + r * a_stride;
    uint32_t s = 0;
    for (size_t i = 0; i < k; ++i) s += static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(row[i] ^ a_xor)));
    out[r] = static_cast<int32_t>(static_cast<uint32_t>(scale) * s);
  }
}
