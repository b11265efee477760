#include "core/model/draw_shard.h"

#include <stdexcept>
#include <string>

namespace can {

void DrawShard::validate() const {
  if (world < 1 || rank < 0 || rank >= world)
    throw std::invalid_argument("draw shard: rank " + std::to_string(rank) + " is not in [0, " +
                                std::to_string(world) + ")");
}

torch::Tensor take_shard(const torch::Tensor& global, int64_t views, const DrawShard& shard) {
  if (shard.world == 1) return global;
  const int64_t rows = global.size(0);
  if (rows % (views * shard.world) != 0)
    throw std::invalid_argument("take_shard: " + std::to_string(rows) + " rows are not " + std::to_string(views) +
                                " views x " + std::to_string(shard.world) + " ranks x n");
  const int64_t n = rows / (views * shard.world);
  std::vector<int64_t> shape = {views, n, shard.world};
  for (int64_t d = 1; d < global.dim(); ++d) shape.push_back(global.size(d));
  // [V*world*n, ...] -> [V, n, world, ...] -> [V, n, ...] -> [V*n, ...]
  std::vector<int64_t> out_shape = {views * n};
  for (int64_t d = 1; d < global.dim(); ++d) out_shape.push_back(global.size(d));
  return global.reshape(shape).select(2, shard.rank).reshape(out_shape);
}

}  // namespace can
