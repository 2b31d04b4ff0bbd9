// Builtin operator codes, numbered exactly as TFLite's BuiltinOperator enum so that model files
// map one-to-one. Only the codes eir refers to by name are listed; builtin_op_name() knows all.
#pragma once

namespace eir {

enum class BuiltinOp : int {
  kAdd = 0,
  kAveragePool2D = 1,
  kConcatenation = 2,
  kConv2D = 3,
  kDepthwiseConv2D = 4,
  kDepthToSpace = 5,
  kDequantize = 6,
  kFloor = 8,
  kFullyConnected = 9,
  kL2Normalization = 11,
  kLogistic = 14,
  kMaxPool2D = 17,
  kMul = 18,
  kRelu = 19,
  kReluN1To1 = 20,
  kRelu6 = 21,
  kReshape = 22,
  kResizeBilinear = 23,
  kSoftmax = 25,
  kSpaceToDepth = 26,
  kSvdf = 27,
  kTanh = 28,
  kCall = 31,
  kCustom = 32,
  kPad = 34,
  kGather = 36,
  kBatchToSpaceNd = 37,
  kSpaceToBatchNd = 38,
  kTranspose = 39,
  kMean = 40,
  kSub = 41,
  kDiv = 42,
  kSqueeze = 43,
  kUnidirectionalSequenceLstm = 44,
  kStridedSlice = 45,
  kExp = 47,
  kSplit = 49,
  kCast = 53,
  kPrelu = 54,
  kMaximum = 55,
  kArgMax = 56,
  kMinimum = 57,
  kNeg = 59,
  kPadV2 = 60,
  kSlice = 65,
  kTransposeConv = 67,
  kExpandDims = 70,
  kSum = 74,
  kSqrt = 75,
  kRsqrt = 76,
  kShape = 77,
  kArgMin = 79,
  kReduceMax = 82,
  kPack = 83,
  kUnpack = 88,
  kFloorDiv = 90,
  kSquare = 92,
  kFloorMod = 95,
  kResizeNearestNeighbor = 97,
  kLeakyRelu = 98,
  kSquaredDifference = 99,
  kAbs = 101,
  kCeil = 104,
  kGatherNd = 107,
  kQuantize = 114,
  kHardSwish = 117,
  kIf = 118,
  kWhile = 119,
  kDensify = 124,
  kBatchMatmul = 126,
  kPlaceholderForGreaterOpCodes = 127,
  kCallOnce = 129,

  // eir-internal ops, created by graph passes. Negative, so no model file can name them (the
  // verifier refuses negative builtin codes).
  kFusedElementwise = -1,  // FusedElementwiseParams: a chain of float32 elementwise ops
};

// "CONV_2D"; "FUSED_ELEMENTWISE" for the internal ops; "BUILTIN_UNKNOWN" for codes this build does
// not know.
const char* builtin_op_name(int code);

inline bool is_op(int code, BuiltinOp op) { return code == static_cast<int>(op); }

}  // namespace eir
