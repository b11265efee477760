#pragma once
// Images in a folder: the ImageNet layout (one sub-folder per class, labels are the sorted
// sub-folder names) or a flat folder of images without labels.
//   <path>/train/<class>/*.jpg and <path>/val/<class>/*.jpg (or test/): two splits;
//   otherwise <path> itself is the train split and there is no test split.
// Files: .jpg .jpeg .png .bmp .webp (any case), decoded by OpenCV.

#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace can::data {

class ImageFolderDataset : public Dataset {
 public:
  // channels: 0 = follow the data (3 if any of the first 16 usable files has colour, else
  // 1), or 1/3 to force. Images with a side under min_side are rejected by get(). Throws
  // DataError for a missing folder, a folder without image files, no test split, or when
  // none of its first 64 files can be used (undecodable or under min_side): the message
  // names the folder and quotes the first three files with their reasons.
  ImageFolderDataset(const std::string& path, Split split, int64_t channels = 0, int64_t min_side = 0);

  int64_t size() const override { return static_cast<int64_t>(files_.size()); }
  int64_t channels() const override { return channels_; }
  int64_t height() const override { return 0; }
  int64_t width() const override { return 0; }
  // Decodes the file. Throws CorruptSampleError (the Loader skips the sample) for an
  // unreadable, zero-byte or corrupt file, or an image with a side below min_side.
  Image get(int64_t index) const override;
  int64_t label(int64_t index) const override;
  int64_t num_classes() const override { return static_cast<int64_t>(classes_.size()); }
  std::string describe() const override;

  const std::string& file(int64_t index) const { return files_.at(static_cast<size_t>(index)); }
  std::vector<std::string> class_names() const override { return classes_; }  // the sub-folder names

 private:
  void probe(int64_t channels);  // sets channels_; throws when no file is usable
  Image read_checked(const std::string& path) const;  // read_image_file + the min_side check

  std::string root_;
  int64_t channels_ = 0;
  int64_t min_side_ = 0;
  std::vector<std::string> files_;
  std::vector<int32_t> labels_;      // empty for a flat folder
  std::vector<std::string> classes_;
};

}  // namespace can::data
