#include "core/train/checkpoint.h"

#include "core/train/adamw_step.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/util/json_limits.h"
#include "core/util/sha256.h"

namespace can {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kFormatVersion = 1;
const char* kLatest = "latest";
const char* kManifest = "manifest.json";
const char* kManifestFormat = "can-checkpoint-manifest";
constexpr int kManifestVersion = 1;
// Every file a checkpoint holds besides its manifest, in the order they are written.
const std::vector<std::string> kCheckpointFiles = {"model.pt", "optimizer.pt", "rng.pt", "state.json", "config.json"};
// Bounds on the small files read before anything is verified.
constexpr size_t kMaxManifestBytes = 64 * 1024;
constexpr size_t kMaxStateBytes = 64 * 1024;
constexpr size_t kMaxLatestBytes = 256;
constexpr size_t kMaxFileNameBytes = 100;
// State of CUDA's Philox generator (LibTorch 1.13 and 2.x): seed and offset, 8 bytes each.
constexpr int64_t kCudaGeneratorStateBytes = 16;

// Damage: the bytes on disk are not those the writer wrote (or the manifest says so).
CheckpointDamaged damaged(const fs::path& file, const std::string& problem) {
  return CheckpointDamaged(file.string() + ": " + problem);
}

// A file that is what its writer wrote, holding something that does not fit.
CheckpointError fail(const fs::path& file, const std::string& problem) {
  return CheckpointError(file.string() + ": " + problem);
}

// A torch archive inside the unpublished directory, flushed to disk (fsync) so that its data
// reaches the disk before the rename that publishes the directory does.
void save_archive(torch::serialize::OutputArchive& archive, const fs::path& p) {
  archive.save_to(p.string());
  io::fsync_path(p.string());
}

// A whole small file, refused (CheckpointError) when missing, unreadable or larger than max_bytes.
std::string read_small(const fs::path& p, size_t max_bytes) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw damaged(p, "cannot open");
  std::string text(max_bytes + 1, '\0');
  f.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (f.bad()) throw damaged(p, "cannot read");
  text.resize(static_cast<size_t>(f.gcount()));
  if (text.size() > max_bytes) throw damaged(p, "larger than " + std::to_string(max_bytes) + " bytes (damaged?)");
  return text;
}

json parse_small_json(const fs::path& p, size_t max_bytes) {
  const std::string text = read_small(p, max_bytes);
  try {
    return parse_json_bounded(text.data(), text.data() + text.size());
  } catch (const JsonTextError& e) {
    throw damaged(p, e.what());
  }
}

std::string step_name(int64_t step) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "step_%06lld", static_cast<long long>(step));
  return buf;
}

// "step_" followed by 1 to 18 digits: the only names a checkpoints folder publishes.
std::optional<int64_t> step_of(const std::string& name) {
  if (name.size() <= 5 || name.size() > 5 + 18 || name.rfind("step_", 0) != 0) return std::nullopt;
  for (size_t i = 5; i < name.size(); ++i)
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
  return std::stoll(name.substr(5));
}

