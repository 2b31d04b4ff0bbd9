// One node run through one kernel the way a session runs it: supports / pack / prepare once, then
// run per benchmark iteration. The driver benchmarks (f32 / qs8 GEMM and depthwise) add their
// tensors, set the node, call prepare(), point the output at memory and time run().
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "runtime/executor/kernel.h"
#include "runtime/executor/thread_pool.h"

namespace eir::bench {

struct NodeHarness {
  std::vector<Tensor> tensors;
  Node node;
  Kernel kernel;
  std::shared_ptr<const PackedWeights> packed;
  std::unique_ptr<KernelState> state;
  std::unique_ptr<OwnedBuffer> scratch;

  // Appends a tensor over `data` (caller-owned; null for the output) and returns its index.
  int add(DType dtype, Shape shape, void* data, TensorKind kind, QuantParams quant = {}) {
    Tensor t;
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.kind = kind;
    t.quant = std::move(quant);
    t.data = static_cast<uint8_t*>(data);
    tensors.push_back(std::move(t));
    return static_cast<int>(tensors.size()) - 1;
  }

  // False when the kernel declines the node or fails to pack / prepare it.
  bool prepare() {
    if (kernel.supports != nullptr && !kernel.supports(node, tensors)) return false;
    if (kernel.pack != nullptr) {
      auto pk = kernel.pack(node, tensors);
      if (!pk.ok()) return false;
      packed = std::move(pk).value();
    }
    KernelContext ctx(node, 0, tensors);
    ctx.set_packed(packed.get());
    ctx.bind(KernelPhase::kPrepare, &state, nullptr, nullptr);
    if (!kernel.prepare(ctx).ok()) return false;
    scratch = std::make_unique<OwnedBuffer>(ctx.scratch_bytes() + 64);
    return true;
  }

  void run(ThreadPool* pool) {
    KernelContext ctx(node, 0, tensors);
    ctx.set_packed(packed.get());
    ctx.bind(KernelPhase::kRun, &state, scratch->data(), pool);
    (void)kernel.run(ctx);
  }

  Tensor& output() { return tensors[static_cast<size_t>(node.outputs[0])]; }
};

}  // namespace eir::bench
