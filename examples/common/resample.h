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
//    (0, 0)..(out_w, out_h) computes. With it, grace_hopper.bmp -> 224x224 matches the shared
//    reference input on all but 6 of 150528 values (those off by one); the half-pixel-centre
//    convention matches only ~10% of them;
//  * interpolation in double precision, rounded to 8 bits (ties to even), as MediaPipe's OpenCV
//    path outputs 8-bit pixels (OpenCV itself uses 1/32-pixel fixed point; the difference is at
//    most 1 on a few values);
//  * neighbours outside the image count as black (zero border), which is also what fills the
//    letterbox padding.
Image resample_bilinear(const Image& src, const RectF& roi, int out_w, int out_h);

}  // namespace eir_examples