// step_ directories of a checkpoints folder, oldest first.
std::vector<std::pair<int64_t, fs::path>> list_checkpoints(const fs::path& dir) {
  std::vector<std::pair<int64_t, fs::path>> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_directory()) continue;
    if (const auto step = step_of(e.path().filename().string())) out.emplace_back(*step, e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The directory name `latest` holds, when it holds a valid one.
std::optional<std::string> read_latest(const fs::path& dir) {
  const fs::path p = dir / kLatest;
  if (!fs::is_regular_file(p)) return std::nullopt;
  std::string name;
  try {
    name = read_small(p, kMaxLatestBytes);
  } catch (const CheckpointError&) {
    return std::nullopt;
  }
  name.erase(name.find_last_not_of(" \n\r\t") + 1);
  if (!step_of(name)) return std::nullopt;
  return name;
}

// Atomically replaces `latest` with the name of a checkpoint directory.
void publish_latest(const fs::path& dir, const std::string& name) {
  io::AtomicWriteOptions options;
  options.temp_path = (dir / ".latest.tmp").string();  // hidden: readers and the listing ignore it
  options.sync_directory = true;
  io::write_file_atomic((dir / kLatest).string(), name + "\n", options);
}

// Deletes a checkpoint directory so that no reader sees half of it: renamed to a hidden
// name first (atomic), then removed; a crash mid-removal leaves only a hidden leftover,
// cleared by the next save.
void remove_out_of_sight(const fs::path& dir, const std::function<void(const std::string&)>& before_remove = nullptr) {
  const fs::path hidden = dir.parent_path() / (".del_" + dir.filename().string());
  if (fs::exists(hidden)) fs::remove_all(hidden);
  fs::rename(dir, hidden);
  if (before_remove) before_remove(hidden.string());
  fs::remove_all(hidden);
}

// Moves a complete checkpoint directory `tmp` to `final_dir`. When final_dir exists (a
// re-save of the same step) the two are swapped atomically (renameat2 RENAME_EXCHANGE), so
// the name always holds a complete checkpoint, and the old one is removed from tmp's name.
void publish_dir(const fs::path& tmp, const fs::path& final_dir) {
  if (!fs::exists(final_dir)) {
    fs::rename(tmp, final_dir);
    return;
  }
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, final_dir.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(tmp);
    return;
  }
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    throw std::runtime_error(final_dir.string() + ": cannot replace: " + std::strerror(errno));
  // A file system without the exchange: out of sight first; a crash between the two renames
  // leaves the name missing (resume then takes the previous checkpoint), never half-written.
  remove_out_of_sight(final_dir);
  fs::rename(tmp, final_dir);
}

// ---- manifest -------------------------------------------------------------------------

struct ManifestEntry {
  uint64_t size = 0;
  std::string sha256;  // 64 lowercase hex digits
};
using Manifest = std::map<std::string, ManifestEntry>;

bool is_plain_file_name(const std::string& name) {
  return !name.empty() && name.size() <= kMaxFileNameBytes && name != "." && name != ".." && name != kManifest &&
         name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

bool is_sha256_hex(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

json manifest_json(const fs::path& dir) {
  json files = json::array();
  for (const std::string& name : kCheckpointFiles) {
    uint64_t size = 0;
    const std::string digest = sha256_file_hex((dir / name).string(), &size);
    files.push_back({{"name", name}, {"size", size}, {"sha256", digest}});
  }
  return {{"format", kManifestFormat}, {"version", kManifestVersion}, {"files", files}};
}

std::mutex g_warning_mutex;
std::function<void(const std::string&)> g_warning_handler;
std::set<std::string> g_warned;

void warn(const std::string& line) {
  std::function<void(const std::string&)> handler;
  {
    std::lock_guard<std::mutex> lock(g_warning_mutex);
    if (!g_warned.insert(line).second) return;
    handler = g_warning_handler;
  }
  if (handler) handler(line);
  else std::fprintf(stderr, "warning: %s\n", line.c_str());
}

// The manifest of a checkpoint directory; nullopt for a checkpoint written before manifests
// (no manifest.json, and a state.json without the "manifest" key that announces one),
// after warning once. Throws CheckpointError for a manifest that is missing though
// announced, or malformed.
std::optional<Manifest> read_manifest(const fs::path& dir) {
  const fs::path path = dir / kManifest;
  std::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    const json state = parse_small_json(dir / "state.json", kMaxStateBytes);
    if (state.is_object() && state.contains("manifest"))
      throw damaged(path, "missing, though state.json says the checkpoint has one (deleted?)");
    warn(dir.string() + ": no manifest.json (written before checkpoints carried checksums): its files are read unverified");
    return std::nullopt;
  }
  if (status.type() != fs::file_type::regular) throw damaged(path, "not a regular file");
  const json j = parse_small_json(path, kMaxManifestBytes);
  auto bad = [&](const std::string& what) { return damaged(path, what + " (damaged?)"); };
  if (!j.is_object() || !j.contains("format") || j["format"] != kManifestFormat)
    throw bad("not a checkpoint manifest");
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int64_t>() != kManifestVersion)
    throw bad("unsupported manifest version");
  if (!j.contains("files") || !j["files"].is_array()) throw bad("no list of files");
  Manifest m;
  for (const json& e : j["files"]) {
    if (!e.is_object() || !e.contains("name") || !e["name"].is_string() || !e.contains("size") ||
        !e["size"].is_number_unsigned() || !e.contains("sha256") || !e["sha256"].is_string())
      throw bad("an entry without name, size and sha256");
    const std::string name = e["name"].get<std::string>();
    if (!is_plain_file_name(name)) throw bad("an entry names " + clip_text(name) + ", not a file of the checkpoint");
    const std::string digest = e["sha256"].get<std::string>();
    if (!is_sha256_hex(digest)) throw bad(name + ": sha256 is not 64 lowercase hex digits");
    if (!m.emplace(name, ManifestEntry{e["size"].get<uint64_t>(), digest}).second) throw bad(name + " listed twice");
  }
  return m;
}

