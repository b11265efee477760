#pragma once
// CIFAR-10 and CIFAR-100 in their binary formats (https://www.cs.toronto.edu/~kriz/cifar.html).
// CIFAR-10: data_batch_{1..5}.bin (train), test_batch.bin; record = label byte + 3072 bytes.
// CIFAR-100: train.bin, test.bin; record = coarse label + fine label + 3072 bytes.
// The 3072 bytes are planar: 1024 red, 1024 green, 1024 blue, each 32x32 row-major.
// The folder may be the batches folder itself or its parent (cifar-10-batches-bin,
// cifar-100-binary); files may also be gzip-compressed (.bin.gz).

#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace can::data {

class CifarDataset : public Dataset {
 public:
  // num_classes is 10 or 100. Throws DataError naming the file for a missing file, a size
  // that is not a whole number of records (truncated), or a label out of range (not a
  // CIFAR file). CIFAR-100 uses the fine (100-class) label.
  CifarDataset(const std::string& folder, Split split, int num_classes);

  int64_t size() const override { return static_cast<int64_t>(labels_.size()); }
  int64_t channels() const override { return 3; }
  int64_t height() const override { return 32; }
  int64_t width() const override { return 32; }
  Image get(int64_t index) const override;  // HWC, converted from the planar CHW on disk
  int64_t label(int64_t index) const override;
  int64_t num_classes() const override { return num_classes_; }
  std::string describe() const override;
  std::vector<std::string> class_names() const override;  // CIFAR-10's ten, CIFAR-100's fine hundred

 private:
  void load_file(const std::string& file);

  int num_classes_;
  std::string name_;
  std::vector<uint8_t> pixels_;  // n * 3072, planar CHW per image as on disk
  std::vector<uint8_t> labels_;
};

}  // namespace can::data
