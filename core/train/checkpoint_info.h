#pragma once
// What a checkpoint path says about its run without loading the model: the run folder it
// belongs to and the step it holds. The studio, can-train and can-eval share these so that
// they file results (curves, eval.json) under the same run.

#include <cstdint>
#include <string>

namespace can {

// The run folder of a checkpoint or run directory: a folder holding `checkpoints/` is a run
// folder itself; RUN/checkpoints/NAME gives RUN (NAME need not be a step_ name: a folder
// renamed by hand stays in its run). "" when the path is neither, e.g. an exported encoder
// or a checkpoint copied elsewhere. Looks at names only.
std::string run_dir_of_checkpoint(const std::string& path);

// The step a checkpoint holds, read from its state.json (a checkpoint directory, or a run
// directory: its latest checkpoint, as resolve_checkpoint), not from its folder's name.
// Throws std::runtime_error naming the file when it is missing, too large or has no valid
// "step".
int64_t checkpoint_step(const std::string& checkpoint_or_run);

}  // namespace can
