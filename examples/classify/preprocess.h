// Image-to-tensor for the classifiers: the whole image stretched to the input size (bilinear), then
// written in the input tensor's element type.
#pragma once

#include "eir/eir.hpp"
#include "image.h"

namespace classify {

// `input` must be a [1, H, W, 3] uint8, int8 or float32 tensor:
//  * uint8: raw pixels. Quantized uint8 classifiers take them as they are; their input
//    quantization (e.g. scale 1/128, zero point 128) is what maps pixels to the trained range.
//  * float32: pixel / 127.5 - 1, the [-1, 1] range MobileNets are trained with.
//  * int8: that same [-1, 1] value quantized with the tensor's scale and zero point (pixel - 128
//    when the tensor carries no quantization).
eir::Status fill_image_input(const eir_examples::Image& image, const eir::TensorView& input);

}  // namespace classify
