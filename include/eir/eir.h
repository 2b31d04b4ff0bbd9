/* eir — stable C API for FFI (JNI, Swift, Python, ...).
 *
 * Handles are opaque. Every function that can fail returns an eir_status; the message of the last
 * failure on the calling thread is available from eir_last_error() until the next failing call.
 * Nothing aborts on bad input: null handles, out-of-range indices and wrong sizes are reported.
 *
 *   eir_model* model = NULL;
 *   if (eir_model_load_file("face.tflite", &model) != EIR_OK) { puts(eir_last_error()); return 1; }
 *   eir_session_options opts = eir_session_options_default();
 *   opts.num_threads = 2;
 *   eir_session* session = NULL;
 *   eir_session_create(model, &opts, &session);
 *   eir_tensor_info in;
 *   eir_session_input(session, 0, &in);           // in.data points into the session arena
 *   memcpy(in.data, pixels, in.bytes);
 *   eir_session_run(session);
 *   eir_session_release(session);
 *   eir_model_release(model);                      // sessions keep the model alive internally
 */
#ifndef EIR_EIR_H_
#define EIR_EIR_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EIR_API __attribute__((visibility("default")))

typedef enum eir_status {
  EIR_OK = 0,
  EIR_INVALID_ARGUMENT = 1,
  EIR_INVALID_MODEL = 2,
  EIR_UNSUPPORTED = 3,
  EIR_RESOURCE_EXHAUSTED = 4,
  EIR_FAILED_PRECONDITION = 5,
  EIR_IO_ERROR = 6,
  EIR_INTERNAL = 7
} eir_status;

/* Same values as eir::DType. */
typedef enum eir_dtype {
  EIR_DTYPE_UNKNOWN = 0,
  EIR_DTYPE_FLOAT32 = 1,
  EIR_DTYPE_FLOAT16 = 2,
  EIR_DTYPE_FLOAT64 = 3,
  EIR_DTYPE_INT8 = 4,
  EIR_DTYPE_UINT8 = 5,
  EIR_DTYPE_INT16 = 6,
  EIR_DTYPE_UINT16 = 7,
  EIR_DTYPE_INT32 = 8,
  EIR_DTYPE_UINT32 = 9,
  EIR_DTYPE_INT64 = 10,
  EIR_DTYPE_BOOL = 11
} eir_dtype;

typedef struct eir_model eir_model;
typedef struct eir_session eir_session;

#define EIR_MAX_RANK 8

/* A tensor's description plus, for session tensors, its memory. Pointers are owned by the
 * model/session and valid until it is released (data: until the next resize/prepare). */
typedef struct eir_tensor_info {
  const char* name;
  eir_dtype dtype;
  int32_t rank;
  int32_t dims[EIR_MAX_RANK];
  void* data;          /* NULL for model-level infos */
  size_t bytes;        /* byte size for the current shape */
  int32_t num_scales;  /* 0 if not quantized; >1 if per-channel */
  const float* scales;
  const int32_t* zero_points;
  int32_t quantized_axis;
} eir_tensor_info;

typedef struct eir_session_options {
  uint32_t struct_size; /* sizeof(eir_session_options): lets the struct grow compatibly */
  int32_t num_threads;
  size_t max_arena_bytes;  /* 0 = unlimited */
  size_t max_tensor_bytes; /* 0 = unlimited */
  const char* delegate;    /* NULL or "cpu" */
} eir_session_options;

EIR_API const char* eir_version(void);
EIR_API const char* eir_last_error(void);

EIR_API eir_status eir_model_load_file(const char* path, eir_model** out_model);
/* Copies the buffer when copy != 0; otherwise borrows it (it must outlive the model). */
EIR_API eir_status eir_model_load_buffer(const void* data, size_t size, int copy, eir_model** out_model);
EIR_API void eir_model_release(eir_model* model);
EIR_API int32_t eir_model_num_inputs(const eir_model* model);
EIR_API int32_t eir_model_num_outputs(const eir_model* model);
EIR_API eir_status eir_model_input_info(const eir_model* model, int32_t index, eir_tensor_info* out);
EIR_API eir_status eir_model_output_info(const eir_model* model, int32_t index, eir_tensor_info* out);

EIR_API eir_session_options eir_session_options_default(void);
EIR_API eir_status eir_session_create(const eir_model* model, const eir_session_options* options,
                                      eir_session** out_session);
EIR_API void eir_session_release(eir_session* session);
EIR_API int32_t eir_session_num_inputs(const eir_session* session);
EIR_API int32_t eir_session_num_outputs(const eir_session* session);
EIR_API eir_status eir_session_input(eir_session* session, int32_t index, eir_tensor_info* out);
EIR_API eir_status eir_session_output(eir_session* session, int32_t index, eir_tensor_info* out);
EIR_API eir_status eir_session_resize_input(eir_session* session, int32_t index, const int32_t* dims, int32_t rank);
EIR_API eir_status eir_session_run(eir_session* session);
EIR_API size_t eir_session_arena_bytes(const eir_session* session);

#ifdef __cplusplus
}
#endif

#endif /* EIR_EIR_H_ */
