// can-loader-bench: images/s the Loader delivers (two views, default SimCLR augmentation),
// for Fashion-MNIST (out 28) and for 2,000 generated 224 px JPEGs (out 224), with 1 and 2
// worker threads. One JSON line per configuration: median of timed passes after a warm-up.
// Host memory is set up as the trainer sets it (keep_freed_host_memory), so batches reuse
// warm pages as they do in training; CAN_DEFAULT_MALLOC=1 keeps glibc's defaults.
// Usage: can-loader-bench [fashion-mnist folder] [timed passes, default 3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "core/data/data_config.h"
#include "core/data/dataset.h"
#include "core/data/loader.h"
#include "core/util/cli_options.h"
#include "core/util/host_memory.h"

#if CAN_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

using namespace can::data;

namespace {

const char* kUsage =
    "usage: can-loader-bench [FASHION_MNIST_FOLDER] [PASSES]\n"
    "  FASHION_MNIST_FOLDER  the Fashion-MNIST IDX files (default: the loader's default path)\n"
    "  PASSES                timed passes per configuration, the median reported (default 3)\n";

// Images/s over `batches` batches (or the epoch, whichever ends first).
double pass(Loader& loader, int64_t epoch, int64_t batches) {
  loader.start_epoch(epoch);
  const auto t0 = std::chrono::steady_clock::now();
  int64_t images = 0;
  Batch b;
  for (int64_t i = 0; i < batches && loader.next(b); ++i) images += b.view1.size(0);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return static_cast<double>(images) / s;
}

void run(const std::string& name, const DataConfig& cfg, int64_t out_size, int64_t batches, int passes,
         bool kept_freed_memory) {
  std::shared_ptr<const Dataset> ds = open_dataset(cfg, Split::Train);
  for (int workers : {1, 2}) {
    LoaderOptions o = make_loader_options(cfg, *ds, 64, out_size, 0);
    o.num_workers = workers;
    Loader loader(ds, o);
    pass(loader, 100, std::max<int64_t>(2, batches / 4));  // warm-up: threads, caches, page cache
    std::vector<double> rates;
    for (int p = 0; p < passes; ++p) rates.push_back(pass(loader, p, batches));
    std::sort(rates.begin(), rates.end());
    nlohmann::json j{{"dataset", name},          {"out_size", out_size},
                     {"batch_size", 64},         {"num_workers", workers},
                     {"two_views", true},        {"augment", cfg.augment.preset},
                     {"images", batches * 64},   {"passes", passes},
                     {"kept_freed_memory", kept_freed_memory},
                     {"images_per_s", std::round(rates[rates.size() / 2] * 10) / 10}};
    std::printf("%s\n", j.dump().c_str());
    std::fflush(stdout);
  }
}

#if CAN_WITH_OPENCV
// 2,000 random-ish 224x224 JPEGs (smooth colour fields plus noise, like photos compress).
std::string make_jpeg_folder() {
  const auto dir = std::filesystem::temp_directory_path() / ("can-loader-bench-" + std::to_string(::getpid()));
  std::mt19937 gen(1);
  for (int i = 0; i < 2000; ++i) {
    const auto cls = dir / ("class" + std::to_string(i % 10));
    std::filesystem::create_directories(cls);
    cv::Mat small(8, 8, CV_8UC3), img, noise(224, 224, CV_8UC3);
    cv::randu(small, 0, 255);
    cv::resize(small, img, cv::Size(224, 224), 0, 0, cv::INTER_CUBIC);
    cv::randn(noise, 0, 12);
    img += noise;
    cv::imwrite((cls / ("img" + std::to_string(i) + ".jpg")).string(), img, {cv::IMWRITE_JPEG_QUALITY, 90});
  }
  return dir.string();
}
#endif

}  // namespace

int main(int argc, char** argv) {
  // The loader's threads are the parallelism; LibTorch's intra-op pool would only compete.
  torch::set_num_threads(1);
  // A batch of 224 px images (two views and the original) is 110 MiB; with glibc's defaults
  // each is a fresh mmap the kernel faults in and zeroes, which the trainer never pays.
  const bool kept_freed_memory = can::keep_freed_host_memory();
  std::string folder_arg, passes_arg;
  can::cli::Options options("can-loader-bench", kUsage);
  options.positional("folder", &folder_arg).positional("passes", &passes_arg);
  options.parse_or_exit(argc, argv);
  int passes = 3;
  try {
    if (!passes_arg.empty()) passes = std::max<int>(1, static_cast<int>(can::cli::to_int("passes", passes_arg)));
  } catch (const can::cli::UsageError& e) {
    return options.usage_error(e.what());
  }
  try {
    DataConfig fm;
    if (!folder_arg.empty()) fm.path = folder_arg;
    run("fashion-mnist", fm, 28, 150, passes, kept_freed_memory);
#if CAN_WITH_OPENCV
    DataConfig folder;
    folder.dataset = "folder";
    folder.path = make_jpeg_folder();
    run("folder-jpeg-224", folder, 224, 12, passes, kept_freed_memory);
    std::filesystem::remove_all(folder.path);
#else
    std::fprintf(stderr, "no OpenCV in this build: the JPEG folder benchmark is skipped\n");
#endif
  } catch (const std::exception& e) {
    std::fprintf(stderr, "can-loader-bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
