#pragma once
// A deep copy of a CanModel: a new model of the same config whose parameters and buffers are
// copies of the source's, on the device asked for (the studio's live weights: a copy taken
// between two training steps, which training then leaves alone). Nothing is shared with the
// source, so the source may go on training while the copy is read on another thread.

#include <torch/torch.h>

#include "core/model/can_model.h"

namespace can {

// The copy is in eval mode and needs no gradient. Safe to call only while nothing writes the
// source (between steps, on the thread that trains it).
CanModel copy_model(const CanModel& source, const torch::Device& device = torch::kCPU);

}  // namespace can
