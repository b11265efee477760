#pragma once
// What a training process costs the machine, sampled every train.log_every steps and
// written to metrics.jsonl (cpu_percent, rss_mib, gpu_mem_mib): a run that is slower
// than expected is often starved of cores, swapping, or close to the GPU's memory, and
// images/s alone cannot tell which.

#include <torch/torch.h>

#include <cstdint>
#include <optional>

namespace can {

struct ResourceSample {
  // CPU time of the whole process (every thread, user + system) per wall-clock time since
  // the previous sample, in percent of one core: 2 busy cores read 200.
  double cpu_percent = 0.0;
  // Resident memory of the process in MiB (/proc/self/statm's second field times the page
  // size); nullopt where /proc cannot be read.
  std::optional<double> rss_mib;
  // Memory held by LibTorch's CUDA caching allocator on the training device, in MiB:
  // allocated = in tensors, reserved = obtained from the driver (allocated + cached).
  // nullopt on the CPU and in builds without CUDA.
  std::optional<double> gpu_allocated_mib, gpu_reserved_mib;
};

class ResourceSampler {
 public:
  // device: where the model trains; GPU memory is read for a CUDA device only. The first
  // sample's CPU share is measured from construction.
  explicit ResourceSampler(torch::Device device = torch::kCPU);
  ResourceSample sample();

 private:
  torch::Device device_;
  double last_cpu_seconds_ = 0.0;   // process CPU time at the previous sample
  double last_wall_seconds_ = 0.0;  // monotonic clock at the previous sample
};

// The process's CPU time (user + system, all threads) in seconds, from getrusage.
double process_cpu_seconds();
// Resident memory of this process in MiB; nullopt where /proc/self/statm cannot be read.
std::optional<double> resident_memory_mib();

}  // namespace can
