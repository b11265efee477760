#pragma once
// The threaded loader: worker threads turn dataset samples into batches of two augmented
// views (+ the un-augmented image, label, index), a bounded number of batches ahead of the
// consumer, delivered in order. An epoch is a permutation seeded by (seed, epoch), sharded
// by rank like torch's DistributedSampler. Every random draw is derived from (seed, epoch,
// index), so batches are identical whatever num_workers is.

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <torch/torch.h>

#include "core/data/augment.h"
#include "core/data/dataset.h"
#include "core/data/skip_report.h"  // SkippedFile

namespace can::data {

struct LoaderOptions {
  int64_t batch_size = 64;   // images per batch on this rank
  int64_t out_size = 28;     // side of every output image, pixels
  int num_workers = 2;       // worker threads; 0 = batches are built inside next()
  int prefetch_batches = 4;  // batches prepared or in preparation ahead of the consumer
  uint64_t seed = 0;         // permutation and augmentation seed
  int rank = 0;              // this process's rank in [0, world_size)
  int world_size = 1;        // processes sharing the epoch
  bool drop_last = true;     // drop the last partial batch; false pads the shard like DistributedSampler and keeps a short last batch
  bool two_views = true;     // false: view2 is left undefined (MAE baseline, one view per image)
  bool pin_memory = false;   // pin batch tensors (only when CUDA is available)
  AugmentConfig augment;     // how views are made
  std::vector<float> mean;   // per-channel normalisation, one value per dataset channel
  std::vector<float> std;
};

// Fills LoaderOptions from a run's data config (workers, prefetch, augmentation,
// normalisation resolved for the dataset's channel count).
LoaderOptions make_loader_options(const DataConfig& config, const Dataset& dataset, int64_t batch_size,
                                  int64_t out_size, uint64_t seed);

struct Batch {
  torch::Tensor view1;     // [B, C, S, S] float, normalised
  torch::Tensor view2;     // [B, C, S, S]; undefined when two_views is false
  torch::Tensor original;  // [B, C, S, S] the whole image resized to S, normalised (for display)
  torch::Tensor label;     // [B] int64, -1 when unlabelled
  torch::Tensor index;     // [B] int64 dataset index of each image actually used
};

class Loader {
 public:
  // Throws std::invalid_argument naming the option for impossible options.
  Loader(std::shared_ptr<const Dataset> dataset, LoaderOptions options);
  ~Loader();  // stops the workers; never waits for the consumer
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // Begins an epoch, abandoning whatever was left of the previous one. skip_batches lets a
  // resumed run continue at the same data position.
  void start_epoch(int64_t epoch, int64_t skip_batches = 0);
  // The next batch of the epoch, in order; false at the end of the epoch. Rethrows, with
  // its message, an exception raised while building the batch (after which the epoch ends).
  bool next(Batch& out);
  int64_t batches_per_epoch() const;
  int64_t samples_per_rank() const { return shard_size_; }  // images this rank sees per epoch (padded)

  // Samples that could not be used (the loader substituted the following index). Thread-safe.
  std::vector<SkippedFile> skipped_files() const;
  int64_t skipped_count() const;  // failed reads: a file counts each time it is tried

  const LoaderOptions& options() const { return options_; }
  const Dataset& dataset() const { return *dataset_; }

 private:
  struct Epoch {
    int64_t number = 0;
    std::vector<int64_t> shard;  // this rank's dataset indices, in delivery order
  };

  void worker_loop();
  Batch build_batch(const Epoch& epoch, int64_t batch) const;
  Image load_sample(int64_t index, int64_t& used_index) const;  // substitutes unusable samples

  std::shared_ptr<const Dataset> dataset_;
  LoaderOptions options_;
  int64_t shard_size_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable work_cv_;   // workers wait for a batch to claim
  std::condition_variable ready_cv_;  // next() waits for a finished batch
  std::shared_ptr<const Epoch> epoch_;
  uint64_t generation_ = 0;           // bumps at start_epoch; results of older generations are dropped
  int64_t next_claim_ = 0, next_deliver_ = 0, end_batch_ = 0;
  std::map<int64_t, Batch> ready_;
  std::map<int64_t, std::exception_ptr> failed_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;

  mutable std::mutex skipped_mutex_;
  mutable std::vector<SkippedFile> skipped_;
  mutable int64_t skipped_count_ = 0;
};

}  // namespace can::data
