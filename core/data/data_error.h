#pragma once
// Errors a user can cause with their data. Both name the file and what is wrong with it.

#include <stdexcept>
#include <string>

namespace can::data {

// A dataset that cannot be used at all: missing path, empty folder, truncated or malformed
// IDX/CIFAR file. Thrown at open time, before training starts.
class DataError : public std::runtime_error {
 public:
  DataError(const std::string& file, const std::string& problem)
      : std::runtime_error(file + ": " + problem), file_(file), problem_(problem) {}
  const std::string& file() const { return file_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string file_;
  std::string problem_;
};

// One unusable sample (unreadable, zero-byte or corrupt image file, or an image smaller
// than the minimum side). Thrown by Dataset::get(); the Loader catches it, records the file
// in its skipped-files report and uses another sample instead, so the run goes on.
class CorruptSampleError : public DataError {
 public:
  using DataError::DataError;
};

}  // namespace can::data
