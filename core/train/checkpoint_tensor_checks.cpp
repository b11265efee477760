#include "core/train/checkpoint_tensor_checks.h"

#include <ATen/CPUGeneratorImpl.h>

#include <map>
#include <sstream>

#include "core/train/adamw_step.h"
#include "core/util/json_limits.h"

namespace can {

namespace fs = std::filesystem;

namespace checkpoint_detail {

namespace {

// State of CUDA's Philox generator (LibTorch 1.13 and 2.x): seed and offset, 8 bytes each.
constexpr int64_t kCudaGeneratorStateBytes = 16;

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

int64_t cpu_generator_state_bytes() {
  static const int64_t n = at::make_generator<at::CPUGeneratorImpl>(0).get_state().numel();
  return n;
}

}  // namespace

std::string first_line(const std::string& text) {
  const size_t begin = text.find_first_not_of("\n\r ");
  if (begin == std::string::npos) return "(no message)";
  const size_t end = text.find('\n', begin);
  return clip_text(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin), 200);
}

torch::serialize::InputArchive archive_of(const std::string& bytes) {
  torch::serialize::InputArchive a;
  a.load_from(bytes.data(), bytes.size(), torch::Device(torch::kCPU));
  return a;
}

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

void check_generator_state(const fs::path& file, const std::string& name, const torch::Tensor& t, bool cuda_allowed) {
  const int64_t cpu = cpu_generator_state_bytes();
  const int64_t n = t.defined() && t.dim() == 1 ? t.size(0) : cpu;
  const int64_t expected = cuda_allowed && n == kCudaGeneratorStateBytes ? n : cpu;
  check_tensor(file, name, t, {expected}, torch::kByte);
}

}  // namespace checkpoint_detail
}  // namespace can
