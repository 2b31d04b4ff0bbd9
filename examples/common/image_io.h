// Reading and writing image files for the examples (stb_image / stb_image_write).
#pragma once

#include <string>

#include "eir/status.hpp"
#include "image.h"

namespace eir_examples {

// Decodes a JPEG, PNG, BMP (or anything else stb_image reads) into RGB. An alpha channel is
// dropped, not blended: the model pipelines these examples follow feed the colour channels only.
eir::Result<Image> load_image(const std::string& path);

// Writes `image` as an RGB PNG.
eir::Status write_png(const std::string& path, const Image& image);

}  // namespace eir_examples
