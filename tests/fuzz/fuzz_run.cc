// libFuzzer target: arbitrary bytes -> load -> one run with zero-filled inputs. Models whose
// arena or largest tensor exceeds a small limit are skipped (refused by SessionOptions) so that
// each execution stays fast; the kernels' own validation is what is being fuzzed here.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "eir/eir.hpp"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eir_fuzz::ExactCopy bytes(data, size);
  auto model = eir::Model::load_buffer(bytes.data(), bytes.size());
  if (!model.ok()) return 0;
  eir::SessionOptions options;
  options.max_arena_bytes = size_t{8} << 20;
  options.max_tensor_bytes = size_t{4} << 20;
  auto session = eir::Session::create(*model, options);
  if (!session.ok()) return 0;
  eir::Session& s = **session;
  for (int i = 0; i < s.num_inputs(); ++i) {
    eir::TensorView in = s.input(i);
    if (in.data != nullptr) std::memset(in.data, 0, in.bytes);
  }
  eir::Status status = s.run();
  if (status.ok()) {
    // Touch every output byte so ASan checks the views point at valid memory.
    volatile uint8_t sink = 0;
    for (int i = 0; i < s.num_outputs(); ++i) {
      eir::TensorView out = s.output(i);
      const auto* p = static_cast<const uint8_t*>(out.data);
      for (size_t k = 0; p != nullptr && k < out.bytes; ++k) sink ^= p[k];
    }
    (void)sink;
  }
  return 0;
}