// Checks that the manifest lists every file in `names`.
void require_listed(const fs::path& dir, const Manifest& m, const std::vector<std::string>& names) {
  for (const std::string& name : names)
    if (!m.count(name)) throw damaged(dir / name, "not listed in manifest.json (checkpoint incomplete or altered?)");
}

std::string size_mismatch(uint64_t actual, uint64_t expected) {
  return std::to_string(actual) + " bytes, manifest.json says " + std::to_string(expected) +
         " (file truncated or damaged?)";
}

const char* kChecksumMismatch = "checksum mismatch (file damaged?)";

// Size of a regular file; CheckpointError when missing or not a regular file.
uint64_t file_size_of(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) {
    if (errno == ENOENT) throw damaged(p, "missing");
    throw damaged(p, std::string("cannot read: ") + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) throw damaged(p, "not a regular file");
  return static_cast<uint64_t>(st.st_size);
}

// Hashes one file as it streams by, against its manifest entry.
void verify_file(const fs::path& p, const ManifestEntry& e) {
  const uint64_t size = file_size_of(p);
  if (size != e.size) throw damaged(p, size_mismatch(size, e.size));
  uint64_t hashed = 0;
  std::string digest;
  try {
    digest = sha256_file_hex(p.string(), &hashed);
  } catch (const std::runtime_error& ex) {
    throw CheckpointDamaged(ex.what());
  }
  if (hashed != e.size) throw damaged(p, size_mismatch(hashed, e.size));
  if (digest != e.sha256) throw damaged(p, kChecksumMismatch);
}

// A whole file in memory, checked against its manifest entry when there is one. The
// bytes returned are the bytes checked: nothing reads the file again.
std::string read_checked(const fs::path& p, const ManifestEntry* e) {
  const uint64_t size = file_size_of(p);
  if (e && size != e->size) throw damaged(p, size_mismatch(size, e->size));
  std::ifstream f(p, std::ios::binary);
  if (!f) throw damaged(p, "cannot open");
  std::string bytes(static_cast<size_t>(size) + 1, '\0');  // one more: a file that grew since stat
  f.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (f.bad()) throw damaged(p, "cannot read");
  bytes.resize(static_cast<size_t>(f.gcount()));
  if (e && bytes.size() != e->size) throw damaged(p, size_mismatch(bytes.size(), e->size));
  if (e && sha256_hex(bytes) != e->sha256) throw damaged(p, kChecksumMismatch);
  return bytes;
}

// Every file of a checkpoint in memory, verified when it has a manifest.
struct CheckpointBytes {
  bool verified = false;
  std::map<std::string, std::string> files;
};

CheckpointBytes read_checkpoint_bytes(const fs::path& dir) {
  CheckpointBytes out;
  const std::optional<Manifest> m = read_manifest(dir);
  if (m) require_listed(dir, *m, kCheckpointFiles);
  out.verified = m.has_value();
  for (const std::string& name : kCheckpointFiles) out.files[name] = read_checked(dir / name, m ? &m->at(name) : nullptr);
  return out;
}

