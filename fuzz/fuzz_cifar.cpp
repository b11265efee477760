// The CIFAR reader (core/data/cifar_dataset.cpp) on a test split of one file.
// Input: byte 0 = flags (bit 0: CIFAR-100 (test.bin) instead of CIFAR-10 (test_batch.bin),
// bit 1: gzip the file), then the file's bytes (which may be a gzip stream themselves).
// Allowed outcome: a DataError; on success every record must be readable.
#include <cstdlib>
#include <filesystem>

#include "core/data/cifar_dataset.h"
#include "core/data/data_error.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const int num_classes = (flags & 1) ? 100 : 10;
  const std::string dir = can_fuzz::scratch_dir() + (num_classes == 100 ? "/cifar100" : "/cifar10");
  std::filesystem::create_directories(dir);
  const std::string file = dir + (num_classes == 100 ? "/test.bin" : "/test_batch.bin");
  if (flags & 2)
    can_fuzz::write_file(file, can_fuzz::gzip(data + 1, size - 1));
  else
    can_fuzz::write_file(file, data + 1, size - 1);

  try {
    const can::data::CifarDataset ds(dir, can::data::Split::Test, num_classes);
    if (ds.size() <= 0) std::abort();
    for (const int64_t i : {int64_t{0}, ds.size() - 1}) {
      const can::data::Image img = ds.get(i);
      if (img.pixels.size() != 32 * 32 * 3) std::abort();
      if (ds.label(i) < 0 || ds.label(i) >= num_classes) std::abort();
    }
    (void)ds.describe();
  } catch (const can::data::DataError&) {
  }
  return 0;
}
