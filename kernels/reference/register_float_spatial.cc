#include "kernels/reference/reference_kernels.h"

namespace eir {

void register_float_spatial_kernels(KernelRegistry& registry) {
  (void)registry;  // kernels are added here as they are written
}

}  // namespace eir
