#pragma once
// Precompiled header for can_core: LibTorch's headers cost ~20 s per translation unit.
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>