// Verifies (without keeping) the files in `names` of a checkpoint; false when it has no
// manifest.
bool verify_files(const fs::path& dir, const std::vector<std::string>& names) {
  const std::optional<Manifest> m = read_manifest(dir);
  if (!m) return false;
  require_listed(dir, *m, names);
  for (const std::string& name : names) verify_file(dir / name, m->at(name));
  return true;
}

// ---- candidates -----------------------------------------------------------------------

bool looks_like_checkpoint_dir(const fs::path& p) {
  return fs::exists(p / kManifest) || fs::exists(p / "model.pt") || fs::exists(p / "state.json");
}

// The checkpoints folder of a run directory (or the folder itself): the one holding
// `latest` or step_ directories.
std::optional<fs::path> checkpoints_folder(const fs::path& p) {
  for (const fs::path& dir : {p / "checkpoints", p})
    if (fs::exists(dir / kLatest) || !list_checkpoints(dir).empty()) return dir;
  return std::nullopt;
}

// What a resume may read, in order of preference. explicit_dir: the path is a checkpoint
// itself (no fallback). Otherwise: the checkpoint `latest` names, then the older step_
// directories, newest first; without a valid pointer, every step_ directory newest first.
struct Candidates {
  bool explicit_dir = false;
  std::vector<fs::path> dirs;
};

Candidates candidates_of(const std::string& path) {
  const fs::path p(path);
  Candidates c;
  if (looks_like_checkpoint_dir(p)) {
    c.explicit_dir = true;
    c.dirs.push_back(p);
    return c;
  }
  const auto folder = checkpoints_folder(p);
  if (!folder) throw std::runtime_error(path + ": no checkpoint found (expected a step_ directory or a run directory)");
  const auto all = list_checkpoints(*folder);
  std::optional<int64_t> latest_step;
  if (const auto name = read_latest(*folder); name && fs::is_directory(*folder / *name)) {
    latest_step = step_of(*name);
    c.dirs.push_back(*folder / *name);
  }
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (!latest_step || it->first < *latest_step) c.dirs.push_back(it->second);
  if (c.dirs.empty()) throw std::runtime_error(path + ": no checkpoint found (expected a step_ directory or a run directory)");
  return c;
}

// Tries `attempt` on each candidate until one passes. Damage (CheckpointDamaged) of a run
// directory's candidate becomes a note and the next is tried; that of an explicit
// checkpoint is thrown. Anything else is thrown as it is. Returns the index of the
// candidate that passed.
template <typename Attempt>
size_t first_usable(const std::string& path, const Candidates& c, std::vector<std::string>& notes, Attempt attempt) {
  std::vector<std::string> problems;
  for (size_t i = 0; i < c.dirs.size(); ++i) {
    try {
      attempt(c.dirs[i]);
    } catch (const CheckpointDamaged& e) {
      if (c.explicit_dir)
        throw CheckpointDamaged(std::string(e.what()) +
                              "; resume the run directory instead to fall back to the previous checkpoint");
      problems.push_back(e.what());
      continue;
    }
    for (size_t k = 0; k < problems.size(); ++k)
      notes.push_back(problems[k] + (k + 1 < problems.size() ? "; checkpoint passed over"
                                                             : "; resuming from the previous complete checkpoint " +
                                                                   c.dirs[i].string() + " instead"));
    return i;
  }
  std::string message = path + ": no usable checkpoint: ";
  for (size_t k = 0; k < problems.size() && k < 3; ++k) message += (k ? "; " : "") + problems[k];
  if (problems.size() > 3) message += "; and " + std::to_string(problems.size() - 3) + " more";
  throw CheckpointDamaged(message);
}

// ---- checks on what LibTorch built ----------------------------------------------------

std::string shape_text(c10::IntArrayRef s) {
  std::ostringstream o;
  o << s;
  return o.str();
}

