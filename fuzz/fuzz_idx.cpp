// The IDX reader (core/data/idx_dataset.cpp) on a pair of files, raw or gzip.
// Input: byte 0 = flags (bit 0: gzip the labels file, bit 1: gzip the images file), bytes
// 1-2 = length L of the labels file (little-endian, cut to what is there), then L bytes of
// the labels file, then the images file. Either file may also be a gzip stream itself (the
// reader detects gzip by content), so damaged streams are fuzzed as well as valid ones.
// Allowed outcome: a DataError; on success every image and label must be readable.
#include <cstdlib>

#include "core/data/data_error.h"
#include "core/data/idx_dataset.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const uint8_t flags = data[0];
  const size_t labels_len = std::min<size_t>(size - 3, data[1] | (size_t{data[2]} << 8));
  const uint8_t* labels = data + 3;
  const uint8_t* images = labels + labels_len;
  const size_t images_len = size - 3 - labels_len;

  const std::string dir = can_fuzz::scratch_dir();
  const std::string labels_file = dir + "/labels-idx1-ubyte";
  const std::string images_file = dir + "/images-idx3-ubyte";
  if (flags & 1)
    can_fuzz::write_file(labels_file, can_fuzz::gzip(labels, labels_len));
  else
    can_fuzz::write_file(labels_file, labels, labels_len);
  if (flags & 2)
    can_fuzz::write_file(images_file, can_fuzz::gzip(images, images_len));
  else
    can_fuzz::write_file(images_file, images, images_len);

  try {
    const can::data::IdxDataset ds(images_file, labels_file, "fuzz");
    if (ds.size() <= 0 || ds.height() <= 0 || ds.width() <= 0) std::abort();
    for (const int64_t i : {int64_t{0}, ds.size() / 2, ds.size() - 1}) {
      const can::data::Image img = ds.get(i);
      if (img.pixels.size() != static_cast<size_t>(ds.height() * ds.width())) std::abort();
      if (ds.label(i) < 0 || ds.label(i) >= ds.num_classes()) std::abort();
    }
    (void)ds.describe();
  } catch (const can::data::DataError&) {
  }
  return 0;
}
