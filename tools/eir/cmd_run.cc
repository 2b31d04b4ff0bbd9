// eir run MODEL --inputs DIR --outputs DIR: one inference on .npy tensors.
#include <cstdio>
#include <cstring>

#include "eir/eir.hpp"
#include "tools/common/npy.h"
#include "tools/eir/commands.h"

namespace eir::cli {

namespace {

Status run_model(const std::string& model_path, const std::string& in_dir, const std::string& out_dir, int threads) {
  EIR_ASSIGN_OR_RETURN(Model model, Model::load_file(model_path));
  SessionOptions options;
  options.num_threads = threads;
  EIR_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::create(model, options));
  for (int i = 0; i < session->num_inputs(); ++i) {
    std::string path = in_dir + "/input_" + std::to_string(i) + ".npy";
    EIR_ASSIGN_OR_RETURN(NpyArray a, read_npy(path));
    const TensorInfo& info = model.input_info(i);
    if (a.dtype != info.dtype)
      return invalid_argument(path, ": dtype ", dtype_name(a.dtype), " does not match model input ", i, " '", info.name,
                              "' of dtype ", dtype_name(info.dtype));
    if (a.shape != session->input(i).shape) EIR_RETURN_IF_ERROR(session->resize_input(i, a.shape));
    EIR_ASSIGN_OR_RETURN(TensorView view, session->input_checked(i));
    if (view.bytes != a.data.size())
      return invalid_argument(path, ": ", a.data.size(), " bytes but input ", i, " needs ", view.bytes);
    std::memcpy(view.data, a.data.data(), a.data.size());
  }
  EIR_RETURN_IF_ERROR(session->run());
  for (int j = 0; j < session->num_outputs(); ++j) {
    EIR_ASSIGN_OR_RETURN(TensorView view, session->output_checked(j));
    std::string path = out_dir + "/output_" + std::to_string(j) + ".npy";
    EIR_RETURN_IF_ERROR(write_npy(path, view.info->dtype, view.shape, view.data, view.bytes));
  }
  std::printf("ran %s: %d inputs, %d outputs written to %s\n", model_path.c_str(), session->num_inputs(),
              session->num_outputs(), out_dir.c_str());
  return Status::Ok();
}

}  // namespace

int cmd_run(const Args& args) {
  std::string model = first_positional(args, {"--inputs", "--outputs", "--threads"});
  std::string in_dir, out_dir, threads = "1";
  if (model.empty() || !flag_value(args, "--inputs", &in_dir) || !flag_value(args, "--outputs", &out_dir)) {
    std::fprintf(stderr, "usage: eir run MODEL --inputs DIR --outputs DIR [--threads N]\n");
    return 2;
  }
  flag_value(args, "--threads", &threads);
  Status s = run_model(model, in_dir, out_dir, std::atoi(threads.c_str()));
  if (!s.ok()) {
    std::fprintf(stderr, "eir run: %s\n", s.to_string().c_str());
    return 1;
  }
  return 0;
}

}  // namespace eir::cli
