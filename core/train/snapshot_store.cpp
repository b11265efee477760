#include "core/train/snapshot_store.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <sstream>
#include <system_error>

#include "core/io/safetensors.h"

namespace can {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormat = "can-snapshot-1";
constexpr const char* kPrefix = "step_";
constexpr const char* kSuffix = ".safetensors";

// The image-like tensors: float16 halves the file, and 11 bits of mantissa are far finer
// than the 8-bit pixels they become (a normalised pixel of ±2.5 is off by at most 0.001).
const char* const kHalfTensors[] = {"original",       "views",           "noisy",   "true_noise",
                                    "reconstruction", "predicted_noise", "denoised"};

torch::Tensor Snapshot::*field_of(const std::string& name) {
  static const std::map<std::string, torch::Tensor Snapshot::*> fields = {
      {"original", &Snapshot::original},
      {"views", &Snapshot::views},
      {"mask", &Snapshot::mask},
      {"noisy", &Snapshot::noisy},
      {"sigma", &Snapshot::sigma},
      {"sigma_batch", &Snapshot::sigma_batch},
      {"true_noise", &Snapshot::true_noise},
      {"reconstruction", &Snapshot::reconstruction},
      {"predicted_noise", &Snapshot::predicted_noise},
      {"denoised", &Snapshot::denoised}};
  const auto it = fields.find(name);
  return it == fields.end() ? nullptr : it->second;
}

std::string number_text(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

std::string list_text(const std::vector<float>& values) {
  std::string out;
  for (float v : values) out += (out.empty() ? "" : ",") + number_text(v);
  return out;
}

std::vector<float> parse_list(const std::string& text) {
  std::vector<float> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stof(item));
  return out;
}

// The step of a file name step_<N>.safetensors; -1 for any other name.
int64_t step_of_name(const std::string& name) {
  const std::string prefix = kPrefix, suffix = kSuffix;
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return -1;
  const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.size() > 18 || !std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(c); }))
    return -1;
  return std::stoll(digits);
}

}  // namespace

SnapshotSettings snapshot_settings_of(const RunConfig& config) {
  return {config.loss.mask_ratio, config.loss.sigma_max, config.loss.norm_pix, config.objectives.denoise};
}

std::vector<int64_t> snapshot_steps_to_keep(std::vector<int64_t> steps, int64_t keep) {
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  if (keep <= 0) return {};
  const size_t recent = std::min(steps.size(), static_cast<size_t>(keep));
  std::vector<int64_t> history(steps.begin(), steps.end() - static_cast<std::ptrdiff_t>(recent));
  // The snapshot that has just left the newest `keep`: kept only at the history's spacing.
  const size_t h = history.size();
  if (h >= 3 && history[h - 1] - history[h - 2] < history[h - 2] - history[h - 3]) history.pop_back();
  if (history.size() > static_cast<size_t>(keep)) {
    std::vector<int64_t> thinned;
    for (size_t i = 0; i < history.size(); i += 2) thinned.push_back(history[i]);
    history.swap(thinned);
  }
  history.insert(history.end(), steps.end() - static_cast<std::ptrdiff_t>(recent), steps.end());
  return history;
}

void write_snapshot_file(const std::string& path, const Snapshot& s, const SnapshotSettings& settings) {
  io::NamedTensors tensors;
  for (const char* name : {"original", "views", "mask", "noisy", "sigma", "sigma_batch", "true_noise", "reconstruction",
                           "predicted_noise", "denoised"}) {
    const torch::Tensor& t = s.*field_of(name);
    if (!t.defined()) continue;
    const bool half = std::find_if(std::begin(kHalfTensors), std::end(kHalfTensors),
                                   [&](const char* h) { return std::string(h) == name; }) != std::end(kHalfTensors);
    const auto type = std::string(name) == "mask" ? torch::kByte : half ? torch::kHalf : torch::kFloat;
    tensors.emplace_back(name, t.detach().to(torch::kCPU).to(type).contiguous());
  }
  const std::map<std::string, std::string> metadata = {{"format", kFormat},
                                                       {"step", std::to_string(s.step)},
                                                       {"num_views", std::to_string(s.num_views)},
                                                       {"patch_size", std::to_string(s.patch_size)},
                                                       {"mean", list_text(s.mean)},
                                                       {"std", list_text(s.std)},
                                                       {"mask_ratio", number_text(settings.mask_ratio)},
                                                       {"sigma_max", number_text(settings.sigma_max)},
                                                       {"norm_pix", settings.norm_pix ? "1" : "0"},
                                                       {"denoise", settings.denoise ? "1" : "0"}};
  try {
    io::write_safetensors(path, tensors, metadata);
  } catch (const std::exception& e) {
    const std::string what = e.what();
    throw SnapshotStoreError(what.rfind(path, 0) == 0 ? what : path + ": " + what);
  }
}