// A tensor LibTorch read, against what it must be: defined, on the CPU, strided, of this
// dtype and shape, contiguous, and lying inside its storage. A pickle sets the offset,
// sizes and strides of a tensor without comparing them with its storage, so a view past
// the storage's end reads (and AdamW writes) out of bounds.
void check_tensor(const fs::path& file, const std::string& what, const torch::Tensor& t, c10::IntArrayRef shape,
                  torch::ScalarType dtype) {
  auto bad = [&](const std::string& problem) { return fail(file, what + ": " + problem); };
  if (!t.defined()) throw bad("missing (undefined tensor)");
  if (t.layout() != torch::kStrided || !t.device().is_cpu()) throw bad("not a dense CPU tensor");
  if (t.scalar_type() != dtype)
    throw bad(std::string("dtype ") + c10::toString(t.scalar_type()) + ", expected " + c10::toString(dtype));
  if (t.sizes() != shape) throw bad("shape " + shape_text(t.sizes()) + ", expected " + shape_text(shape));
  if (!t.is_contiguous()) throw bad("not contiguous (strides " + shape_text(t.strides()) + ")");
  const int64_t offset = t.storage_offset();
  const uint64_t item = t.element_size();
  const uint64_t nbytes = t.storage().nbytes();
  const uint64_t numel = static_cast<uint64_t>(t.numel());
  const bool inside = offset >= 0 && static_cast<uint64_t>(offset) <= nbytes / item &&
                      numel <= nbytes / item - static_cast<uint64_t>(offset);
  if (!inside)
    throw bad("lies outside its storage (offset " + std::to_string(offset) + " + " + std::to_string(numel) +
              " elements of " + std::to_string(item) + " bytes > " + std::to_string(nbytes) + " bytes)");
  if (numel > 0 && t.storage().data() == nullptr) throw bad("has no data");
}

// A parameter or buffer read from an archive, with the model's own tensor it goes into.
struct TensorSlot {
  std::string name;
  torch::Tensor dest, loaded;
};

// Reads every parameter and buffer of `m` the way Module::load does (one sub-archive per
// serializable child), into new tensors: nothing of the model changes yet. A key the
// archive lacks throws c10::Error (LibTorch's "No such serialized tensor").
void read_module(torch::nn::Module& m, torch::serialize::InputArchive& a, const std::string& prefix,
                 std::vector<TensorSlot>& out) {
  for (const auto& p : m.named_parameters(/*recurse=*/false)) {
    TensorSlot s{prefix + p.key(), p.value(), {}};
    a.read(p.key(), s.loaded);
    out.push_back(std::move(s));
  }
  for (const auto& b : m.named_buffers(/*recurse=*/false)) {
    TensorSlot s{prefix + b.key(), b.value(), {}};
    a.read(b.key(), s.loaded, /*is_buffer=*/true);
    out.push_back(std::move(s));
  }
  for (const auto& child : m.named_children()) {
    if (!child.value()->is_serializable()) continue;
    torch::serialize::InputArchive sub;
    a.read(child.key(), sub);
    read_module(*child.value(), sub, prefix + child.key() + ".", out);
  }
}

// The first non-empty line of a message, at most 200 bytes.
std::string first_line(const std::string& text) {
  const size_t begin = text.find_first_not_of("\n\r ");
  if (begin == std::string::npos) return "(no message)";
  const size_t end = text.find('\n', begin);
  return clip_text(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin), 200);
}

// Runs LibTorch's reading of `file`: c10::Error passes as it is (the caller says the
// checkpoint does not fit), our own CheckpointErrors too; anything else LibTorch throws on
// bytes it cannot make sense of (std::out_of_range, a TorchScript type error) is turned
// into a CheckpointError naming the file.
template <typename Read>
auto parse_guarded(const fs::path& file, Read read) -> decltype(read()) {
  try {
    return read();
  } catch (const CheckpointError&) {
    throw;
  } catch (const c10::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw fail(file, "LibTorch cannot read it: " + first_line(e.what()));
  }
}

