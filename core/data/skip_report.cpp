#include "core/data/skip_report.h"

#include <cstdio>

#include "core/data/data_error.h"
#include "core/io/atomic_file.h"
#include "core/util/escape.h"

namespace can::data {

void SkipReport::add(const std::string& file, const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++reads_;
  if (seen_.insert(file).second) files_.push_back({file, reason});
}

std::vector<SkippedFile> SkipReport::files(size_t from) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (from >= files_.size()) return {};
  return std::vector<SkippedFile>(files_.begin() + static_cast<std::ptrdiff_t>(from), files_.end());
}

size_t SkipReport::file_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return files_.size();
}

int64_t SkipReport::read_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reads_;
}

Image SkipRecordingDataset::get(int64_t index) const {
  try {
    return inner_->get(index);
  } catch (const CorruptSampleError& e) {
    report_.add(e.file(), e.problem());
    throw;
  }
}

std::string escape_list_field(const std::string& text) { return escape_controls(text, /*escape_backslash=*/true); }

std::string skipped_file_line(const SkippedFile& s) {
  return escape_list_field(s.file) + "\t" + escape_list_field(s.reason);
}

void write_skipped_files(const SkipReport& report, const std::string& path) {
  std::string text;
  for (const auto& s : report.files()) text += skipped_file_line(s) + "\n";
  io::write_file_atomic(path, text);
}

}  // namespace can::data
