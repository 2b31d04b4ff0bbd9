#include "kernels/reference/reference_kernels.h"

namespace eir {

void register_sequence_kernels(KernelRegistry& registry) {
  (void)registry;  // kernels are added here as they are written
}

}  // namespace eir
