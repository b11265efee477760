// Image decoding as the folder dataset does it: read_image_file's checks and decode
// (core/data/image_file.cpp decode_image_bytes: check_image_bytes, the PNG chunk filter,
// cv::imdecode, the 16-bit/alpha/BGR normalisation), then the dataset's channel conversion.
// Input: the file's bytes. Allowed outcome: a CorruptSampleError; a decoded image must have
// 1 or 3 channels and exactly h*w*c bytes.
// Files whose checked header claims more than 2^22 pixels are checked but not decoded: a
// valid PNG or WebP of a few KB can hold a 2^28-pixel image, whose decode takes seconds and
// GBs under ASan (the limit itself is tested in tests/core/tst_data_errors).
#include <cstdlib>

#include "core/data/data_error.h"
#include "core/data/image.h"
#include "core/data/image_check.h"
#include "core/data/image_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const can::data::ImageBytesCheck check = can::data::check_image_bytes(data, size);
  if (check.problem.empty() && check.width * check.height > (int64_t{1} << 22)) return 0;
  try {
    const can::data::Image img = can::data::decode_image_bytes(std::vector<uint8_t>(data, data + size), "fuzz.img");
    if (img.h <= 0 || img.w <= 0 || (img.c != 1 && img.c != 3)) std::abort();
    if (img.pixels.size() != static_cast<size_t>(img.h * img.w * img.c)) std::abort();
    // ImageFolderDataset::get converts to the dataset's channel count.
    const can::data::Image other = can::data::convert_channels(img, img.c == 1 ? 3 : 1);
    if (other.h != img.h || other.w != img.w) std::abort();
  } catch (const can::data::CorruptSampleError&) {
  }
  return 0;
}
