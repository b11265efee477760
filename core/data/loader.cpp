#include "core/data/loader.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "core/data/data_config.h"
#include "core/data/data_error.h"
#include "core/data/sample_rng.h"

#if CAN_WITH_OPENCV
#include <opencv2/core.hpp>
#endif

namespace can::data {

namespace {

// Keeps the report bounded on a huge broken folder; skipped_count() still counts them all.
constexpr size_t kMaxSkippedReported = 1000;
// Consecutive unusable samples tolerated before the batch fails (a folder of garbage).
constexpr int64_t kMaxSubstitutions = 64;

// Stream numbers of SampleRng::for_sample.
constexpr uint64_t kStreamView1 = 1, kStreamView2 = 2;

// Fisher-Yates with our own generator: std::shuffle's output differs between standard
// libraries, which would make runs irreproducible across platforms.
std::vector<int64_t> permutation(int64_t n, uint64_t seed, int64_t epoch) {
  std::vector<int64_t> perm(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) perm[static_cast<size_t>(i)] = i;
  SampleRng rng = SampleRng::for_sample(seed, epoch, -1, 0);
  for (int64_t i = n - 1; i > 0; --i) std::swap(perm[static_cast<size_t>(i)], perm[static_cast<size_t>(rng.uniform_int(0, i))]);
  return perm;
}

// The loader's threads are the parallelism: OpenCV's own pool inside each resize or blur
// would only oversubscribe the cores (the engine uses OpenCV nowhere else). The setting is
// process-wide and cv::setNumThreads is not thread-safe (with TBB it tears down and rebuilds
// a shared task arena; concurrent calls crashed, issue 11), so it is made once, from the
// thread constructing the first Loader, before any worker exists.
void limit_opencv_threads() {
#if CAN_WITH_OPENCV
  static std::once_flag once;
  std::call_once(once, [] { cv::setNumThreads(1); });
#endif
}

}  // namespace

LoaderOptions make_loader_options(const DataConfig& config, const Dataset& dataset, int64_t batch_size,
                                  int64_t out_size, uint64_t seed) {
  LoaderOptions o;
  o.batch_size = batch_size;
  o.out_size = out_size;
  o.num_workers = config.num_workers;
  o.prefetch_batches = config.prefetch_batches;
  o.seed = seed;
  o.augment = config.augment;
  o.mean = config.resolved_mean(dataset.channels());
  o.std = config.resolved_std(dataset.channels());
  return o;
}

Loader::Loader(std::shared_ptr<const Dataset> dataset, LoaderOptions options)
    : dataset_(std::move(dataset)), options_(std::move(options)) {
  auto fail = [](const std::string& key, const std::string& why) { throw std::invalid_argument("loader." + key + ": " + why); };
  if (!dataset_) fail("dataset", "is null");
  const LoaderOptions& o = options_;
  if (o.batch_size < 1) fail("batch_size", "must be >= 1, got " + std::to_string(o.batch_size));
  if (o.out_size < 1) fail("out_size", "must be >= 1, got " + std::to_string(o.out_size));
  if (o.num_workers < 0) fail("num_workers", "must be >= 0");
  if (o.prefetch_batches < 1) fail("prefetch_batches", "must be >= 1");
  if (o.world_size < 1 || o.rank < 0 || o.rank >= o.world_size)
    fail("rank", "must be in [0, world_size), got rank " + std::to_string(o.rank) + " of " + std::to_string(o.world_size));
  const auto channels = static_cast<size_t>(dataset_->channels());
  if (o.mean.size() != channels || o.std.size() != channels)
    fail("mean", "mean and std need one value per channel (" + std::to_string(channels) + "), got " +
                     std::to_string(o.mean.size()) + " and " + std::to_string(o.std.size()));
  for (float s : o.std)
    if (!(s > 0)) fail("std", "every value must be positive");
  o.augment.validate();

  const int64_t n = dataset_->size();
  if (n < 1) throw DataError(dataset_->describe(), "holds no images");
  const int64_t world = o.world_size;
  shard_size_ = o.drop_last ? n / world : (n + world - 1) / world;
  if (batches_per_epoch() < 1)
    fail("batch_size", std::to_string(o.batch_size) + " is larger than the " + std::to_string(shard_size_) +
                           " images of this rank's shard (drop_last drops everything)");
  limit_opencv_threads();
  for (int i = 0; i < o.num_workers; ++i) workers_.emplace_back([this] { worker_loop(); });
}

Loader::~Loader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  ready_cv_.notify_all();
  for (std::thread& t : workers_) t.join();  // a worker finishes at most the batch it holds
}

int64_t Loader::batches_per_epoch() const {
  const int64_t b = options_.batch_size;
  return options_.drop_last ? shard_size_ / b : (shard_size_ + b - 1) / b;
}

void Loader::start_epoch(int64_t epoch, int64_t skip_batches) {
  auto e = std::make_shared<Epoch>();
  e->number = epoch;
  // DistributedSampler's sharding: pad (or trim) the permutation to world * shard_size,
  // then rank r takes positions r, r + world, r + 2*world, ...
  const std::vector<int64_t> perm = permutation(dataset_->size(), options_.seed, epoch);
  const int64_t world = options_.world_size;
  e->shard.reserve(static_cast<size_t>(shard_size_));
  for (int64_t k = 0; k < shard_size_; ++k) {
    const int64_t pos = (k * world + options_.rank) % static_cast<int64_t>(perm.size());
    e->shard.push_back(perm[static_cast<size_t>(pos)]);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    epoch_ = std::move(e);
    ++generation_;
    ready_.clear();
    failed_.clear();
    end_batch_ = batches_per_epoch();
    next_claim_ = next_deliver_ = std::clamp<int64_t>(skip_batches, 0, end_batch_);
  }
  work_cv_.notify_all();
}

