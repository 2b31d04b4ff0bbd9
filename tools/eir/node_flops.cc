#include "tools/eir/node_flops.h"

#include "runtime/graph/ops.h"

namespace eir::cli {

double node_flops(const Node& node, const std::vector<Tensor>& tensors) {
  if (node.outputs.empty()) return 0;
  const Tensor& out = tensors[static_cast<size_t>(node.outputs[0])];
  double out_elems = static_cast<double>(out.num_elements());
  auto input = [&](size_t i) -> const Tensor* {
    if (i >= node.inputs.size() || node.inputs[i] < 0) return nullptr;
    return &tensors[static_cast<size_t>(node.inputs[i])];
  };
  switch (static_cast<BuiltinOp>(node.op)) {
    case BuiltinOp::kConv2D: {
      const Tensor* w = input(1);
      if (!w || w->rank() != 4) return 0;
      return 2.0 * out_elems * w->dim(1) * w->dim(2) * w->dim(3);
    }
    case BuiltinOp::kDepthwiseConv2D: {
      const Tensor* w = input(1);
      if (!w || w->rank() != 4) return 0;
      return 2.0 * out_elems * w->dim(1) * w->dim(2);
    }
    case BuiltinOp::kFullyConnected: {
      const Tensor* w = input(1);
      if (!w || w->rank() != 2) return 0;
      return 2.0 * out_elems * w->dim(1);
    }
    case BuiltinOp::kTransposeConv: {
      const Tensor* w = input(1);
      const Tensor* x = input(2);
      if (!w || !x || w->rank() != 4) return 0;
      return 2.0 * static_cast<double>(x->num_elements()) * w->dim(0) * w->dim(1) * w->dim(2);
    }
    case BuiltinOp::kCustom:
      if (node.custom_name == "Convolution2DTransposeBias") {
        const Tensor* x = input(0);
        const Tensor* w = input(1);
        if (!w || !x || w->rank() != 4) return 0;
        return 2.0 * static_cast<double>(x->num_elements()) * w->dim(0) * w->dim(1) * w->dim(2);
      }
      return 0;
    case BuiltinOp::kAveragePool2D:
    case BuiltinOp::kMaxPool2D: {
      const auto* p = node.params_as<PoolParams>();
      return p ? out_elems * p->filter_w * p->filter_h : 0;
    }
    default:
      return out_elems;
  }
}

}  // namespace eir::cli
