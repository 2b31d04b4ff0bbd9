// The C API (include/eir/eir.h) over the C++ API. No exception or abort crosses this boundary.
#include "eir/eir.h"

#include <cstring>
#include <exception>
#include <memory>
#include <string>

#include "eir/eir.hpp"

struct eir_model {
  eir::Model model;
};

struct eir_session {
  std::unique_ptr<eir::Session> session;
  eir::Model model;  // keeps the model alive while the session exists
};

namespace {

thread_local std::string g_last_error;

eir_status fail(const eir::Status& s) {
  g_last_error = s.to_string();
  switch (s.code()) {
    case eir::StatusCode::kOk: return EIR_OK;
    case eir::StatusCode::kInvalidArgument: return EIR_INVALID_ARGUMENT;
    case eir::StatusCode::kInvalidModel: return EIR_INVALID_MODEL;
    case eir::StatusCode::kUnsupported: return EIR_UNSUPPORTED;
    case eir::StatusCode::kResourceExhausted: return EIR_RESOURCE_EXHAUSTED;
    case eir::StatusCode::kFailedPrecondition: return EIR_FAILED_PRECONDITION;
    case eir::StatusCode::kIoError: return EIR_IO_ERROR;
    case eir::StatusCode::kInternal: return EIR_INTERNAL;
  }
  return EIR_INTERNAL;
}

eir_status fail_arg(const std::string& message) { return fail(eir::invalid_argument(message)); }

// Runs fn, converting any escaping C++ exception (e.g. std::bad_alloc) into an error status.
template <class Fn>
eir_status guarded(Fn&& fn) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return fail(eir::resource_exhausted("out of memory"));
  } catch (const std::exception& e) {
    return fail(eir::internal_error("unexpected exception: ", e.what()));
  } catch (...) {
    return fail(eir::internal_error("unexpected exception"));
  }
}

void fill_info(const eir::TensorInfo& info, const std::vector<int32_t>& shape, void* data, size_t bytes,
               eir_tensor_info* out) {
  std::memset(out, 0, sizeof(*out));
  out->name = info.name.c_str();
  out->dtype = static_cast<eir_dtype>(info.dtype);
  out->rank = static_cast<int32_t>(shape.size() > EIR_MAX_RANK ? EIR_MAX_RANK : shape.size());
  for (int32_t i = 0; i < out->rank; ++i) out->dims[i] = shape[static_cast<size_t>(i)];
  out->data = data;
  out->bytes = bytes;
  out->num_scales = static_cast<int32_t>(info.quant.scales.size());
  out->scales = info.quant.scales.empty() ? nullptr : info.quant.scales.data();
  out->zero_points = info.quant.zero_points.empty() ? nullptr : info.quant.zero_points.data();
  out->quantized_axis = info.quant.axis;
}

eir_status load(eir::Result<eir::Model> result, eir_model** out) {
  if (!result.ok()) return fail(result.status());
  *out = new eir_model{std::move(result).value()};
  return EIR_OK;
}

}  // namespace

