#include "kernels/reference/reference_kernels.h"

namespace eir {

void register_reference_kernels(KernelRegistry& registry) {
  register_float_spatial_kernels(registry);
  register_float_misc_kernels(registry);
  register_quantized_kernels(registry);
  register_sequence_kernels(registry);
}

}  // namespace eir
