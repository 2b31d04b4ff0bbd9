// classify: image classification with eir (quantized or float MobileNet-style models).
//
//   classify [--expect LABEL] [--labels FILE] [--threads N] [MODEL] [IMAGE]
//
// Defaults: MODEL = ../shared/models/coral_mobilenet_v2_1.0_224_quant.tflite,
// IMAGE = ../shared/data/images/grace_hopper.bmp. Labels come from the model's metadata when it
// packs a label file, else from --labels, else ../shared/models/expected/labels/imagenet_labels.txt.
// Prints the top 5 classes with their (dequantized) scores. With --expect, exits 1 unless the top
// class is LABEL (77 when the model or image is missing: ctest's skip code).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include "eir/eir.hpp"
#include "image_io.h"
#include "labels.h"
#include "preprocess.h"

namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSkip = 77;
constexpr size_t kTopK = 5;

const std::string kSharedDir = EIR_SHARED_DIR;  // ../shared unless configured otherwise (CMake EIR_SHARED_DIR)

struct Args {
  std::string expect;
  std::string labels_path;
  int threads = 1;
  std::vector<std::string> positional;
};

bool file_exists(const std::string& path) { return std::ifstream(path, std::ios::binary).good(); }

void usage(std::ostream& os) {
  os << "usage: classify [--expect LABEL] [--labels FILE] [--threads N] [MODEL] [IMAGE]\n"
        "  (an empty argument \"\" takes the default)\n"
        "  MODEL  default " << kSharedDir << "/models/coral_mobilenet_v2_1.0_224_quant.tflite\n"
        "  IMAGE  default " << kSharedDir << "/data/images/grace_hopper.bmp\n"
        "  --expect LABEL  exit 1 unless the top-1 class is LABEL (77 if the model or image is missing)\n"
        "  --labels FILE   labels to use when the model has none (default: ImageNet labels in shared/)\n";
}

bool parse_args(int argc, char** argv, Args* args) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--expect" && i + 1 < argc) {
      args->expect = argv[++i];
    } else if (a == "--labels" && i + 1 < argc) {
      args->labels_path = argv[++i];
    } else if (a == "--threads" && i + 1 < argc) {
      args->threads = std::atoi(argv[++i]);
      if (args->threads < 1) return false;
    } else if (a == "-h" || a == "--help") {
      usage(std::cout);
      std::exit(0);
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "classify: unknown option '" << a << "'\n";
      return false;
    } else {
      args->positional.push_back(a);
    }
  }
  return args->positional.size() <= 2;
}

// Output scores as floats: quantized outputs are dequantized with the tensor's scale/zero point.
eir::Result<std::vector<float>> output_scores(const eir::TensorView& out) {
  const eir::DType dtype = out.info->dtype;
  const size_t size = eir::dtype_size(dtype);
  if (size == 0) return eir::unsupported("output is ", eir::dtype_name(dtype));
  const size_t n = out.bytes / size;
  const eir::QuantInfo& q = out.info->quant;
  const float scale = q.scales.empty() ? 1.0f : q.scales[0];
  const float zero_point = q.zero_points.empty() ? 0.0f : static_cast<float>(q.zero_points[0]);
  std::vector<float> scores(n);
  switch (dtype) {
    case eir::DType::kF32:
      std::copy(out.data_as<const float>(), out.data_as<const float>() + n, scores.begin());
      break;
    case eir::DType::kU8:
      for (size_t i = 0; i < n; ++i) scores[i] = (out.data_as<const uint8_t>()[i] - zero_point) * scale;
      break;
    case eir::DType::kI8:
      for (size_t i = 0; i < n; ++i) scores[i] = (out.data_as<const int8_t>()[i] - zero_point) * scale;
      break;
    case eir::DType::kI16:
      for (size_t i = 0; i < n; ++i) scores[i] = (out.data_as<const int16_t>()[i] - zero_point) * scale;
      break;
    default:
      return eir::unsupported("output is ", eir::dtype_name(dtype), "; expected float32, uint8, int8 or int16 scores");
  }
  return scores;
}

