// The public C++ API (include/eir/eir.hpp): thin, validating wrappers over ModelImpl/SessionImpl.
#include "eir/eir.hpp"

#include "delegates/api/delegate.h"
#include "runtime/core/memory_budget.h"
#include "runtime/executor/model_impl.h"
#include "runtime/executor/session_impl.h"

namespace eir {

const char* version() { return "0.1.0"; }

class ModelFactory {
 public:
  static Model make(std::shared_ptr<const ModelImpl> impl) { return Model(std::move(impl)); }
};

namespace {
Result<Model> load(Result<std::shared_ptr<ModelData>> data, const LoadOptions& options) {
  if (!data.ok()) return data.status();
  EIR_ASSIGN_OR_RETURN(std::shared_ptr<const ModelImpl> impl, ModelImpl::load(std::move(data).value(), options));
  return ModelFactory::make(std::move(impl));
}
}  // namespace

Result<Model> Model::load_file(const std::string& path, const LoadOptions& options) {
  return load(ModelData::map_file(path), options);
}

Result<Model> Model::load_buffer(const void* data, size_t size, const LoadOptions& options) {
  if (options.copy_buffer) {
    // Checked before copying; ModelImpl::load counts the copy against the same budget.
    EIR_RETURN_IF_ERROR(MemoryBudget(options.max_memory_bytes).take(size, "the copy of the model buffer"));
    return load(ModelData::copy(data, size), options);
  }
  return load(ModelData::borrow(data, size), options);
}

int Model::num_inputs() const { return static_cast<int>(impl_->input_infos().size()); }
int Model::num_outputs() const { return static_cast<int>(impl_->output_infos().size()); }
int Model::num_nodes() const { return static_cast<int>(impl_->graph().nodes.size()); }

const TensorInfo& Model::input_info(int index) const {
  static const TensorInfo kEmpty;
  if (index < 0 || index >= num_inputs()) return kEmpty;
  return impl_->input_infos()[static_cast<size_t>(index)];
}

const TensorInfo& Model::output_info(int index) const {
  static const TensorInfo kEmpty;
  if (index < 0 || index >= num_outputs()) return kEmpty;
  return impl_->output_infos()[static_cast<size_t>(index)];
}

Session::Session(std::unique_ptr<SessionImpl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

Result<std::unique_ptr<Session>> Session::create(const Model& model, const SessionOptions& options) {
  if (!model.impl()) return invalid_argument("Session::create: the model is empty");
  if (options.num_threads < 1 || options.num_threads > 256)
    return invalid_argument("SessionOptions.num_threads must be in [1, 256], got ", options.num_threads);
  for (const std::string& d : options.delegates) EIR_RETURN_IF_ERROR(create_delegate(d).status());
  auto impl = std::make_unique<SessionImpl>(model.impl(), options);
  EIR_RETURN_IF_ERROR(impl->prepare());
  return std::unique_ptr<Session>(new Session(std::move(impl)));
}

int Session::num_inputs() const { return static_cast<int>(impl_->input_infos().size()); }
int Session::num_outputs() const { return static_cast<int>(impl_->output_infos().size()); }

Result<TensorView> Session::input_checked(int index) {
  if (index < 0 || index >= num_inputs())
    return invalid_argument("input index ", index, " is out of range (model has ", num_inputs(), " inputs)");
  return impl_->view(impl_->model().graph().inputs[static_cast<size_t>(index)],
                     &impl_->input_infos()[static_cast<size_t>(index)]);
}

Result<TensorView> Session::output_checked(int index) {
  if (index < 0 || index >= num_outputs())
    return invalid_argument("output index ", index, " is out of range (model has ", num_outputs(), " outputs)");
  return impl_->view(impl_->model().graph().outputs[static_cast<size_t>(index)],
                     &impl_->output_infos()[static_cast<size_t>(index)]);
}

TensorView Session::input(int index) {
  auto v = input_checked(index);
  return v.ok() ? v.value() : TensorView{};
}

TensorView Session::output(int index) {
  auto v = output_checked(index);
  return v.ok() ? v.value() : TensorView{};
}

Status Session::resize_input(int index, const std::vector<int32_t>& shape) { return impl_->resize_input(index, shape); }
Status Session::prepare() { return impl_->prepare(); }
Status Session::run() { return impl_->run(); }
size_t Session::arena_bytes() const { return impl_->arena_bytes(); }
size_t Session::activation_bytes_unplanned() const { return impl_->unplanned_bytes(); }
const std::vector<double>& Session::node_times_us() const { return impl_->node_times_us(); }

}  // namespace eir
