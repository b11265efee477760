#pragma once
// Mixed precision (train.precision = bf16): LibTorch's autocast, on CUDA and on CPU. Inside
// an enabled scope the matmul-heavy ops (linear, matmul, attention) run in bfloat16 and the
// rest keeps its input types. What must stay float32 to keep the method's numbers (the
// InfoNCE logits and softmax, the loss reductions, the noise addition and the patch
// embedding of noisy pixels) opens a disabled scope or works on float32 tensors; see
// docs/performance.md "Mixed precision".
//
// The C++ autocast API changed in LibTorch 2.4 (one setter per device type instead of one
// function per device); this header hides the difference.

#include <ATen/autocast_mode.h>
#include <c10/core/DeviceType.h>
#include <torch/version.h>

namespace can {

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define CAN_AUTOCAST_PER_DEVICE_API 1
#endif

// Whether autocast is on for tensors of this device type on this thread.
inline bool autocast_enabled(c10::DeviceType type) {
#ifdef CAN_AUTOCAST_PER_DEVICE_API
  return at::autocast::is_autocast_enabled(type);
#else
  return type == c10::DeviceType::CUDA ? at::autocast::is_enabled()
         : type == c10::DeviceType::CPU ? at::autocast::is_cpu_enabled()
                                        : false;
#endif
}

// Turns bf16 autocast on (enabled = true) or off (false) for one device type until the end
// of the scope, then restores what was in effect before. Scopes nest: a disabled scope
// inside an enabled one runs its ops in the types of their inputs.
class AutocastScope {
 public:
  AutocastScope(c10::DeviceType type, bool enabled) : type_(type), previous_(autocast_enabled(type)) {
    if (type_ != c10::DeviceType::CPU && type_ != c10::DeviceType::CUDA) return;  // no autocast there
    if (enabled) set_dtype(type_, at::kBFloat16);
    set(type_, enabled);
  }
  ~AutocastScope() {
    if (type_ != c10::DeviceType::CPU && type_ != c10::DeviceType::CUDA) return;
    set(type_, previous_);
    // The bf16 copies of weights cached during an enabled region are valid for that
    // region only (the optimizer changes the weights next).
    if (!previous_ && !autocast_enabled(c10::DeviceType::CPU) && !autocast_enabled(c10::DeviceType::CUDA))
      at::autocast::clear_cache();
  }
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  static void set(c10::DeviceType type, bool on) {
#ifdef CAN_AUTOCAST_PER_DEVICE_API
    at::autocast::set_autocast_enabled(type, on);
#else
    if (type == c10::DeviceType::CUDA) at::autocast::set_enabled(on);
    else at::autocast::set_cpu_enabled(on);
#endif
  }
  static void set_dtype(c10::DeviceType type, at::ScalarType dtype) {
#ifdef CAN_AUTOCAST_PER_DEVICE_API
    at::autocast::set_autocast_dtype(type, dtype);
#else
    if (type == c10::DeviceType::CUDA) at::autocast::set_autocast_gpu_dtype(dtype);
    else at::autocast::set_autocast_cpu_dtype(dtype);
#endif
  }

  c10::DeviceType type_;
  bool previous_;
};

}  // namespace can
