#include "core/data/skip_report.h"

#include <cstdio>

#include "core/data/data_error.h"

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

std::string escape_list_field(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c < 0x20 || c == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += ch;
    }
  }
  return out;
}

std::string skipped_file_line(const SkippedFile& s) {
  return escape_list_field(s.file) + "\t" + escape_list_field(s.reason);
}

}  // namespace can::data
