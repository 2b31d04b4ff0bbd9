#include "letterbox.h"

namespace face {

Letterbox compute_letterbox(int image_width, int image_height, int tensor_width, int tensor_height) {
  Letterbox box;
  float roi_w = static_cast<float>(image_width), roi_h = static_cast<float>(image_height);
  const float tensor_aspect = static_cast<float>(tensor_height) / tensor_width;
  const float roi_aspect = roi_h / roi_w;
  if (tensor_aspect > roi_aspect) {
    // Image wider than the tensor: pad top and bottom.
    box.pad_y = (1.0f - roi_aspect / tensor_aspect) / 2.0f;
    roi_h = roi_w * tensor_aspect;
  } else {
    // Image taller (or the same shape): pad left and right (zero when the aspects match).
    box.pad_x = (1.0f - tensor_aspect / roi_aspect) / 2.0f;
    roi_w = roi_h / tensor_aspect;
  }
  // Centred on the image.
  box.roi = {0.5f * image_width - 0.5f * roi_w, 0.5f * image_height - 0.5f * roi_h, roi_w, roi_h};
  return box;
}

eir_examples::Image letterbox_image(const eir_examples::Image& image, const Letterbox& box,
                                    int tensor_width, int tensor_height) {
  return eir_examples::resample_bilinear(image, box.roi, tensor_width, tensor_height);
}

void to_float_tensor(const eir_examples::Image& image, float lo, float hi, float* out) {
  const float scale = (hi - lo) / 255.0f;
  for (size_t i = 0; i < image.rgb.size(); ++i) out[i] = image.rgb[i] * scale + lo;
}

Detection remove_letterbox(const Detection& d, const Letterbox& box) {
  const float sx = 1.0f - 2.0f * box.pad_x, sy = 1.0f - 2.0f * box.pad_y;
  Detection out = d;
  out.xmin = (d.xmin - box.pad_x) / sx;
  out.ymin = (d.ymin - box.pad_y) / sy;
  out.width = d.width / sx;
  out.height = d.height / sy;
  for (Keypoint& k : out.keypoints) {
    k.x = (k.x - box.pad_x) / sx;
    k.y = (k.y - box.pad_y) / sy;
  }
  return out;
}

}  // namespace face
