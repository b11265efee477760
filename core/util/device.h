#pragma once
// The device a run, an evaluation or a benchmark computes on, from the setting a user gave.

#include <torch/torch.h>

#include <string>

namespace can {

// requested: "auto" (CUDA when LibTorch sees a device, else the CPU), "cpu" or "cuda".
// option: the setting's name in errors ("train.device", "--device"). local_rank: in a
// multi-process job each process on a node takes its own GPU (cuda:local_rank).
// Throws std::invalid_argument naming the option for another value, for cuda without a CUDA
// device, and for a local_rank beyond the node's GPUs.
torch::Device pick_device(const std::string& requested, const std::string& option = "train.device", int local_rank = 0);

}  // namespace can