torch::serialize::InputArchive archive_of(const std::string& bytes) {
  torch::serialize::InputArchive a;
  a.load_from(bytes.data(), bytes.size(), torch::Device(torch::kCPU));
  return a;
}

// The model's weights and buffers from model.pt's bytes, checked, not yet copied in.
std::vector<TensorSlot> read_model_tensors(const fs::path& file, const std::string& bytes, CanModel& model) {
  std::vector<TensorSlot> slots;
  parse_guarded(file, [&] {
    torch::serialize::InputArchive a = archive_of(bytes);
    read_module(*model, a, "", slots);
  });
  for (const TensorSlot& s : slots) check_tensor(file, s.name, s.loaded, s.dest.sizes(), s.dest.scalar_type());
  return slots;
}

void copy_into_model(const std::vector<TensorSlot>& slots) {
  torch::NoGradGuard no_grad;
  for (const TensorSlot& s : slots) s.dest.copy_(s.loaded);
}

// optimizer.pt's bytes read into a new AdamW over the same parameter groups, its state
// checked against the parameters; the optimizer itself is not touched.
std::unique_ptr<torch::optim::AdamW> read_optimizer(const fs::path& file, const std::string& bytes,
                                                   torch::optim::AdamW& optimizer, CanModel& model) {
  auto scratch = std::make_unique<torch::optim::AdamW>(optimizer.param_groups());
  parse_guarded(file, [&] {
    torch::serialize::InputArchive a = archive_of(bytes);
    scratch->load(a);
  });
  std::map<const c10::TensorImpl*, std::string> names;
  for (const auto& p : model->named_parameters()) names[p.value().unsafeGetTensorImpl()] = p.key();
  for (const auto& group : scratch->param_groups()) {
    for (const torch::Tensor& p : group.params()) {
      const torch::optim::AdamWParamState* state = adamw_state(*scratch, p);  // key type differs 1.x / 2.x
      if (!state) continue;  // not stepped yet: AdamW starts its state afresh
      const auto& st = *state;
      const auto n = names.find(p.unsafeGetTensorImpl());
      const std::string of = " of " + (n != names.end() ? n->second : std::string("a parameter"));
      if (st.step() < 0) throw fail(file, "step" + of + ": " + std::to_string(st.step()) + ", expected >= 0");
      check_tensor(file, "exp_avg" + of, st.exp_avg(), p.sizes(), torch::kFloat);
      check_tensor(file, "exp_avg_sq" + of, st.exp_avg_sq(), p.sizes(), torch::kFloat);
      if (st.max_exp_avg_sq().defined())
        check_tensor(file, "max_exp_avg_sq" + of, st.max_exp_avg_sq(), p.sizes(), torch::kFloat);
    }
  }
  return scratch;
}

int64_t cpu_generator_state_bytes() {
  static const int64_t n = at::make_generator<at::CPUGeneratorImpl>(0).get_state().numel();
  return n;
}

// A generator state from rng.pt: a byte tensor of exactly a generator's state length
// (CPUGeneratorImpl's; for generator_state also CUDA's Philox state).
void check_generator_state(const fs::path& file, const std::string& name, const torch::Tensor& t, bool cuda_allowed) {
  const int64_t cpu = cpu_generator_state_bytes();
  const int64_t n = t.defined() && t.dim() == 1 ? t.size(0) : cpu;
  const int64_t expected = cuda_allowed && n == kCudaGeneratorStateBytes ? n : cpu;
  check_tensor(file, name, t, {expected}, torch::kByte);
}