StoredSnapshot read_snapshot_file(const std::string& path) {
  io::SafetensorsFile file;
  try {
    file = io::read_safetensors(path);
  } catch (const std::exception& e) {
    const std::string what = e.what();
    throw SnapshotStoreError(what.rfind(path, 0) == 0 ? what : path + ": " + what);
  }
  auto fail = [&](const std::string& problem) { return SnapshotStoreError(path + ": " + problem); };
  auto meta = [&](const std::string& key) {
    const auto it = file.metadata.find(key);
    if (it == file.metadata.end()) throw fail("not a CAN snapshot (no \"" + key + "\" in its metadata)");
    return it->second;
  };
  if (meta("format") != kFormat) throw fail("unknown snapshot format \"" + meta("format") + "\"");
  StoredSnapshot out;
  Snapshot& s = out.snapshot;
  try {
    s.step = std::stoll(meta("step"));
    s.num_views = std::stoll(meta("num_views"));
    s.patch_size = std::stoll(meta("patch_size"));
    s.mean = parse_list(meta("mean"));
    s.std = parse_list(meta("std"));
    out.settings.mask_ratio = std::stod(meta("mask_ratio"));
    out.settings.sigma_max = std::stod(meta("sigma_max"));
  } catch (const std::logic_error& e) {  // std::stoll / stod: not a number, out of range
    if (dynamic_cast<const SnapshotStoreError*>(&e)) throw;
    throw fail("a metadata value is not a number");
  }
  out.settings.norm_pix = meta("norm_pix") == "1";
  out.settings.denoise = meta("denoise") == "1";
  for (const std::string& name : file.names()) {
    const auto field = field_of(name);
    if (!field) throw fail("unknown tensor \"" + name + "\"");
    s.*field = file.tensor(name).to(torch::kFloat);
  }
  // Everything the panels index must be there and agree in shape, so a damaged file is an
  // error here rather than an out-of-range read later.
  for (const char* name : {"original", "views", "mask", "noisy", "sigma"})
    if (!file.contains(name)) throw fail(std::string("no tensor \"") + name + "\"");
  const int64_t V = s.num_views, p = s.patch_size;
  const auto& o = s.original;
  if (o.dim() != 4 || V < 1 || p < 1) throw fail("inconsistent shapes");
  const int64_t k = o.size(0), C = o.size(1), H = o.size(2), W = o.size(3);
  const std::vector<int64_t> image{V, k, C, H, W};
  for (const char* name : {"views", "noisy", "true_noise", "reconstruction", "predicted_noise", "denoised"}) {
    const torch::Tensor& t = s.*field_of(name);
    if (t.defined() && t.sizes().vec() != image) throw fail(std::string("tensor \"") + name + "\" has the wrong shape");
  }
  if (s.mask.sizes().vec() != std::vector<int64_t>{V, k, H / p, W / p} || H % p != 0 || W % p != 0)
    throw fail("tensor \"mask\" has the wrong shape");
  if (s.sigma.sizes().vec() != std::vector<int64_t>{V, k}) throw fail("tensor \"sigma\" has the wrong shape");
  if (s.sigma_batch.defined() && s.sigma_batch.dim() != 2) throw fail("tensor \"sigma_batch\" has the wrong shape");
  if (out.settings.denoise && !(s.true_noise.defined() && s.predicted_noise.defined() && s.denoised.defined()))
    throw fail("a denoising snapshot without its noise tensors");
  return out;
}

SnapshotStore::SnapshotStore(const std::string& run_dir, int64_t keep, int64_t every)
    : run_dir_(run_dir), keep_(keep), every_(every) {}

std::string SnapshotStore::dir_of(const std::string& run_dir) { return (fs::path(run_dir) / "snapshots").string(); }

std::string SnapshotStore::path_of(int64_t step) const {
  return (fs::path(dir_of(run_dir_)) / (kPrefix + std::to_string(step) + kSuffix)).string();
}

void SnapshotStore::write(const Snapshot& snapshot, const SnapshotSettings& settings) {
  std::error_code ec;
  fs::create_directories(dir_of(run_dir_), ec);
  if (ec) throw SnapshotStoreError(dir_of(run_dir_) + ": cannot create: " + ec.message());
  write_snapshot_file(path_of(snapshot.step), snapshot, settings);
  const std::vector<int64_t> all = steps();
  const std::vector<int64_t> kept = snapshot_steps_to_keep(all, keep_);
  for (int64_t step : all) {
    if (std::binary_search(kept.begin(), kept.end(), step)) continue;
    if (!fs::remove(path_of(step), ec) && ec)
      throw SnapshotStoreError(path_of(step) + ": cannot remove: " + ec.message());
  }
}

void SnapshotStore::drop_after(int64_t step) {
  std::error_code ec;
  for (int64_t s : steps())
    if (s > step && !fs::remove(path_of(s), ec) && ec)
      throw SnapshotStoreError(path_of(s) + ": cannot remove: " + ec.message());
}

std::vector<int64_t> SnapshotStore::list_snapshot_steps(const std::string& run_dir) {
  std::vector<int64_t> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir_of(run_dir), ec), end; !ec && it != end; it.increment(ec)) {
    const int64_t step = step_of_name(it->path().filename().string());
    if (step >= 0) out.push_back(step);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace can
