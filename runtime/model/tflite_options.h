// Parsing and validation of TFLite operator options (builtin options tables and the custom
// options of the custom ops eir implements) into eir's parsed parameter structs
// (runtime/graph/op_params.h). Called by the importer once per operator, after the FlatBuffers
// verifier accepted the file, so every table pointer here is in bounds; the values inside are
// still untrusted and are validated here.
#pragma once

#include <string>

#include "runtime/core/status.h"
#include "runtime/graph/graph.h"

namespace tflite {
struct Operator;
}

namespace eir {

// Fills node->params from `op`'s options for the operator `builtin_code` (TFLite numbering;
// BuiltinOp::kCustom for custom ops, then `custom_name` selects the parser) and copies the op's
// custom_options bytes into node->custom_options. If the op has no custom_options vector,
// node->custom_options is left as the caller set it (the importer may have read options stored
// outside the FlatBuffer of a >2 GB model).
//
// Follows TFLite's tolerance: most ops may omit their options table and get TFLite's defaults
// (TFLite zero-initialises its params structs, so e.g. a SOFTMAX without options has beta 0);
// ops for which those zero defaults cannot work (CONV_2D, pools, SPLIT, SVDF, ...) require the
// table. An options table of the wrong union type, unknown enum values, non-positive strides,
// non-finite floats and malformed custom options are refused with invalid_model. Ops eir has no
// params struct for keep std::monostate.
Status parse_operator_options(const tflite::Operator* op, int builtin_code, const std::string& custom_name,
                              Node* node);

// Name of a BuiltinOptions union type code: "Conv2DOptions", "NONE" for 0, "UNKNOWN" if the code
// is beyond the schema this build knows.
const char* builtin_options_type_name(int type);

}  // namespace eir
