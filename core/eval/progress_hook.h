#pragma once
// The hook the evaluation's long loops call after each unit of work: a batch of images
// (extract_features), a chunk of test rows (knn_votes), an epoch (linear_probe), with done
// and total in those units. A hook stops its loop by throwing; the exception propagates out
// of the loop's function unchanged (evaluate() throws EvalCancelled this way), and the loops
// hold nothing that RAII does not undo. An empty hook costs nothing.

#include <cstdint>
#include <functional>

namespace can::eval {

using ProgressHook = std::function<void(int64_t done, int64_t total)>;

}  // namespace can::eval
