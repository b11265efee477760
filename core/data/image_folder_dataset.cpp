#include "core/data/image_folder_dataset.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/data/data_error.h"
#include "core/data/image_file.h"

namespace fs = std::filesystem;

namespace can::data {

namespace {

constexpr size_t kChannelProbes = 16;    // usable files that decide the channel count
constexpr size_t kMaxProbeFailures = 64; // unusable files in a row before the folder is refused (the loader's limit too)
constexpr size_t kReasonsShown = 3;      // reasons quoted in that message

bool is_image_file(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".webp";
}

// Image files below dir, sorted so that indices do not depend on directory order.
std::vector<std::string> list_images(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && is_image_file(it->path())) out.push_back(it->path().string());
  }
  if (ec) throw DataError(dir.string(), "cannot be listed (" + ec.message() + ")");
  std::sort(out.begin(), out.end());
  return out;
}

fs::path split_dir(const fs::path& root, Split split) {
  std::error_code ec;
  const bool has_splits = fs::is_directory(root / "train", ec);
  if (split == Split::Train) return has_splits ? root / "train" : root;
  for (const char* name : {"val", "test"})
    if (fs::is_directory(root / name, ec)) return root / name;
  throw DataError(root.string(), "has no val/ or test/ sub-folder, so there is no test split");
}

}  // namespace

ImageFolderDataset::ImageFolderDataset(const std::string& path, Split split, int64_t channels, int64_t min_side)
    : root_(path), min_side_(min_side) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw DataError(path, "no such folder");
  if (!fs::is_directory(path, ec)) throw DataError(path, "is not a folder");
  if (!can_decode_image_files()) throw DataError(path, "this build has no OpenCV, so image folders cannot be read");
  const fs::path dir = split_dir(path, split);
  root_ = dir.string();

  // ImageNet layout when any sub-folder holds images; files beside the class folders are ignored.
  std::vector<fs::path> subdirs;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    if (it->is_directory(ec)) subdirs.push_back(it->path());
  std::sort(subdirs.begin(), subdirs.end());
  for (const fs::path& sub : subdirs) {
    std::vector<std::string> files = list_images(sub);
    if (files.empty()) continue;
    const auto label = static_cast<int32_t>(classes_.size());
    classes_.push_back(sub.filename().string());
    for (std::string& f : files) {
      files_.push_back(std::move(f));
      labels_.push_back(label);
    }
  }
  if (classes_.empty()) files_ = list_images(dir);
  if (files_.empty()) throw DataError(root_, "holds no image files (.jpg .jpeg .png .bmp .webp)");

  probe(channels);
}

void ImageFolderDataset::probe(int64_t channels) {
  // Files are decoded in order until one is usable and, when the channel count follows the
  // data, until kChannelProbes usable ones (or one in colour) have been seen.
  const bool follow = channels == 0;
  channels_ = follow ? 0 : channels;
  size_t usable = 0;
  std::vector<std::pair<std::string, std::string>> failures;  // file, problem
  for (size_t i = 0; i < files_.size() && i < kMaxProbeFailures + kChannelProbes; ++i) {
    if (usable > 0 && !(follow && usable < kChannelProbes && channels_ != 3)) break;
    if (usable == 0 && failures.size() >= kMaxProbeFailures) break;
    try {
      const Image img = read_checked(files_[i]);
      ++usable;
      if (follow) channels_ = std::max<int64_t>(channels_, img.c);
    } catch (const CorruptSampleError& e) {
      failures.emplace_back(e.file(), e.problem());
    }
  }
  if (usable > 0) return;
  // Nothing usable: stop before training, with the first reasons (the loader would skip
  // kMaxProbeFailures files in a row and end the epoch anyway).
  std::string why;
  for (size_t i = 0; i < failures.size() && i < kReasonsShown; ++i) {
    std::string name = failures[i].first;
    if (name.rfind(root_ + "/", 0) == 0) name = name.substr(root_.size() + 1);
    why += (i ? "; " : "") + name + ": " + failures[i].second;
  }
  if (failures.size() > kReasonsShown) why += "; and " + std::to_string(failures.size() - kReasonsShown) + " more";
  const std::string count = failures.size() == files_.size() ? "none of its " + std::to_string(files_.size())
                                                             : "none of its first " + std::to_string(failures.size());
  throw DataError(root_, count + " image files can be used: " + why);
}

Image ImageFolderDataset::read_checked(const std::string& path) const {
  Image img = read_image_file(path);
  if (img.h < min_side_ || img.w < min_side_)
    throw CorruptSampleError(path, "image is " + std::to_string(img.w) + "x" + std::to_string(img.h) +
                                       ", smaller than the minimum side " + std::to_string(min_side_) +
                                       " (data.min_image_side)");
  return img;
}

Image ImageFolderDataset::get(int64_t index) const {
  Image img = read_checked(file(index));
  return img.c == channels_ ? img : convert_channels(img, channels_);
}

int64_t ImageFolderDataset::label(int64_t index) const {
  if (index < 0 || index >= size()) throw std::out_of_range("ImageFolderDataset::label: index " + std::to_string(index));
  return labels_.empty() ? -1 : labels_[static_cast<size_t>(index)];
}

std::string ImageFolderDataset::describe() const {
  std::string s = "folder " + root_ + ": " + std::to_string(size()) + " images x" + std::to_string(channels_) + ", ";
  return s + (classes_.empty() ? std::string("unlabelled") : std::to_string(classes_.size()) + " classes");
}

}  // namespace can::data
