#pragma once
// Files a run could not use, for the user: each file once, with its reason.
//   SkipReport: the thread-safe record.
//   SkipRecordingDataset: a Dataset that passes every call to another and records each
//   CorruptSampleError its get() throws (then rethrows it, so the Loader still substitutes
//   the next sample). can-train wraps its training set in one to print and save the list.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/data/dataset.h"

namespace can::data {

struct SkippedFile {
  std::string file;    // the file (or "index N" for datasets without files)
  std::string reason;  // what was wrong with it
};

class SkipReport {
 public:
  // Records one failed read of `file`; the reason kept is the first one given.
  void add(const std::string& file, const std::string& reason);
  // The files in the order they were first seen, from position `from` on: a caller that
  // prints as it goes asks for what it has not printed yet.
  std::vector<SkippedFile> files(size_t from = 0) const;
  size_t file_count() const;   // distinct files
  int64_t read_count() const;  // failed reads (a file tried twice counts twice)

 private:
  mutable std::mutex mutex_;
  std::vector<SkippedFile> files_;
  std::unordered_set<std::string> seen_;
  int64_t reads_ = 0;
};

class SkipRecordingDataset : public Dataset {
 public:
  explicit SkipRecordingDataset(std::shared_ptr<const Dataset> inner) : inner_(std::move(inner)) {}
  int64_t size() const override { return inner_->size(); }
  int64_t channels() const override { return inner_->channels(); }
  int64_t height() const override { return inner_->height(); }
  int64_t width() const override { return inner_->width(); }
  Image get(int64_t index) const override;
  int64_t label(int64_t index) const override { return inner_->label(index); }
  int64_t num_classes() const override { return inner_->num_classes(); }
  std::string describe() const override { return inner_->describe(); }

  const SkipReport& report() const { return report_; }
  const Dataset& inner() const { return *inner_; }

 private:
  std::shared_ptr<const Dataset> inner_;
  mutable SkipReport report_;
};

// text with backslashes, tabs, newlines and other control characters escaped (\\, \t, \n,
// \xNN): what a file name may hold cannot break a line or move the terminal's cursor.
std::string escape_list_field(const std::string& text);

// One line of a skipped-files list: file, a tab, reason. Backslashes, tabs, newlines and
// other control characters in either field are escaped (\\, \t, \n, \xNN), so one line is
// always one file, whatever its name holds.
std::string skipped_file_line(const SkippedFile& s);

// RUN_DIR/skipped_files.txt: one skipped_file_line per file, written whole and atomically
// (a reader never sees half a list). can-train and the studio write it when a run ends.
void write_skipped_files(const SkipReport& report, const std::string& path);

}  // namespace can::data
