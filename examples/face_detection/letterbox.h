// Aspect-preserving fit of an image into the model's input tensor, as MediaPipe's
// ImageToTensorCalculator does with keep_aspect_ratio: true, BORDER_ZERO and a [-1, 1] float
// range, and the inverse mapping of detections back onto the image
// (DetectionLetterboxRemovalCalculator / DetectionProjectionCalculator for an unrotated ROI).
#pragma once

#include "detection.h"
#include "image.h"
#include "resample.h"

namespace face {

struct Letterbox {
  eir_examples::RectF roi;  // source area that the tensor covers; extends past the image when padded
  // Padding as a fraction of the tensor size, on each side (left = right, top = bottom).
  float pad_x = 0, pad_y = 0;
};

// Grows the whole-image ROI along one axis until its aspect ratio equals the tensor's, centred on
// the image (MediaPipe's PadRoi).
Letterbox compute_letterbox(int image_width, int image_height, int tensor_width, int tensor_height);

// The tensor-sized RGB image: the ROI resampled bilinearly, padding black.
eir_examples::Image letterbox_image(const eir_examples::Image& image, const Letterbox& box,
                                    int tensor_width, int tensor_height);

// Converts 8-bit RGB to float in [lo, hi] (value * (hi - lo) / 255 + lo), interleaved HWC.
void to_float_tensor(const eir_examples::Image& image, float lo, float hi, float* out);

// Maps a detection from tensor-relative to image-relative coordinates (removes the padding).
Detection remove_letterbox(const Detection& detection, const Letterbox& box);

}  // namespace face
