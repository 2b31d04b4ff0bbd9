// face_detection: runs MediaPipe's short-range face detector with eir on one image, prints the
// detections and writes the image annotated with boxes and keypoints.
//
//   face_detection [MODEL] [IMAGE] [OUT.png]
//   face_detection --check-expected [MODEL] [IMAGE] [OUT.png]   # ctest: compare with MediaPipe's result
//   face_detection --tensors DIR ...   # decode DIR/output_0.npy + output_1.npy instead of running the model
//
// Defaults: MODEL = <repo>/models/face_detection_short_range.tflite (scripts/fetch_models.sh; the
// identical ../shared/models/mp_face_detection_short_range.tflite is used when that is absent),
// (../shared = the EIR_SHARED_DIR CMake cache variable)
// IMAGE = ../shared/data/images/sergey.png, OUT = <build>/face_detection_<image name>.png.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "draw.h"
#include "face_detector.h"
#include "image_io.h"
#include "tools/common/npy.h"

namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSkip = 77;  // ctest SKIP_RETURN_CODE: model or shared data not available

const std::string kSourceDir = EIR_SOURCE_DIR;                // the repository
const std::string kSharedDir = EIR_SHARED_DIR;                // ../shared unless configured otherwise
const std::string kOutputDir = EIR_EXAMPLE_OUTPUT_DIR;        // the build directory

const char* const kKeypointNames[] = {"right eye", "left eye", "nose tip", "mouth", "right ear", "left ear"};

// MediaPipe's own result for sergey.png (shared/models/expected/mediapipe_face_detection_sergey/
// expected_detection.pbtxt), produced by its face_detection_test with TFLite.
struct Expected {
  float score = 0.92843366f;
  float xmin = 0.21061149f, ymin = 0.29150677f, width = 0.5657704f, height = 0.5657307f;
  float keypoints[6][2] = {{0.37730268f, 0.44038114f}, {0.6250565f, 0.44425336f}, {0.50687385f, 0.5767085f},
                           {0.50173956f, 0.6991459f},  {0.2383742f, 0.49879026f}, {0.7404449f, 0.50361776f}};
};
constexpr float kBoxTolerance = 0.01f;       // relative units: 1% of the image (6 px on sergey.png)
constexpr float kKeypointTolerance = 0.01f;
constexpr float kScoreTolerance = 0.01f;

struct Args {
  bool check_expected = false;
  std::string tensors_dir;
  int threads = 1;
  std::vector<std::string> positional;
};

bool file_exists(const std::string& path) { return std::ifstream(path, std::ios::binary).good(); }

std::string default_model() {
  const std::string fetched = kSourceDir + "/models/face_detection_short_range.tflite";
  const std::string shared = kSharedDir + "/models/mp_face_detection_short_range.tflite";
  if (!file_exists(fetched) && file_exists(shared)) return shared;
  return fetched;
}

std::string stem(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = name.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

void usage(std::ostream& os) {
  os << "usage: face_detection [--check-expected] [--threads N] [--tensors DIR] [MODEL] [IMAGE] [OUT.png]\n"
        "  (an empty argument \"\" takes the default)\n"
        "  MODEL  default " << default_model() << "\n"
        "  IMAGE  default " << kSharedDir << "/data/images/sergey.png\n"
        "  OUT    default " << kOutputDir << "/face_detection_<image name>.png\n"
        "  --check-expected  compare the result with MediaPipe's for sergey.png: exit 0 if it matches,\n"
        "                    1 if not, 77 if the model or the image is missing\n"
        "  --tensors DIR     skip the model: decode DIR/output_0.npy (boxes) and output_1.npy (scores)\n"
        "  --threads N       threads for the runtime (default 1)\n";
}

bool parse_args(int argc, char** argv, Args* args) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--check-expected") {
      args->check_expected = true;
    } else if (a == "--tensors" && i + 1 < argc) {
      args->tensors_dir = argv[++i];
    } else if (a == "--threads" && i + 1 < argc) {
      args->threads = std::atoi(argv[++i]);
      if (args->threads < 1) return false;
    } else if (a == "-h" || a == "--help") {
      usage(std::cout);
      std::exit(0);
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "face_detection: unknown option '" << a << "'\n";
      return false;
    } else {
      args->positional.push_back(a);
    }
  }
  return args->positional.size() <= 3;
}

