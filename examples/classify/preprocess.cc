#include "preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "resample.h"

namespace classify {

eir::Status fill_image_input(const eir_examples::Image& image, const eir::TensorView& input) {
  const std::vector<int32_t>& s = input.shape;
  if (s.size() != 4 || s[0] != 1 || s[1] <= 0 || s[2] <= 0 || s[3] != 3) {
    std::string dims;
    for (size_t i = 0; i < s.size(); ++i) dims += (i ? "," : "") + std::to_string(s[i]);
    return eir::invalid_argument("model input has shape [", dims, "]; expected an image [1,H,W,3]");
  }
  const int height = s[1], width = s[2];
  const eir_examples::Image resized = eir_examples::resample_bilinear(
      image, {0, 0, static_cast<float>(image.width), static_cast<float>(image.height)}, width, height);
  const size_t n = resized.rgb.size();
  const eir::DType dtype = input.info->dtype;
  if (input.bytes != n * eir::dtype_size(dtype)) {
    return eir::internal_error("input tensor holds ", input.bytes, " bytes, expected ", n * eir::dtype_size(dtype));
  }

  switch (dtype) {
    case eir::DType::kU8:
      std::memcpy(input.data, resized.rgb.data(), n);
      return eir::Status::Ok();
    case eir::DType::kF32: {
      float* out = input.data_as<float>();
      for (size_t i = 0; i < n; ++i) out[i] = resized.rgb[i] / 127.5f - 1.0f;
      return eir::Status::Ok();
    }
    case eir::DType::kI8: {
      int8_t* out = input.data_as<int8_t>();
      const eir::QuantInfo& q = input.info->quant;
      if (q.scales.empty() || q.scales[0] <= 0) {
        for (size_t i = 0; i < n; ++i) out[i] = static_cast<int8_t>(resized.rgb[i] - 128);
        return eir::Status::Ok();
      }
      const float scale = q.scales[0];
      const int zero_point = q.zero_points.empty() ? 0 : q.zero_points[0];
      for (size_t i = 0; i < n; ++i) {
        const float value = resized.rgb[i] / 127.5f - 1.0f;
        const long quantized = std::lround(value / scale) + zero_point;
        out[i] = static_cast<int8_t>(std::clamp<long>(quantized, -128, 127));
      }
      return eir::Status::Ok();
    }
    default:
      return eir::unsupported("model input is ", eir::dtype_name(dtype), "; this example feeds uint8, int8 or float32");
  }
}

}  // namespace classify
