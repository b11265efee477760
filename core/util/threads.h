#pragma once
// LibTorch defaulted to one intra-op thread on the Debian machines: set it explicitly.

namespace can {

// Sets LibTorch's intra-op thread count to n, or to the cores available when n <= 0.
// Returns the count in effect.
int set_torch_threads(int n = 0);

}  // namespace can