// Reads a float32 .npy into `out`.
eir::Status read_float_npy(const std::string& path, std::vector<float>* out) {
  EIR_ASSIGN_OR_RETURN(eir::NpyArray array, eir::read_npy(path));
  if (array.dtype != eir::DType::kF32) {
    return eir::invalid_argument("'", path, "' holds ", eir::dtype_name(array.dtype), ", expected float32");
  }
  out->resize(array.num_elements());
  std::memcpy(out->data(), array.data.data(), out->size() * sizeof(float));
  return eir::Status::Ok();
}

void print_detection(int index, const face::Detection& d, int image_w, int image_h) {
  std::printf("face %d: score %.6f\n", index, d.score);
  std::printf("  relative box: xmin %.6f ymin %.6f width %.6f height %.6f\n", d.xmin, d.ymin, d.width, d.height);
  std::printf("  pixel box:    x %.1f..%.1f  y %.1f..%.1f  (%.1f x %.1f px)\n", d.xmin * image_w,
              d.xmax() * image_w, d.ymin * image_h, d.ymax() * image_h, d.width * image_w, d.height * image_h);
  for (size_t k = 0; k < d.keypoints.size(); ++k) {
    const char* name = k < 6 ? kKeypointNames[k] : "keypoint";
    std::printf("  %-10s (%.6f, %.6f) = (%.1f, %.1f) px\n", name, d.keypoints[k].x, d.keypoints[k].y,
                d.keypoints[k].x * image_w, d.keypoints[k].y * image_h);
  }
}

void annotate(eir_examples::Image& image, const std::vector<face::Detection>& detections) {
  const face::Color red{255, 0, 0}, green{0, 255, 0};
  const int scale = std::max(1, std::min(image.width, image.height) / 300);
  for (const face::Detection& d : detections) {
    const int x0 = static_cast<int>(std::lround(d.xmin * image.width));
    const int y0 = static_cast<int>(std::lround(d.ymin * image.height));
    const int x1 = static_cast<int>(std::lround(d.xmax() * image.width));
    const int y1 = static_cast<int>(std::lround(d.ymax() * image.height));
    face::draw_rect(image, x0, y0, x1, y1, red, 2 * scale);
    for (const face::Keypoint& k : d.keypoints) {
      face::draw_dot(image, static_cast<int>(std::lround(k.x * image.width)),
                     static_cast<int>(std::lround(k.y * image.height)), 3 * scale, green);
    }
    char label[32];
    std::snprintf(label, sizeof(label), "%.2f", d.score);
    // Above the box, or inside it when the box touches the top of the image.
    const int text_scale = 2 * scale, gap = 2 * scale;
    const int above = y0 - face::text_height(label, text_scale) - gap;
    face::draw_text(image, x0, above >= 0 ? above : y0 + 2 * gap, label, red, text_scale);
  }
}

