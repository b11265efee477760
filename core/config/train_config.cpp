#include "core/config/train_config.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "core/util/json_fields.h"

namespace can {

using nlohmann::json;

void TrainConfig::validate() const {
  // Each key's range is the schema's (check_schema); what is left combines keys.
  if (steps == 0 && epochs < 1)
    throw std::invalid_argument("train.epochs: must be >= 1 when train.steps is 0, got " + std::to_string(epochs));
  if (betas.size() != 2) throw std::invalid_argument("train.betas: must be two numbers (beta1, beta2)");
}

void to_json(json& j, const TrainConfig& c) {
  j = json{{"batch_size", c.batch_size},
           {"steps", c.steps},
           {"epochs", c.epochs},
           {"base_lr", c.base_lr},
           {"warmup_steps", c.warmup_steps},
           {"warmup_epochs", c.warmup_epochs},
           {"min_lr", c.min_lr},
           {"weight_decay", c.weight_decay},
           {"betas", c.betas},
           {"grad_clip", c.grad_clip},
           {"accum_steps", c.accum_steps},
           {"seed", c.seed},
           {"device", c.device},
           {"precision", c.precision},
           {"threads", c.threads},
           {"log_every", c.log_every},
           {"snapshot_every", c.snapshot_every},
           {"snapshot_samples", c.snapshot_samples},
           {"snapshot_keep", c.snapshot_keep},
           {"knn_every", c.knn_every},
           {"knn_train_images", c.knn_train_images},
           {"knn_test_images", c.knn_test_images},
           {"knn_k", c.knn_k},
           {"balance_every", c.balance_every},
           {"health_every", c.health_every},
           {"checkpoint_every", c.checkpoint_every},
           {"keep_last", c.keep_last}};
}

void from_json(const json& j, TrainConfig& c) {
  read_if_present(j, "batch_size", c.batch_size);
  read_if_present(j, "steps", c.steps);
  read_if_present(j, "epochs", c.epochs);
  read_if_present(j, "base_lr", c.base_lr);
  read_if_present(j, "warmup_steps", c.warmup_steps);
  read_if_present(j, "warmup_epochs", c.warmup_epochs);
  read_if_present(j, "min_lr", c.min_lr);
  read_if_present(j, "weight_decay", c.weight_decay);
  read_if_present(j, "betas", c.betas);
  read_if_present(j, "grad_clip", c.grad_clip);
  read_if_present(j, "accum_steps", c.accum_steps);
  read_if_present(j, "seed", c.seed);
  read_if_present(j, "device", c.device);
  read_if_present(j, "precision", c.precision);
  read_if_present(j, "threads", c.threads);
  read_if_present(j, "log_every", c.log_every);
  read_if_present(j, "snapshot_every", c.snapshot_every);
  read_if_present(j, "snapshot_samples", c.snapshot_samples);
  read_if_present(j, "snapshot_keep", c.snapshot_keep);
  read_if_present(j, "knn_every", c.knn_every);
  read_if_present(j, "knn_train_images", c.knn_train_images);
  read_if_present(j, "knn_test_images", c.knn_test_images);
  read_if_present(j, "knn_k", c.knn_k);
  read_if_present(j, "balance_every", c.balance_every);
  read_if_present(j, "health_every", c.health_every);
  read_if_present(j, "checkpoint_every", c.checkpoint_every);
  read_if_present(j, "keep_last", c.keep_last);
}

}  // namespace can
