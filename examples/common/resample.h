// Bilinear resampling of a rectangle of an image onto a fixed output grid: the image-to-tensor step
// of the examples (stretch for the classifiers, letterbox for the face detector).
#pragma once

#include "image.h"

namespace eir_examples {

// A rectangle in source pixel units. (x, y) is the top-left corner of the covered area: the whole
// image is {0, 0, width, height}. It may extend past the image (letterboxing).
struct RectF {
  float x = 0, y = 0, width = 0, height = 0;
};

// Maps `roi` onto an out_w x out_h grid with bilinear interpolation, the way OpenCV's warpAffine /
// warpPerspective (INTER_LINEAR, BORDER_CONSTANT 0) do it, which is what MediaPipe's
// ImageToTensorCalculator and the reference inputs in shared/models/inputs_real use:
//  * the ROI's corners map onto the output's corners and pixels are sampled at their integer
//    coordinates, so output pixel i samples source position roi.x + i * roi.width / out_w (in
//    pixel-index units). This is what MediaPipe's warpPerspective from the ROI corners to
//    (0, 0)..(out_w, out_h) computes; it matches the shared reference inputs on 99.98% of values
//    (the rest off by one), where the half-pixel-centre convention matches on only ~10%;
//  * that position is rounded to 1/32 pixel and the weights to 1/32768, as OpenCV's fixed-point
//    path does, and the result is rounded back to 8 bits;
//  * neighbours outside the image count as black (zero border), which is also what fills the
//    letterbox padding.
Image resample_bilinear(const Image& src, const RectF& roi, int out_w, int out_h);

}  // namespace eir_examples
