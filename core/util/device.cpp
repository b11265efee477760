#include "core/util/device.h"

#include <stdexcept>

#include "core/util/escape.h"

namespace can {

torch::Device pick_device(const std::string& requested, const std::string& option, int local_rank) {
  if (requested != "auto" && requested != "cpu" && requested != "cuda")
    throw std::invalid_argument(option + ": expected auto, cpu or cuda, got \"" + escape_controls(requested) + "\"");
  const bool cuda = torch::cuda::is_available();
  if (requested == "cuda" && !cuda)
    throw std::invalid_argument(option +
                                ": cuda requested but LibTorch sees no CUDA device (a CPU-only "
                                "LibTorch such as Debian's, or no NVIDIA driver: nvidia-smi lists the GPUs)");
  if (!(requested == "cuda" || (requested == "auto" && cuda))) return torch::Device(torch::kCPU);
  if (local_rank >= static_cast<int>(torch::cuda::device_count()))
    throw std::invalid_argument("LOCAL_RANK: " + std::to_string(local_rank) + " but this node has " +
                                std::to_string(torch::cuda::device_count()) + " CUDA devices (one process per GPU)");
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(local_rank));
}

}  // namespace can
