// XNNPACK delegate (Debian's libXNNPACK, 2022 subgraph API): runs fp32 convolutions, fully connected,
// pooling, elementwise and activation nodes through XNNPACK. It is both a user option
// (SessionOptions.delegates = {"xnnpack"}) and the in-process speed peer `eir bench --compare` uses.
#pragma once

#include <memory>

#include "delegates/api/delegate.h"

namespace eir {

std::unique_ptr<Delegate> make_xnnpack_delegate();

}  // namespace eir
