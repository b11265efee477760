#include "core/experiments/metrics_tail.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/util/json_limits.h"

namespace can::runs {

namespace {

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

// The file's last bytes, read in windows that grow from the end as far as a search needs.
class TailWindow {
 public:
  explicit TailWindow(std::FILE* f) : f_(f) {
    if (std::fseek(f_, 0, SEEK_END) == 0) size_ = std::ftell(f_);
    if (size_ < 0) size_ = 0;
  }
  int64_t size() const { return size_; }
  int64_t start() const { return start_; }
  const std::string& bytes() const { return buf_; }
  // Reads the last `want` bytes (at most the file); false when the window already covers them.
  bool grow_to(int64_t want) {
    const int64_t start = std::max<int64_t>(0, size_ - want);
    if (!buf_.empty() && start >= start_) return false;
    const int64_t end = buf_.empty() ? size_ : start_;  // the bytes not read yet end here
    std::string more(static_cast<size_t>(end - start), '\0');
    if (std::fseek(f_, start, SEEK_SET) != 0 || std::fread(more.data(), 1, more.size(), f_) != more.size())
      return false;
    buf_ = more + buf_;
    start_ = start;
    return true;
  }

 private:
  std::FILE* f_;
  int64_t size_ = 0, start_ = 0;
  std::string buf_;
};

// The 1-based number of the line starting at byte `offset`: counted only when a problem is
// reported, so a healthy run never reads its whole file.
int64_t line_number_at(std::FILE* f, int64_t offset) {
  int64_t lines = 1;
  char chunk[1 << 16];
  std::fseek(f, 0, SEEK_SET);
  for (int64_t done = 0; done < offset;) {
    const size_t n = std::fread(chunk, 1, static_cast<size_t>(std::min<int64_t>(sizeof chunk, offset - done)), f);
    if (n == 0) break;
    lines += std::count(chunk, chunk + n, '\n');
    done += static_cast<int64_t>(n);
  }
  return lines;
}

std::optional<nlohmann::json> parse_object(const std::string& text, size_t begin, size_t end) {
  try {
    nlohmann::json j = parse_json_bounded(text.data() + begin, text.data() + end);
    if (j.is_object()) return j;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace

MetricsTail read_metrics_tail(const std::string& path, bool find_knn) {
  MetricsTail tail;
  FilePtr file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return tail;
  const std::string name = std::filesystem::path(path).filename().string();
  TailWindow w(file.get());
  if (w.size() == 0) return tail;
  std::vector<int64_t> bad_lines;  // file offsets of the lines that did not parse, from the end
  bool cut = false;                // the last of them has no newline
  // The last line with a step: walk back line by line, growing the window as needed.
  int64_t want = 4096, line_end = w.size();  // line_end: offset just past the line looked at
  bool first = true;
  while (!tail.has_step && line_end > 0 && w.size() - line_end <= kTailSearchBytes) {
    w.grow_to(want);
    const std::string& b = w.bytes();
    const size_t end = static_cast<size_t>(line_end - w.start());
    const size_t nl = end == 0 ? std::string::npos : b.rfind('\n', end - 1);
    if (nl == std::string::npos && w.start() > 0) {  // the line starts before the window
      if (want >= kTailSearchBytes) break;           // a line this long is no metrics line
      want *= 4;
      continue;
    }
    const size_t begin = nl == std::string::npos ? 0 : nl + 1;
    const bool newline_ended = line_end < w.size() || b.back() == '\n';
    if (begin < end) {
      auto j = parse_object(b, begin, end);
      if (j && j->contains("step") && (*j)["step"].is_number_integer()) {
        tail.has_step = true;
        tail.step = (*j)["step"].get<int64_t>();
        for (const char* key : {"loss", "loss_infonce", "loss_rec", "loss_denoise"})
          if (auto it = j->find(key); it != j->end() && it->is_number()) tail.values[key] = it->get<double>();
        if (auto it = j->find("knn_top1"); find_knn && it != j->end() && it->is_number())
          tail.knn_top1 = it->get<double>();
      } else if (bad_lines.size() < 3) {
        if (first && !newline_ended) cut = true;
        bad_lines.push_back(w.start() + static_cast<int64_t>(begin));
      }
      first = false;
    }
    line_end = w.start() + static_cast<int64_t>(begin) - (begin > 0 || w.start() > 0 ? 1 : 0);
    if (nl == std::string::npos) break;  // the file's first line was looked at
  }
  for (size_t i = 0; i < bad_lines.size(); ++i) {
    const std::string n = std::to_string(line_number_at(file.get(), bad_lines[i]));
    tail.problems.push_back(name + ": line " + n + (i == 0 && cut ? " is cut (no newline)" : " is not JSON"));
  }
  if (!tail.has_step && bad_lines.empty()) tail.problems.push_back(name + ": no line with a step");
  // The kNN monitor's last measurement: the last line holding "knn_top1":<number>.
  if (find_knn && tail.has_step && !tail.knn_top1) {
    static const std::string key = "\"knn_top1\":";
    for (int64_t span = 1 << 16;; span *= 4) {
      w.grow_to(std::min(span, kTailSearchBytes));
      const std::string& b = w.bytes();
      for (size_t at = b.rfind(key); at != std::string::npos && !tail.knn_top1;
           at = at == 0 ? std::string::npos : b.rfind(key, at - 1)) {
        const size_t nl = b.rfind('\n', at), begin = nl == std::string::npos ? 0 : nl + 1;
        if (begin == 0 && w.start() > 0) break;  // its line starts before the window
        const size_t end = std::min(b.find('\n', at), b.size());
        if (auto j = parse_object(b, begin, end); j && (*j)["knn_top1"].is_number())
          tail.knn_top1 = (*j)["knn_top1"].get<double>();
      }
      if (tail.knn_top1 || w.start() == 0 || span >= kTailSearchBytes) break;
    }
  }
  return tail;
}

}  // namespace can::runs
