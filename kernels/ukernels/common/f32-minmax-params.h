// The clamp range shared by the f32 elementwise-style microkernel families (dwconv, pool,
// vbinary, vunary). Kernels apply it so that NaN survives (as TFLite's float loops do):
// y = x < min ? min : (x > max ? max : x).
#pragma once

extern "C" {

struct eir_f32_minmax_params {
  float min;
  float max;
};

}  // extern "C"
