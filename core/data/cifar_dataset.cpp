#include "core/data/cifar_dataset.h"

#include <filesystem>
#include <stdexcept>

#include "core/data/class_names.h"
#include "core/data/data_error.h"
#include "core/data/file_bytes.h"

namespace can::data {

namespace {
constexpr int64_t kSide = 32;
constexpr int64_t kImageBytes = 3 * kSide * kSide;

std::vector<std::string> split_files(int num_classes, Split split) {
  if (num_classes == 100) return {split == Split::Train ? "train.bin" : "test.bin"};
  if (split == Split::Test) return {"test_batch.bin"};
  return {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"};
}
}  // namespace

CifarDataset::CifarDataset(const std::string& folder, Split split, int num_classes) : num_classes_(num_classes) {
  if (num_classes != 10 && num_classes != 100)
    throw std::invalid_argument("CifarDataset: num_classes must be 10 or 100");
  name_ = std::string(num_classes == 10 ? "cifar10 " : "cifar100 ") + split_name(split);
  std::error_code ec;
  if (!std::filesystem::exists(folder, ec)) throw DataError(folder, "no such file or folder");
  // Accept the archive's own sub-folder below the configured path.
  std::string dir = folder;
  const std::string sub = folder + (num_classes == 10 ? "/cifar-10-batches-bin" : "/cifar-100-binary");
  if (std::filesystem::is_directory(sub, ec)) dir = sub;
  for (const std::string& name : split_files(num_classes, split)) {
    const std::string file = find_plain_or_gz(dir + "/" + name);
    if (file.empty()) throw DataError(dir + "/" + name, "no such file (expected the CIFAR binary version)");
    load_file(file);
  }
}

void CifarDataset::load_file(const std::string& file) {
  const std::vector<uint8_t> b = read_file_bytes(file);
  const int64_t label_bytes = num_classes_ == 100 ? 2 : 1;
  const int64_t record = label_bytes + kImageBytes;
  const int64_t size = static_cast<int64_t>(b.size());
  if (size == 0) throw DataError(file, "is empty");
  if (size % record != 0)
    throw DataError(file, std::to_string(size) + " bytes is not a whole number of " + std::to_string(record) +
                              "-byte CIFAR-" + std::to_string(num_classes_) + " records (truncated or not a CIFAR file)");
  const int64_t n = size / record;
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* r = b.data() + i * record;
    const uint8_t label = r[label_bytes - 1];  // CIFAR-100: the fine label follows the coarse one
    if (label >= num_classes_)
      throw DataError(file, "record " + std::to_string(i) + " has label " + std::to_string(label) + " but CIFAR-" +
                                std::to_string(num_classes_) + " has " + std::to_string(num_classes_) +
                                " classes (not a CIFAR-" + std::to_string(num_classes_) + " file)");
    labels_.push_back(label);
    pixels_.insert(pixels_.end(), r + label_bytes, r + record);
  }
}

Image CifarDataset::get(int64_t index) const {
  if (index < 0 || index >= size()) throw std::out_of_range("CifarDataset::get: index " + std::to_string(index));
  Image out(kSide, kSide, 3);
  const uint8_t* src = pixels_.data() + index * kImageBytes;
  const int64_t plane = kSide * kSide;
  for (int64_t p = 0; p < plane; ++p)
    for (int64_t ch = 0; ch < 3; ++ch) out.pixels[static_cast<size_t>(p * 3 + ch)] = src[ch * plane + p];
  return out;
}

int64_t CifarDataset::label(int64_t index) const {
  if (index < 0 || index >= size()) throw std::out_of_range("CifarDataset::label: index " + std::to_string(index));
  return labels_[static_cast<size_t>(index)];
}

std::string CifarDataset::describe() const {
  return name_ + ": " + std::to_string(size()) + " images 32x32x3, " + std::to_string(num_classes_) + " classes";
}

std::vector<std::string> CifarDataset::class_names() const {
  return num_classes_ == 10 ? cifar10_class_names() : cifar100_class_names();
}

}  // namespace can::data
