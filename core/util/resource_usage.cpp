#include "core/util/resource_usage.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

// The caching allocator's statistics live in libc10_cuda, which only a CUDA build of
// LibTorch has (Debian's 1.13 ships the header but not the library): core/CMakeLists.txt
// defines CAN_WITH_CUDA_STATS where TorchConfig found the CUDA libraries.
#if CAN_WITH_CUDA_STATS
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace can {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

double process_cpu_seconds() {
  rusage u{};
  if (getrusage(RUSAGE_SELF, &u) != 0) return 0.0;
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

std::optional<double> resident_memory_mib() {
  std::ifstream statm("/proc/self/statm");
  long long total_pages = 0, resident_pages = 0;
  if (!(statm >> total_pages >> resident_pages)) return std::nullopt;
  return static_cast<double>(resident_pages) * static_cast<double>(sysconf(_SC_PAGESIZE)) / kMiB;
}

ResourceSampler::ResourceSampler(torch::Device device)
    : device_(device), last_cpu_seconds_(process_cpu_seconds()), last_wall_seconds_(wall_seconds()) {}

ResourceSample ResourceSampler::sample() {
  ResourceSample s;
  const double cpu = process_cpu_seconds(), wall = wall_seconds();
  const double elapsed = wall - last_wall_seconds_;
  s.cpu_percent = elapsed > 0 ? 100.0 * (cpu - last_cpu_seconds_) / elapsed : 0.0;
  last_cpu_seconds_ = cpu;
  last_wall_seconds_ = wall;
  s.rss_mib = resident_memory_mib();
#if CAN_WITH_CUDA_STATS
  if (device_.is_cuda()) {
    try {
      // Index 0 of each StatArray is the aggregate over the small and large pools
      // (StatType::AGGREGATE, whose namespace moved between LibTorch 1.13 and 2.x).
      const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device_.has_index() ? device_.index() : 0);
      s.gpu_allocated_mib = static_cast<double>(stats.allocated_bytes[0].current) / kMiB;
      s.gpu_reserved_mib = static_cast<double>(stats.reserved_bytes[0].current) / kMiB;
    } catch (const std::exception&) {
      // A figure for people only: a driver that refuses the query leaves it out.
    }
  }
#endif
  return s;
}

}  // namespace can
