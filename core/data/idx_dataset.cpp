#include "core/data/idx_dataset.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "core/data/class_names.h"
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

// Bytes of trailing data counted (at most) to report how many there are.
constexpr uint64_t kTrailingCountLimit = uint64_t{64} << 20;

struct IdxFile {
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;  // the product of dims bytes, row-major
};

// Reads an IDX file of unsigned bytes with ndim dimensions: checks the magic (0x0000 08
// <ndim>) and then reads exactly the bytes the header promises. A file that holds fewer
// (truncated, or a count too large) or more (trailing bytes, or a count too small) is
// refused, gzip or raw alike; the decompressed data is never read further than one chunk
// past the promised size, so a gzip bomb behind a small header costs nothing.
IdxFile read_idx(const std::string& file, uint32_t ndim) {
  ByteReader in(file);
  std::vector<uint8_t> b;
  const size_t header = 4 + 4 * size_t(ndim);
  in.read(b, 4);
  if (b.size() < 4) throw DataError(file, "truncated header: " + std::to_string(b.size()) + " bytes, not an IDX file");
  const uint32_t magic = be32(b, 0);
  const uint32_t expected = 0x800u | ndim;
  if (magic != expected)
    throw DataError(file, "wrong magic number " + hex(magic) + ", expected " + hex(expected) + " (IDX unsigned-byte, " +
                              std::to_string(ndim) + " dimensions)");
  in.read(b, header - 4);
  if (b.size() < header)
    throw DataError(file, "truncated header: " + std::to_string(b.size()) + " bytes, the header needs " + std::to_string(header));
  IdxFile out;
  uint64_t count = 1;
  bool overflow = false;
  for (uint32_t i = 0; i < ndim; ++i) {
    out.dims.push_back(be32(b, 4 + 4 * i));
    overflow = overflow || __builtin_mul_overflow(count, static_cast<uint64_t>(out.dims.back()), &count);
  }
  // A garbage count needs no special case: reading stops where the data does.
  const uint64_t want = overflow ? UINT64_MAX : count;
  const size_t have = in.read(out.data, static_cast<size_t>(std::min<uint64_t>(want, SIZE_MAX)));
  if (overflow || have < count)
    throw DataError(file, "header promises " + std::to_string(out.dims[0]) + " items (" +
                              (overflow ? std::string("more than 2^64") : std::to_string(count)) +
                              " bytes) but the file holds only " + std::to_string(have) + " bytes of data (truncated?)");
  const uint64_t extra = in.count_rest(kTrailingCountLimit);
  if (extra > 0)
    throw DataError(file, "holds " + (extra > kTrailingCountLimit ? "more than " + std::to_string(kTrailingCountLimit)
                                                                      : std::to_string(extra)) +
                              " bytes after the " + std::to_string(count) + " its header promises (" +
                              std::to_string(out.dims[0]) + " items): trailing bytes, or a wrong count in the header");
  return out;
}

}  // namespace

IdxDataset::IdxDataset(const std::string& folder, Split split, const std::string& name) : kind_(name), name_(name) {
  const std::string prefix = folder + "/" + (split == Split::Train ? "train" : "t10k");
  const std::string images = find_plain_or_gz(prefix + "-images-idx3-ubyte");
  const std::string labels = find_plain_or_gz(prefix + "-labels-idx1-ubyte");
  if (images.empty()) throw DataError(prefix + "-images-idx3-ubyte[.gz]", "no such file");
  if (labels.empty()) throw DataError(prefix + "-labels-idx1-ubyte[.gz]", "no such file");
  name_ += std::string(" ") + split_name(split);
  load(images, labels);
}

IdxDataset::IdxDataset(const std::string& images_file, const std::string& labels_file, const std::string& name)
    : kind_(name), name_(name) {
  load(images_file, labels_file);
}

void IdxDataset::load(const std::string& images_file, const std::string& labels_file) {
  IdxFile img = read_idx(images_file, 3);
  IdxFile lab = read_idx(labels_file, 1);
  n_ = img.dims[0];
  h_ = img.dims[1];
  w_ = img.dims[2];
  if (n_ == 0 || h_ == 0 || w_ == 0) throw DataError(images_file, "holds no images");
  if (lab.dims[0] != n_)
    throw DataError(labels_file, "holds " + std::to_string(lab.dims[0]) + " labels but " + images_file + " holds " +
                                     std::to_string(n_) + " images");
  pixels_ = std::move(img.data);
  labels_ = std::move(lab.data);
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

std::vector<std::string> IdxDataset::class_names() const {
  if (kind_ == "fashion-mnist") return names_for(fashion_mnist_class_names(), num_classes_);
  if (kind_ == "mnist") return names_for(mnist_class_names(), num_classes_);
  return {};
}

}  // namespace can::data
