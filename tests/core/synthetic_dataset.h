#pragma once
// In-memory labelled images for trainer tests: image i of class c = i % num_classes is a
// bright c-dependent stripe pattern plus small per-image variation, so features cluster.

#include "core/config/run_config.h"
#include "core/data/dataset.h"
#include "tests/core/tiny_model.h"

namespace can::test {

class SyntheticDataset : public data::Dataset {
 public:
  SyntheticDataset(int64_t n, int64_t side = 16, int64_t channels = 1, int64_t num_classes = 4)
      : n_(n), side_(side), channels_(channels), classes_(num_classes) {}
  int64_t size() const override { return n_; }
  int64_t channels() const override { return channels_; }
  int64_t height() const override { return side_; }
  int64_t width() const override { return side_; }
  data::Image get(int64_t index) const override {
    data::Image img(side_, side_, channels_);
    const int64_t c = label(index);
    for (int64_t y = 0; y < side_; ++y)
      for (int64_t x = 0; x < side_; ++x)
        for (int64_t ch = 0; ch < channels_; ++ch) {
          const bool stripe = ((c % 2 == 0 ? x : y) / (1 + c)) % 2 == 0;
          img.at(y, x, ch) = static_cast<uint8_t>((stripe ? 200 : 40) + (index * 7 + x + y + ch) % 30);
        }
    return img;
  }
  int64_t label(int64_t index) const override { return index % classes_; }
  int64_t num_classes() const override { return classes_; }
  std::string describe() const override { return "synthetic " + std::to_string(n_) + " images"; }

 private:
  int64_t n_, side_, channels_, classes_;
};

// A run config the trainer tests can afford: tiny model, 16x16 images, batch 8, one thread,
// loader on the calling thread, no periodic snapshots or checkpoints.
inline RunConfig tiny_run_config() {
  RunConfig c;
  c.model = tiny_model_config(1);
  c.data.dataset = "folder";  // never opened: tests pass a SyntheticDataset
  c.data.path = "/nonexistent";
  c.data.num_workers = 0;
  c.data.mean = {0.5f};
  c.data.std = {0.25f};
  c.train.batch_size = 8;
  c.train.steps = 20;
  c.train.warmup_steps = 3;
  c.train.base_lr = 1e-3 * 256 / 8;  // peak lr 1e-3: parameters visibly move in one step
  c.train.threads = 1;
  c.train.snapshot_every = 0;
  c.train.checkpoint_every = 0;
  c.train.device = "cpu";
  return c;
}

}  // namespace can::test
