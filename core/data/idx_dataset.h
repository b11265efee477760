#pragma once
// MNIST / Fashion-MNIST in the IDX format (LeCun et al.), gzip-compressed or raw:
// <folder>/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz].

#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace can::data {

class IdxDataset : public Dataset {
 public:
  // Reads and checks both files of a split. Throws DataError naming the file for a missing
  // file, wrong magic number, truncated header, a file whose size is not exactly what its
  // header promises (trailing bytes, wrong count, truncated), or image and label counts
  // that disagree. `name` only appears in describe().
  IdxDataset(const std::string& folder, Split split, const std::string& name = "idx");
  // Reads an explicit pair of files (either may be .gz).
  IdxDataset(const std::string& images_file, const std::string& labels_file, const std::string& name);

  int64_t size() const override { return n_; }
  int64_t channels() const override { return 1; }
  int64_t height() const override { return h_; }
  int64_t width() const override { return w_; }
  Image get(int64_t index) const override;
  int64_t label(int64_t index) const override;
  int64_t num_classes() const override { return num_classes_; }
  std::string describe() const override;
  // Fashion-MNIST's or MNIST's names when `name` is one of them, else none.
  std::vector<std::string> class_names() const override;

 private:
  void load(const std::string& images_file, const std::string& labels_file);

  std::string kind_;  // the `name` given: which dataset the files are
  std::string name_;
  int64_t n_ = 0, h_ = 0, w_ = 0, num_classes_ = 0;
  std::vector<uint8_t> pixels_;  // n*h*w, row-major, as on disk
  std::vector<uint8_t> labels_;
};

}  // namespace can::data