// Compares with MediaPipe's result; prints each quantity and returns whether all are in tolerance.
bool check_expected(const std::vector<face::Detection>& detections) {
  const Expected e;
  if (detections.size() != 1) {
    std::printf("check: FAIL: expected exactly 1 face, got %zu\n", detections.size());
    return false;
  }
  const face::Detection& d = detections[0];
  bool ok = true;
  auto compare = [&ok](const char* what, float got, float want, float tolerance) {
    const float diff = std::fabs(got - want);
    const bool good = diff <= tolerance;
    ok = ok && good;
    std::printf("check: %-14s got %.6f expected %.6f diff %.6f %s\n", what, got, want, diff, good ? "ok" : "FAIL");
  };
  compare("score", d.score, e.score, kScoreTolerance);
  compare("xmin", d.xmin, e.xmin, kBoxTolerance);
  compare("ymin", d.ymin, e.ymin, kBoxTolerance);
  compare("width", d.width, e.width, kBoxTolerance);
  compare("height", d.height, e.height, kBoxTolerance);
  if (d.keypoints.size() != 6) {
    std::printf("check: FAIL: expected 6 keypoints, got %zu\n", d.keypoints.size());
    return false;
  }
  for (int k = 0; k < 6; ++k) {
    const std::string name = kKeypointNames[k];
    compare((name + " x").c_str(), d.keypoints[k].x, e.keypoints[k][0], kKeypointTolerance);
    compare((name + " y").c_str(), d.keypoints[k].y, e.keypoints[k][1], kKeypointTolerance);
  }
  std::printf("check: %s\n", ok ? "PASS" : "FAIL");
  return ok;
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
  const std::string model_path = arg(0, default_model());
  const std::string image_path = arg(1, kSharedDir + "/data/images/sergey.png");
  const std::string out_path = arg(2, kOutputDir + "/face_detection_" + stem(image_path) + ".png");
  const bool use_model = args.tensors_dir.empty();

  if (args.check_expected) {
    if (use_model && !file_exists(model_path)) {
      std::printf("SKIP: model '%s' not found (run scripts/fetch_models.sh)\n", model_path.c_str());
      return kExitSkip;
    }
    if (!file_exists(image_path)) {
      std::printf("SKIP: image '%s' not found (the shared/ data is not checked out)\n", image_path.c_str());
      return kExitSkip;
    }
  }

  eir::Result<eir_examples::Image> image = eir_examples::load_image(image_path);
  if (!image.ok()) {
    std::cerr << "face_detection: " << image.status().to_string() << "\n";
    return kExitError;
  }
  std::printf("image: %s (%dx%d)\n", image_path.c_str(), image->width, image->height);

  std::vector<face::Detection> detections;
  if (use_model) {
    std::printf("model: %s\n", model_path.c_str());
    auto detector = face::FaceDetector::create(model_path, args.threads);
    if (!detector.ok()) {
      std::cerr << "face_detection: cannot load '" << model_path << "': " << detector.status().to_string() << "\n";
      if (!file_exists(model_path)) std::cerr << "  (fetch it with scripts/fetch_models.sh)\n";
      return kExitError;
    }
    auto result = (*detector)->detect(*image);
    if (!result.ok()) {
      std::cerr << "face_detection: " << result.status().to_string() << "\n";
      return kExitError;
    }
    detections = std::move(*result);
    std::printf("inference: %.2f ms\n", (*detector)->last_inference_ms());
  } else {
    std::vector<float> boxes, scores;
    for (auto [name, vec] : {std::pair{"output_0.npy", &boxes}, std::pair{"output_1.npy", &scores}}) {
      const eir::Status s = read_float_npy(args.tensors_dir + "/" + name, vec);
      if (!s.ok()) {
        std::cerr << "face_detection: " << s.to_string() << "\n";
        return args.check_expected && !file_exists(args.tensors_dir + "/" + name) ? kExitSkip : kExitError;
      }
    }
    std::printf("tensors: %s (model not run)\n", args.tensors_dir.c_str());
    const face::Letterbox box = face::compute_letterbox(image->width, image->height, 128, 128);
    auto result = face::postprocess(boxes.data(), boxes.size(), scores.data(), scores.size(), box);
    if (!result.ok()) {
      std::cerr << "face_detection: " << result.status().to_string() << "\n";
      return kExitError;
    }
    detections = std::move(*result);
  }

  std::printf("%zu face%s\n", detections.size(), detections.size() == 1 ? "" : "s");
  for (size_t i = 0; i < detections.size(); ++i) {
    print_detection(static_cast<int>(i), detections[i], image->width, image->height);
  }

  annotate(*image, detections);
  const eir::Status written = eir_examples::write_png(out_path, *image);
  if (!written.ok()) {
    std::cerr << "face_detection: " << written.to_string() << "\n";
    return kExitError;
  }
  std::printf("wrote %s\n", out_path.c_str());

  if (args.check_expected) return check_expected(detections) ? 0 : kExitError;
  return 0;
}
