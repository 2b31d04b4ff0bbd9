// libFuzzer target: arbitrary bytes -> verify + import + load-time optimization + shape inference
// (eir::Model::load_buffer) -> memory planning (eir::Session::create). Every input must either
// load or be refused with an error; crashes, sanitizer reports, leaks and hangs are findings.
#include <cstddef>
#include <cstdint>

#include "eir/eir.hpp"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eir_fuzz::ExactCopy bytes(data, size);
  auto model = eir::Model::load_buffer(bytes.data(), bytes.size());
  if (!model.ok()) return 0;
  eir::SessionOptions options;
  options.max_arena_bytes = size_t{256} << 20;  // planning is exercised; allocation stays bounded
  options.max_tensor_bytes = size_t{128} << 20;
  auto session = eir::Session::create(*model, options);
  (void)session;
  return 0;
}
