#include "core/data/idx_dataset.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/data/data_error.h"
#include "core/data/file_bytes.h"

namespace can::data {

namespace {

// IDX stores its header as big-endian 32-bit integers.
uint32_t be32(const std::vector<uint8_t>& b, size_t at) {
  return (uint32_t(b[at]) << 24) | (uint32_t(b[at + 1]) << 16) | (uint32_t(b[at + 2]) << 8) | uint32_t(b[at + 3]);
}

std::string hex(uint32_t v) {
  char s[16];
  std::snprintf(s, sizeof s, "0x%08X", v);
  return s;
}

// Checks magic (0x0000 08 <ndim>: unsigned bytes, ndim dimensions) and returns the dims.
std::vector<int64_t> read_header(const std::vector<uint8_t>& b, const std::string& file, uint32_t ndim) {
  const size_t header = 4 + 4 * size_t(ndim);
  if (b.size() < 4) throw DataError(file, "truncated header: " + std::to_string(b.size()) + " bytes, not an IDX file");
  const uint32_t magic = be32(b, 0);
  const uint32_t expected = 0x800u | ndim;
  if (magic != expected)
    throw DataError(file, "wrong magic number " + hex(magic) + ", expected " + hex(expected) + " (IDX unsigned-byte, " +
                              std::to_string(ndim) + " dimensions)");
  if (b.size() < header)
    throw DataError(file, "truncated header: " + std::to_string(b.size()) + " bytes, the header needs " + std::to_string(header));
  std::vector<int64_t> dims;
  for (uint32_t i = 0; i < ndim; ++i) dims.push_back(be32(b, 4 + 4 * i));
  const int64_t have = static_cast<int64_t>(b.size() - header);
  // Saturate instead of overflowing on garbage dimensions: anything above `have` fails.
  int64_t count = 1;
  for (int64_t d : dims) count = (d != 0 && count > have / d + 1) ? have + 1 : count * d;
  if (count > have)
    throw DataError(file, "header promises " + std::to_string(dims[0]) + " items (" + std::to_string(count) +
                              " bytes) but the file holds only " + std::to_string(have) + " bytes of data (truncated?)");
  return dims;
}

}  // namespace

IdxDataset::IdxDataset(const std::string& folder, Split split, const std::string& name) : name_(name) {
  const std::string prefix = folder + "/" + (split == Split::Train ? "train" : "t10k");
  const std::string images = find_plain_or_gz(prefix + "-images-idx3-ubyte");
  const std::string labels = find_plain_or_gz(prefix + "-labels-idx1-ubyte");
  if (images.empty()) throw DataError(prefix + "-images-idx3-ubyte[.gz]", "no such file");
  if (labels.empty()) throw DataError(prefix + "-labels-idx1-ubyte[.gz]", "no such file");
  name_ += std::string(" ") + split_name(split);
  load(images, labels);
}

IdxDataset::IdxDataset(const std::string& images_file, const std::string& labels_file, const std::string& name)
    : name_(name) {
  load(images_file, labels_file);
}

void IdxDataset::load(const std::string& images_file, const std::string& labels_file) {
  std::vector<uint8_t> img = read_file_bytes(images_file);
  const std::vector<int64_t> idims = read_header(img, images_file, 3);
  std::vector<uint8_t> lab = read_file_bytes(labels_file);
  const std::vector<int64_t> ldims = read_header(lab, labels_file, 1);
  n_ = idims[0];
  h_ = idims[1];
  w_ = idims[2];
  if (n_ == 0 || h_ == 0 || w_ == 0) throw DataError(images_file, "holds no images");
  if (ldims[0] != n_)
    throw DataError(labels_file, "holds " + std::to_string(ldims[0]) + " labels but " + images_file + " holds " +
                                     std::to_string(n_) + " images");
  pixels_.assign(img.begin() + 16, img.begin() + 16 + n_ * h_ * w_);
  labels_.assign(lab.begin() + 8, lab.begin() + 8 + n_);
  num_classes_ = *std::max_element(labels_.begin(), labels_.end()) + 1;
}

Image IdxDataset::get(int64_t index) const {
  if (index < 0 || index >= n_) throw std::out_of_range("IdxDataset::get: index " + std::to_string(index));
  Image out(h_, w_, 1);
  std::memcpy(out.pixels.data(), pixels_.data() + index * h_ * w_, static_cast<size_t>(h_ * w_));
  return out;
}

int64_t IdxDataset::label(int64_t index) const {
  if (index < 0 || index >= n_) throw std::out_of_range("IdxDataset::label: index " + std::to_string(index));
  return labels_[static_cast<size_t>(index)];
}

std::string IdxDataset::describe() const {
  return name_ + ": " + std::to_string(n_) + " images " + std::to_string(h_) + "x" + std::to_string(w_) + "x1, " +
         std::to_string(num_classes_) + " classes";
}

}  // namespace can::data
