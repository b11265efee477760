#pragma once
// The interface every dataset implements (IDX, CIFAR, image folders). Thread-safe: get()
// and label() are const and called concurrently by the Loader's worker threads.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/data/image.h"

namespace can::data {

struct DataConfig;

// Val is data.val_images images held out of the training split (core/data/holdout.h);
// with a validation split, Train is the rest of the training split.
enum class Split { Train, Val, Test };
const char* split_name(Split split);  // "train" / "val" / "test"

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual int64_t size() const = 0;
  // The channel count of the run (1 or 3); get() always returns images with this many.
  virtual int64_t channels() const = 0;
  // Native size of every image; 0 when it varies (image folders).
  virtual int64_t height() const = 0;
  virtual int64_t width() const = 0;
  // 8-bit HWC image. Throws CorruptSampleError for a file that cannot be used (folders).
  virtual Image get(int64_t index) const = 0;
  virtual int64_t label(int64_t index) const = 0;  // -1 when unlabelled
  virtual int64_t num_classes() const = 0;         // 0 when unlabelled
  virtual std::string describe() const = 0;        // e.g. "fashion-mnist train: 60000 images 28x28x1, 10 classes"
  // Name of each label, in label order (num_classes() of them), for reports and the studio;
  // empty when the dataset has none (an IDX file of unknown origin, an unlabelled set).
  virtual std::vector<std::string> class_names() const { return {}; }
};

// Opens the dataset a config names (validating the config first). Throws DataError naming
// the file and the problem for a missing path, empty folder or malformed file, and
// std::invalid_argument for an impossible config.
std::unique_ptr<Dataset> open_dataset(const DataConfig& config, Split split);

}  // namespace can::data
