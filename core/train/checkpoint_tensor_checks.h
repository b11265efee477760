#pragma once
// Checks on the tensors LibTorch built from a checkpoint's files, before any of them is used
// (internal to core/train/checkpoint.cpp). A file can pass its manifest and still hold what
// does not fit: it is what its writer wrote, but LibTorch's unpickler sets a tensor's offset,
// sizes and strides without comparing them with its storage, and accepts any shape or dtype.
// So model.pt, optimizer.pt and rng.pt are read into new tensors (a scratch AdamW for the
// optimizer), each checked against the model's own (shape, dtype, inside its storage) and
// only then copied in; a tensor that does not fit is a CheckpointError naming the file and the
// tensor, and the model and optimizer are left as they were.

#include <torch/torch.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/model/can_model.h"
#include "core/train/checkpoint.h"

namespace can::checkpoint_detail {

// A file that is what its writer wrote, holding something that does not fit.
inline CheckpointError fail(const std::filesystem::path& file, const std::string& problem) {
  return CheckpointError(file.string() + ": " + problem);
}

// A parameter or buffer read from an archive, with the model's own tensor it goes into.
struct TensorSlot {
  std::string name;
  torch::Tensor dest, loaded;
};

// The first non-empty line of a message, at most 200 bytes.
std::string first_line(const std::string& text);

// Runs LibTorch's reading of `file`: c10::Error passes as it is (the caller says the
// checkpoint does not fit), our own CheckpointErrors too; anything else LibTorch throws on
// bytes it cannot make sense of (std::out_of_range, a TorchScript type error) is turned
// into a CheckpointError naming the file.
template <typename Read>
auto parse_guarded(const std::filesystem::path& file, Read read) -> decltype(read()) {
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

torch::serialize::InputArchive archive_of(const std::string& bytes);

// The model's weights and buffers from model.pt's bytes, checked, not yet copied in.
std::vector<TensorSlot> read_model_tensors(const std::filesystem::path& file, const std::string& bytes,
                                           CanModel& model);

void copy_into_model(const std::vector<TensorSlot>& slots);

// optimizer.pt's bytes read into a new AdamW over the same parameter groups, its state
// checked against the parameters; the optimizer itself is not touched.
std::unique_ptr<torch::optim::AdamW> read_optimizer(const std::filesystem::path& file, const std::string& bytes,
                                                    torch::optim::AdamW& optimizer, CanModel& model);

// A generator state from rng.pt: a byte tensor of exactly a generator's state length
// (CPUGeneratorImpl's; for generator_state also CUDA's Philox state).
void check_generator_state(const std::filesystem::path& file, const std::string& name, const torch::Tensor& t,
                           bool cuda_allowed);

}  // namespace can::checkpoint_detail