TrainState parse_state(const fs::path& file, const std::string& bytes) {
  json j;
  try {
    j = parse_json_bounded(bytes.data(), bytes.data() + bytes.size());
  } catch (const JsonTextError& e) {
    throw fail(file, e.what());
  }
  if (!j.is_object()) throw fail(file, "not a JSON object");
  if (!j.contains("format_version") || j["format_version"] != kFormatVersion)
    throw fail(file, "unsupported checkpoint format");
  auto count = [&](const char* key, bool required) -> int64_t {
    if (!j.contains(key)) {
      if (required) throw fail(file, std::string(key) + ": missing");
      return 0;
    }
    const json& v = j[key];
    if (!v.is_number_integer()) throw fail(file, std::string(key) + ": expected an integer, got " + clip_json(v));
    const int64_t x = v.get<int64_t>();
    if (x < 0) throw fail(file, std::string(key) + ": " + std::to_string(x) + ", expected >= 0");
    return x;
  };
  TrainState s;
  s.step = count("step", true);
  s.epoch = count("epoch", true);
  s.batch_in_epoch = count("batch_in_epoch", true);
  s.total_steps = count("total_steps", false);
  s.warmup_steps = count("warmup_steps", false);
  return s;
}

}  // namespace

std::string save_checkpoint(const std::string& run_dir, const RunConfig& config, CanModel& model,
                            torch::optim::Optimizer& optimizer, const TrainState& state,
                            const CheckpointWriteOptions& options) {
  const fs::path dir = fs::path(run_dir) / "checkpoints";
  fs::create_directories(dir);
  const std::string name = step_name(state.step);
  // Leftovers of an interrupted write or removal are never published; clear them.
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.rfind(".tmp_", 0) == 0 || n.rfind(".del_", 0) == 0) fs::remove_all(e.path());
  }

  const fs::path tmp = dir / (".tmp_" + name);
  fs::create_directories(tmp);
  // Every file is flushed to disk as it is written (io/atomic_file), before the directory is
  // renamed into place.
  {
    torch::serialize::OutputArchive a;
    model->save(a);
    save_archive(a, tmp / "model.pt");
  }
  {
    torch::serialize::OutputArchive a;
    optimizer.save(a);
    save_archive(a, tmp / "optimizer.pt");
  }
  {
    torch::serialize::OutputArchive a;
    if (state.generator_state.defined()) a.write("generator_state", state.generator_state);
    if (state.cpu_rng_state.defined()) a.write("cpu_rng_state", state.cpu_rng_state);
    save_archive(a, tmp / "rng.pt");
  }
  // "manifest" tells a reader that a checkpoint without manifest.json lost it (readers
  // from before manifests ignore the key).
  io::write_file_atomic((tmp / "state.json").string(), json{{"format_version", kFormatVersion},
                                                            {"step", state.step},
                                                            {"epoch", state.epoch},
                                                            {"batch_in_epoch", state.batch_in_epoch},
                                                            {"total_steps", state.total_steps},
                                                            {"warmup_steps", state.warmup_steps},
                                                            {"manifest", kManifest}}
                                                           .dump(2));
  io::write_file_atomic((tmp / "config.json").string(), json(config).dump(2));
  // Last: the checksums of the files as they are on disk, written atomically (a temporary
  // file, fsync, rename) inside the unpublished directory, whose entries are then synced.
  io::AtomicWriteOptions manifest_options;
  manifest_options.sync_directory = true;
  io::write_file_atomic((tmp / kManifest).string(), manifest_json(tmp).dump(2) + "\n", manifest_options);
  if (options.before_publish) options.before_publish(tmp.string());

  const fs::path final_dir = dir / name;
  publish_dir(tmp, final_dir);
  io::fsync_path(dir.string());
  publish_latest(dir, name);

  if (options.keep_last > 0) {
    auto all = list_checkpoints(dir);
    for (size_t i = 0; i + static_cast<size_t>(options.keep_last) < all.size(); ++i)
      if (all[i].second != final_dir) remove_out_of_sight(all[i].second, options.before_remove);
  }
  return final_dir.string();
}

std::string resolve_checkpoint(const std::string& path) {
  const fs::path p(path);
  if (looks_like_checkpoint_dir(p)) return p.string();
  if (const auto folder = checkpoints_folder(p)) {
    if (const auto name = read_latest(*folder); name && fs::is_directory(*folder / *name)) return (*folder / *name).string();
    const auto all = list_checkpoints(*folder);
    if (!all.empty()) return all.back().second.string();
  }
  throw std::runtime_error(path + ": no checkpoint found (expected a step_ directory or a run directory)");
}

