// OpTester: runs one kernel on hand-built tensors, outside any model, for unit tests.
//
//   OpTester t(BuiltinOp::kAdd);
//   int a = t.add_input(DType::kF32, {2}, std::vector<float>{1, 2});
//   int b = t.add_constant(DType::kF32, {2}, std::vector<float>{3, 4});
//   int y = t.add_output(DType::kF32);
//   t.node().params = ActivationParams{};
//   REQUIRE(t.run(kernel).ok());
//   CHECK(t.output_values<float>(y) == std::vector<float>{4, 6});
#pragma once

#include <cstring>
#include <memory>
#include <vector>

#include "runtime/executor/kernel.h"
#include "runtime/executor/thread_pool.h"

namespace eir::testing {

class OpTester {
 public:
  explicit OpTester(BuiltinOp op, int version = 1) {
    node_.op = static_cast<int>(op);
    node_.version = version;
  }
  OpTester(const std::string& custom_name, int version = 1) {
    node_.op = static_cast<int>(BuiltinOp::kCustom);
    node_.custom_name = custom_name;
    node_.version = version;
  }

  Node& node() { return node_; }
  std::vector<Tensor>& tensors() { return tensors_; }
  Tensor& tensor(int index) { return tensors_[static_cast<size_t>(index)]; }

  // A non-constant input whose values are set before run. Returns the tensor index.
  template <class T>
  int add_input(DType dtype, Shape shape, const std::vector<T>& values, QuantParams quant = {}) {
    int idx = add_tensor(dtype, std::move(shape), quant, TensorKind::kActivation, values.data(), values.size() * sizeof(T));
    node_.inputs.push_back(idx);
    return idx;
  }
  // A constant input (weights, shape tensors).
  template <class T>
  int add_constant(DType dtype, Shape shape, const std::vector<T>& values, QuantParams quant = {}) {
    int idx = add_tensor(dtype, std::move(shape), quant, TensorKind::kConstant, values.data(), values.size() * sizeof(T));
    node_.inputs.push_back(idx);
    return idx;
  }
  void add_absent_input() { node_.inputs.push_back(-1); }
  // An output; its shape is computed by the kernel's prepare.
  int add_output(DType dtype, QuantParams quant = {}) {
    int idx = add_tensor(dtype, {}, quant, TensorKind::kActivation, nullptr, 0);
    node_.outputs.push_back(idx);
    return idx;
  }

  // pack (if the kernel has the hook, as at model load), prepare, allocate outputs and scratch,
  // run. threads > 1 exercises the parallel split.
  Status run(const Kernel& kernel, int threads = 1) {
    KernelContext ctx(node_, 0, tensors_);
    if (kernel.pack != nullptr) {
      auto packed = kernel.pack(node_, tensors_);
      if (!packed.ok()) return packed.status();
      packed_ = std::move(packed).value();
    }
    ctx.set_packed(packed_.get());
    ctx.bind(KernelPhase::kPrepare, &state_, nullptr, nullptr);
    EIR_RETURN_IF_ERROR(kernel.prepare(ctx));
    for (int o : node_.outputs) {
      Tensor& t = tensors_[static_cast<size_t>(o)];
      if (t.kind == TensorKind::kConstant) continue;
      buffers_.push_back(std::make_shared<OwnedBuffer>(t.bytes() + 64));
      std::memset(buffers_.back()->data(), 0xCD, t.bytes() + 64);  // poison: catches unwritten outputs
      t.data = buffers_.back()->data();
    }
    scratch_ = std::make_shared<OwnedBuffer>(ctx.scratch_bytes() + 64);
    ThreadPool pool(threads);
    ctx.bind(KernelPhase::kRun, &state_, scratch_->data(), &pool);
    return kernel.run(ctx);
  }

  template <class T>
  std::vector<T> output_values(int index) const {
    const Tensor& t = tensors_[static_cast<size_t>(index)];
    const T* p = reinterpret_cast<const T*>(t.data);
    return std::vector<T>(p, p + t.num_elements());
  }
  const Shape& shape(int index) const { return tensors_[static_cast<size_t>(index)].shape; }

 private:
  int add_tensor(DType dtype, Shape shape, QuantParams quant, TensorKind kind, const void* src, size_t bytes) {
    Tensor t;
    t.name = "t" + std::to_string(tensors_.size());
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.quant = std::move(quant);
    t.kind = kind;
    if (src) {
      auto buf = std::make_shared<OwnedBuffer>(bytes + 64);
      std::memcpy(buf->data(), src, bytes);
      t.data = buf->data();
      t.owned = buf;
    }
    tensors_.push_back(std::move(t));
    return static_cast<int>(tensors_.size()) - 1;
  }

  Node node_;
  std::vector<Tensor> tensors_;
  std::unique_ptr<KernelState> state_;
  std::shared_ptr<const PackedWeights> packed_;
  std::vector<std::shared_ptr<OwnedBuffer>> buffers_;
  std::shared_ptr<OwnedBuffer> scratch_;
};

// Per-tensor quantization parameters (one scale, one zero point) for test tensors.
inline QuantParams qp(float scale, int32_t zero_point) {
  QuantParams q;
  q.scales = {scale};
  q.zero_points = {zero_point};
  return q;
}

}  // namespace eir::testing