extern "C" {

const char* eir_version(void) { return eir::version(); }
const char* eir_last_error(void) { return g_last_error.c_str(); }

eir_status eir_model_load_file(const char* path, eir_model** out_model) {
  if (path == nullptr) return fail_arg("eir_model_load_file: path is NULL");
  if (out_model == nullptr) return fail_arg("eir_model_load_file: out_model is NULL");
  *out_model = nullptr;
  return guarded([&] { return load(eir::Model::load_file(path), out_model); });
}

eir_status eir_model_load_buffer(const void* data, size_t size, int copy, eir_model** out_model) {
  if (out_model == nullptr) return fail_arg("eir_model_load_buffer: out_model is NULL");
  *out_model = nullptr;
  if (data == nullptr) return fail_arg("eir_model_load_buffer: data is NULL");
  eir::LoadOptions options;
  options.copy_buffer = copy != 0;
  return guarded([&] { return load(eir::Model::load_buffer(data, size, options), out_model); });
}

void eir_model_release(eir_model* model) { delete model; }

int32_t eir_model_num_inputs(const eir_model* model) { return model ? model->model.num_inputs() : 0; }
int32_t eir_model_num_outputs(const eir_model* model) { return model ? model->model.num_outputs() : 0; }

eir_status eir_model_input_info(const eir_model* model, int32_t index, eir_tensor_info* out) {
  if (model == nullptr) return fail_arg("eir_model_input_info: model is NULL");
  if (out == nullptr) return fail_arg("eir_model_input_info: out is NULL");
  if (index < 0 || index >= model->model.num_inputs())
    return fail_arg("input index " + std::to_string(index) + " out of range (model has " +
                    std::to_string(model->model.num_inputs()) + " inputs)");
  const eir::TensorInfo& info = model->model.input_info(index);
  fill_info(info, info.shape, nullptr, 0, out);
  return EIR_OK;
}

eir_status eir_model_output_info(const eir_model* model, int32_t index, eir_tensor_info* out) {
  if (model == nullptr) return fail_arg("eir_model_output_info: model is NULL");
  if (out == nullptr) return fail_arg("eir_model_output_info: out is NULL");
  if (index < 0 || index >= model->model.num_outputs())
    return fail_arg("output index " + std::to_string(index) + " out of range (model has " +
                    std::to_string(model->model.num_outputs()) + " outputs)");
  const eir::TensorInfo& info = model->model.output_info(index);
  fill_info(info, info.shape, nullptr, 0, out);
  return EIR_OK;
}

eir_session_options eir_session_options_default(void) {
  eir_session_options o;
  std::memset(&o, 0, sizeof(o));
  o.struct_size = sizeof(o);
  o.num_threads = 1;
  return o;
}

eir_status eir_session_create(const eir_model* model, const eir_session_options* options, eir_session** out_session) {
  if (model == nullptr) return fail_arg("eir_session_create: model is NULL");
  if (out_session == nullptr) return fail_arg("eir_session_create: out_session is NULL");
  *out_session = nullptr;
  eir::SessionOptions so;
  if (options != nullptr) {
    if (options->struct_size < sizeof(eir_session_options))
      return fail_arg("eir_session_create: options.struct_size " + std::to_string(options->struct_size) +
                      " is smaller than this library's " + std::to_string(sizeof(eir_session_options)));
    so.num_threads = options->num_threads;
    so.max_arena_bytes = options->max_arena_bytes;
    so.max_tensor_bytes = options->max_tensor_bytes;
    if (options->delegate != nullptr) so.delegates.push_back(options->delegate);
  }
  return guarded([&] {
    auto session = eir::Session::create(model->model, so);
    if (!session.ok()) return fail(session.status());
    *out_session = new eir_session{std::move(session).value(), model->model};
    return EIR_OK;
  });
}

void eir_session_release(eir_session* session) { delete session; }

int32_t eir_session_num_inputs(const eir_session* session) { return session ? session->session->num_inputs() : 0; }
int32_t eir_session_num_outputs(const eir_session* session) { return session ? session->session->num_outputs() : 0; }

eir_status eir_session_input(eir_session* session, int32_t index, eir_tensor_info* out) {
  if (session == nullptr) return fail_arg("eir_session_input: session is NULL");
  if (out == nullptr) return fail_arg("eir_session_input: out is NULL");
  return guarded([&] {
    auto v = session->session->input_checked(index);
    if (!v.ok()) return fail(v.status());
    fill_info(*v->info, v->shape, v->data, v->bytes, out);
    return EIR_OK;
  });
}

eir_status eir_session_output(eir_session* session, int32_t index, eir_tensor_info* out) {
  if (session == nullptr) return fail_arg("eir_session_output: session is NULL");
  if (out == nullptr) return fail_arg("eir_session_output: out is NULL");
  return guarded([&] {
    auto v = session->session->output_checked(index);
    if (!v.ok()) return fail(v.status());
    fill_info(*v->info, v->shape, v->data, v->bytes, out);
    return EIR_OK;
  });
}

eir_status eir_session_resize_input(eir_session* session, int32_t index, const int32_t* dims, int32_t rank) {
  if (session == nullptr) return fail_arg("eir_session_resize_input: session is NULL");
  if (rank < 0 || rank > EIR_MAX_RANK) return fail_arg("eir_session_resize_input: rank " + std::to_string(rank) + " not in [0, 8]");
  if (rank > 0 && dims == nullptr) return fail_arg("eir_session_resize_input: dims is NULL");
  std::vector<int32_t> shape(dims, dims + rank);
  return guarded([&] {
    eir::Status s = session->session->resize_input(index, shape);
    return s.ok() ? EIR_OK : fail(s);
  });
}

eir_status eir_session_run(eir_session* session) {
  if (session == nullptr) return fail_arg("eir_session_run: session is NULL");
  return guarded([&] {
    eir::Status s = session->session->run();
    return s.ok() ? EIR_OK : fail(s);
  });
}

size_t eir_session_arena_bytes(const eir_session* session) { return session ? session->session->arena_bytes() : 0; }

}  // extern "C"