bool Loader::next(Batch& out) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!epoch_) throw std::logic_error("Loader::next: call start_epoch() first");
  if (next_deliver_ >= end_batch_) return false;
  const int64_t b = next_deliver_;
  if (workers_.empty()) {  // synchronous mode: build it here
    ++next_deliver_;
    std::shared_ptr<const Epoch> epoch = epoch_;
    lock.unlock();
    out = build_batch(*epoch, b);
    return true;
  }
  ready_cv_.wait(lock, [&] { return stopping_ || ready_.count(b) || failed_.count(b); });
  if (auto f = failed_.find(b); f != failed_.end()) {
    const std::exception_ptr error = f->second;
    failed_.erase(f);
    next_deliver_ = end_batch_;  // the epoch ends with the error
    std::rethrow_exception(error);
  }
  auto it = ready_.find(b);
  if (it == ready_.end()) return false;  // stopping
  out = std::move(it->second);
  ready_.erase(it);
  ++next_deliver_;
  lock.unlock();
  work_cv_.notify_all();  // a prefetch slot is free
  return true;
}

void Loader::worker_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_cv_.wait(lock, [&] {
      return stopping_ || (epoch_ && next_claim_ < end_batch_ && next_claim_ < next_deliver_ + options_.prefetch_batches);
    });
    if (stopping_) return;
    const int64_t b = next_claim_++;
    const uint64_t generation = generation_;
    std::shared_ptr<const Epoch> epoch = epoch_;
    lock.unlock();
    Batch batch;
    std::exception_ptr error;
    try {
      batch = build_batch(*epoch, b);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (generation != generation_) continue;  // start_epoch() abandoned this epoch
    if (error) failed_[b] = error;
    else ready_[b] = std::move(batch);
    ready_cv_.notify_all();
  }
}

Image Loader::load_sample(int64_t index, int64_t& used_index) const {
  const int64_t n = dataset_->size();
  for (int64_t k = 0; k < kMaxSubstitutions; ++k) {
    used_index = (index + k) % n;
    try {
      return dataset_->get(used_index);
    } catch (const CorruptSampleError& e) {
      std::lock_guard<std::mutex> lock(skipped_mutex_);
      ++skipped_count_;
      const bool known = std::any_of(skipped_.begin(), skipped_.end(), [&](const SkippedFile& s) { return s.file == e.file(); });
      if (!known && skipped_.size() < kMaxSkippedReported) skipped_.push_back({e.file(), e.problem()});
    }
  }
  throw DataError(dataset_->describe(), std::to_string(kMaxSubstitutions) + " consecutive samples from index " +
                                            std::to_string(index) + " cannot be used; see the skipped-files report");
}

Batch Loader::build_batch(const Epoch& epoch, int64_t batch) const {
  const LoaderOptions& o = options_;
  const int64_t begin = batch * o.batch_size;
  const int64_t count = std::min<int64_t>(o.batch_size, static_cast<int64_t>(epoch.shard.size()) - begin);
  const int64_t c = dataset_->channels(), s = o.out_size, sample = c * s * s;
  const auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
  Batch out;
  out.view1 = torch::empty({count, c, s, s}, f32);
  if (o.two_views) out.view2 = torch::empty({count, c, s, s}, f32);
  out.original = torch::empty({count, c, s, s}, f32);
  out.label = torch::empty({count}, torch::kInt64);
  out.index = torch::empty({count}, torch::kInt64);
  float* v1 = out.view1.data_ptr<float>();
  float* v2 = o.two_views ? out.view2.data_ptr<float>() : nullptr;
  float* orig = out.original.data_ptr<float>();
  int64_t* labels = out.label.data_ptr<int64_t>();
  int64_t* indices = out.index.data_ptr<int64_t>();

  for (int64_t i = 0; i < count; ++i) {
    int64_t index = 0;
    const Image img = load_sample(epoch.shard[static_cast<size_t>(begin + i)], index);
    indices[i] = index;
    labels[i] = dataset_->label(index);
    SampleRng rng1 = SampleRng::for_sample(o.seed, epoch.number, index, kStreamView1);
    write_normalized(apply_augment(img, sample_params(o.augment, img.h, img.w, s, rng1), s), o.mean, o.std, v1 + i * sample);
    if (v2) {
      SampleRng rng2 = SampleRng::for_sample(o.seed, epoch.number, index, kStreamView2);
      write_normalized(apply_augment(img, sample_params(o.augment, img.h, img.w, s, rng2), s), o.mean, o.std, v2 + i * sample);
    }
    write_normalized(crop_resize(img, CropBox{0, 0, img.h, img.w}, s, s), o.mean, o.std, orig + i * sample);
  }
  if (o.pin_memory && torch::cuda::is_available()) {
    out.view1 = out.view1.pin_memory();
    if (v2) out.view2 = out.view2.pin_memory();
    out.original = out.original.pin_memory();
    out.label = out.label.pin_memory();
    out.index = out.index.pin_memory();
  }
  return out;
}

std::vector<SkippedFile> Loader::skipped_files() const {
  std::lock_guard<std::mutex> lock(skipped_mutex_);
  return skipped_;
}

int64_t Loader::skipped_count() const {
  std::lock_guard<std::mutex> lock(skipped_mutex_);
  return skipped_count_;
}

}  // namespace can::data