bool verify_checkpoint(const std::string& checkpoint_dir) { return verify_files(checkpoint_dir, kCheckpointFiles); }

CheckpointChoice choose_checkpoint(const std::string& path) {
  const Candidates c = candidates_of(path);
  CheckpointChoice choice;
  const size_t i = first_usable(path, c, choice.notes, [&](const fs::path& dir) { choice.verified = verify_checkpoint(dir.string()); });
  choice.dir = c.dirs[i].string();
  return choice;
}

void set_checkpoint_warning_handler(std::function<void(const std::string&)> handler) {
  std::lock_guard<std::mutex> lock(g_warning_mutex);
  g_warning_handler = std::move(handler);
}

RunConfig load_run_config(const std::string& checkpoint_path) {
  const fs::path dir = resolve_checkpoint(checkpoint_path);
  verify_files(dir, {"config.json"});
  return load_run_config_file((dir / "config.json").string());
}

CanModel load_model(const std::string& checkpoint_path, RunConfig* config_out) {
  const fs::path dir = resolve_checkpoint(checkpoint_path);
  const std::optional<Manifest> m = read_manifest(dir);
  if (m) require_listed(dir, *m, {"config.json", "model.pt"});
  if (m) verify_file(dir / "config.json", m->at("config.json"));
  RunConfig config = load_run_config_file((dir / "config.json").string());
  const std::string bytes = read_checked(dir / "model.pt", m ? &m->at("model.pt") : nullptr);
  // The checkpoint's config holds the resolved noise_embed_scale, so sigma_max only
  // matters for models saved without one.
  CanModel model(config.model, config.objectives, config.loss.sigma_max);
  copy_into_model(read_model_tensors(dir / "model.pt", bytes, model));
  model->eval();
  if (config_out) *config_out = config;
  return model;
}

TrainState load_checkpoint(const std::string& checkpoint_path, CanModel& model, torch::optim::AdamW& optimizer,
                           CheckpointChoice* choice_out) {
  const Candidates c = candidates_of(checkpoint_path);
  CheckpointChoice choice;
  TrainState s;
  std::vector<TensorSlot> weights;
  std::unique_ptr<torch::optim::AdamW> state;
  const size_t i = first_usable(checkpoint_path, c, choice.notes, [&](const fs::path& dir) {
    if (choice_out) choice_out->dir = dir.string();  // names the checkpoint if LibTorch throws
    const CheckpointBytes b = read_checkpoint_bytes(dir);
    choice.verified = b.verified;
    weights = read_model_tensors(dir / "model.pt", b.files.at("model.pt"), model);
    state = read_optimizer(dir / "optimizer.pt", b.files.at("optimizer.pt"), optimizer, model);
    s = parse_state(dir / "state.json", b.files.at("state.json"));
    torch::Tensor t, cpu;
    bool has_t = false, has_cpu = false;
    parse_guarded(dir / "rng.pt", [&] {
      torch::serialize::InputArchive a = archive_of(b.files.at("rng.pt"));
      has_t = a.try_read("generator_state", t);
      has_cpu = a.try_read("cpu_rng_state", cpu);
    });
    if (has_t) {
      check_generator_state(dir / "rng.pt", "generator_state", t, /*cuda_allowed=*/true);
      s.generator_state = t;
    }
    if (has_cpu) {
      check_generator_state(dir / "rng.pt", "cpu_rng_state", cpu, /*cuda_allowed=*/false);
      s.cpu_rng_state = cpu;
    }
  });
  // Everything checked: only now do model and optimizer change.
  copy_into_model(weights);
  optimizer.state() = std::move(state->state());
  choice.dir = c.dirs[i].string();
  if (choice_out) *choice_out = choice;
  else
    for (const std::string& note : choice.notes) warn(note);
  return s;
}

}  // namespace can
