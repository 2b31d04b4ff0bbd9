#include "delegates/api/delegate.h"

#if defined(EIR_WITH_XNNPACK)
#include "delegates/xnnpack/xnnpack_delegate.h"
#endif

namespace eir {

Result<std::unique_ptr<Delegate>> create_delegate(const std::string& name) {
  if (name == "cpu") return std::unique_ptr<Delegate>();
#if defined(EIR_WITH_XNNPACK)
  if (name == "xnnpack") return make_xnnpack_delegate();
#endif
  std::string known;
  for (const std::string& d : available_delegates()) known += " " + d;
  return unsupported("delegate '", name, "' is not available in this build (available:", known, ")");
}

std::vector<std::string> available_delegates() {
  std::vector<std::string> names = {"cpu"};
#if defined(EIR_WITH_XNNPACK)
  names.push_back("xnnpack");
#endif
  return names;
}

}  // namespace eir