eir::Result<std::vector<std::string>> load_labels(const std::string& model_path, const std::string& labels_path,
                                                  std::string* source) {
  bool found = false;
  std::string model_note;
  EIR_ASSIGN_OR_RETURN(std::vector<std::string> labels, classify::labels_from_model(model_path, &found, &model_note));
  if (found && labels_path.empty()) {
    *source = model_note;
    return labels;
  }
  const std::string path =
      labels_path.empty() ? kSharedDir + "/models/expected/labels/imagenet_labels.txt" : labels_path;
  // Mention why the model's own labels were not used when it has some (e.g. compressed).
  *source = "'" + path + "'" + (labels_path.empty() && !model_note.empty() ? " (" + model_note + ")" : "");
  return classify::labels_from_file(path);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse_args(argc, argv, &args)) {
    usage(std::cerr);
    return kExitUsage;
  }
  // A missing or empty positional argument takes its default.
  auto arg = [&args](size_t i, const std::string& fallback) {
    return i < args.positional.size() && !args.positional[i].empty() ? args.positional[i] : fallback;
  };
  const std::string model_path = arg(0, kSharedDir + "/models/coral_mobilenet_v2_1.0_224_quant.tflite");
  const std::string image_path = arg(1, kSharedDir + "/data/images/grace_hopper.bmp");

  if (!args.expect.empty()) {
    for (const std::string& p : {model_path, image_path}) {
      if (!file_exists(p)) {
        std::printf("SKIP: '%s' not found (the shared/ data is not checked out)\n", p.c_str());
        return kExitSkip;
      }
    }
  }

  auto image = eir_examples::load_image(image_path);
  if (!image.ok()) {
    std::cerr << "classify: " << image.status().to_string() << "\n";
    return kExitError;
  }
  auto model = eir::Model::load_file(model_path);
  if (!model.ok()) {
    std::cerr << "classify: cannot load '" << model_path << "': " << model.status().to_string() << "\n";
    return kExitError;
  }
  if (model->num_inputs() != 1 || model->num_outputs() < 1) {
    std::cerr << "classify: '" << model_path << "' has " << model->num_inputs() << " inputs and "
              << model->num_outputs() << " outputs; expected one image input and a score output\n";
    return kExitError;
  }
  eir::SessionOptions options;
  options.num_threads = args.threads;
  auto session = eir::Session::create(*model, options);
  if (!session.ok()) {
    std::cerr << "classify: " << session.status().to_string() << "\n";
    return kExitError;
  }

  const eir::TensorView input = (*session)->input(0);
  std::printf("model: %s\nimage: %s (%dx%d)\n", model_path.c_str(), image_path.c_str(), image->width, image->height);
  std::printf("input: %s [", eir::dtype_name(input.info->dtype));
  for (size_t i = 0; i < input.shape.size(); ++i) std::printf("%s%d", i ? "," : "", input.shape[i]);
  std::printf("]\n");
  if (eir::Status s = classify::fill_image_input(*image, input); !s.ok()) {
    std::cerr << "classify: " << s.to_string() << "\n";
    return kExitError;
  }

  const auto start = std::chrono::steady_clock::now();
  if (eir::Status s = (*session)->run(); !s.ok()) {
    std::cerr << "classify: " << s.to_string() << "\n";
    return kExitError;
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  auto scores = output_scores((*session)->output(0));
  if (!scores.ok()) {
    std::cerr << "classify: " << scores.status().to_string() << "\n";
    return kExitError;
  }
  std::string label_source;
  auto labels = load_labels(model_path, args.labels_path, &label_source);
  if (!labels.ok()) {
    std::cerr << "classify: labels: " << labels.status().to_string() << "\n";
    return kExitError;
  }
  const std::string note = classify::align_labels(&*labels, scores->size());
  std::printf("labels: %s%s%s\n", label_source.c_str(), note.empty() ? "" : "; ", note.c_str());
  std::printf("inference: %.2f ms\n", ms);

  // Top-k by score; ties keep the lower class index first.
  std::vector<size_t> order(scores->size());
  std::iota(order.begin(), order.end(), size_t{0});
  const size_t k = std::min(kTopK, order.size());
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](size_t a, size_t b) {
    return (*scores)[a] != (*scores)[b] ? (*scores)[a] > (*scores)[b] : a < b;
  });
  std::printf("top %zu:\n", k);
  for (size_t i = 0; i < k; ++i) {
    const size_t c = order[i];
    std::printf("  %zu. %4zu  %.6f  %s\n", i + 1, c, (*scores)[c], (*labels)[c].c_str());
  }

  if (!args.expect.empty()) {
    const std::string& top = k > 0 ? (*labels)[order[0]] : std::string();
    const bool ok = k > 0 && classify::label_matches(top, args.expect);
    std::printf("check: top-1 '%s', expected '%s': %s\n", top.c_str(), args.expect.c_str(), ok ? "PASS" : "FAIL");
    return ok ? 0 : kExitError;
  }
  return 0;
}
