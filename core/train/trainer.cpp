#include "core/train/trainer.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/io/import_encoder.h"
#include "core/model/model_copy.h"
#include "core/train/knn_monitor.h"
#include "core/util/device.h"
#include "core/util/host_memory.h"
#include "core/util/resource_usage.h"
#include "core/util/threads.h"

namespace can {

namespace {

std::string fmt(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

std::string failure_text(const std::exception& e, const RunConfig& config, const torch::Device& device) {
  // LibTorch's what() carries a C++ backtrace; the user needs the first line.
  const auto* torch_error = dynamic_cast<const c10::Error*>(&e);
  std::string text = torch_error ? torch_error->what_without_backtrace() : e.what();
  if (const auto cut = text.find('\n'); cut != std::string::npos) text.resize(cut);
  if (dynamic_cast<const c10::OutOfMemoryError*>(&e)) {
    const TrainConfig& t = config.train;
    text = "out of memory on " + device.str() + " at train.batch_size " + std::to_string(t.batch_size) +
           ": lower train.batch_size (train.accum_steps keeps the images per step)" +
           (t.bf16_on(device.is_cuda()) ? "" : " or train with train.precision=bf16") + " (" + text + ")";
  }
  return text;
}

Trainer::Trainer(RunConfig config, std::string run_dir, std::shared_ptr<const data::Dataset> dataset,
                 std::shared_ptr<GradientSync> sync)
    : config_(std::move(config)), run_dir_(std::move(run_dir)), dataset_(std::move(dataset)),
      sync_(sync ? std::move(sync) : std::make_shared<GradientSync>()) {
  config_.validate();
  set_torch_threads(config_.train.threads);
  keep_freed_host_memory();
  device_ = pick_device(config_.train.device, "train.device", sync_->local_rank());
  const TrainConfig& t = config_.train;

  if (!dataset_) dataset_ = data::open_dataset(training_data_config(config_), data::Split::Train);
  // Every file the loader cannot use is recorded (once, with its reason) for the metrics,
  // the studio and can-train's report; a caller that wrapped the dataset already keeps its.
  skips_ = std::dynamic_pointer_cast<const data::SkipRecordingDataset>(dataset_);
  if (!skips_) dataset_ = skips_ = std::make_shared<const data::SkipRecordingDataset>(dataset_);
  // model.in_chans follows the data unless data.channels forces a conversion (validated).
  if (dataset_->channels() != config_.model.in_chans) {
    config_.model.in_chans = dataset_->channels();
    startup_notes_.push_back("model.in_chans set to " + std::to_string(config_.model.in_chans) + " to follow the data");
  }

  auto lo = data::make_loader_options(config_.data, *dataset_, t.batch_size, config_.model.img_size, t.seed);
  lo.two_views = config_.objectives.contrastive;
  lo.rank = sync_->rank();
  lo.world_size = sync_->world_size();
  lo.pin_memory = device_.is_cuda();
  loader_ = std::make_unique<data::Loader>(dataset_, lo);
  if (loader_->batches_per_epoch() < t.accum_steps)
    throw std::invalid_argument("train.batch_size: " + std::to_string(t.batch_size) + " x accum_steps " +
                                std::to_string(t.accum_steps) + " is more than one epoch of " +
                                std::to_string(dataset_->size()) + " images");
  steps_per_epoch_ = loader_->batches_per_epoch() / t.accum_steps;
  // loss.noise_space pixel divides the noise by the data's per-channel std.
  config_.loss.pixel_std.assign(loader_->options().std.begin(), loader_->options().std.end());

  // Same seed, same initial weights: the model is built from torch's seeded global generator.
  torch::manual_seed(t.seed);
  model_ = CanModel(config_.model, config_.objectives, config_.loss.sigma_max);
  if (!config_.model.init_from.empty()) {  // pretrained encoder weights; a resume overwrites them
    const int64_t n = io::load_encoder_weights(model_->encoder, config_.model.init_from);
    startup_notes_.push_back("encoder initialised from " + config_.model.init_from + " (" + std::to_string(n) +
                             " tensors)");
  }
  // Saved with every checkpoint so that a reloaded model embeds sigma exactly as this one.
  config_.model.noise_embed_scale = model_->noise_embed_scale();
  model_->to(device_);
  // Identical initial weights on every rank (the seeded build already gives them; the
  // broadcast makes it a guarantee rather than a property of the generator).
  sync_->broadcast_parameters(*model_);
  groups_ = split_param_groups(*model_);
  optimizer_ = make_adamw(groups_, t.weight_decay, t.betas[0], t.betas[1]);

  const int64_t total = t.steps > 0 ? t.steps : t.epochs * steps_per_epoch_;
  const int64_t warmup = t.warmup_steps >= 0 ? t.warmup_steps
                                             : static_cast<int64_t>(std::llround(t.warmup_epochs * steps_per_epoch_));
  schedule_ = make_lr_schedule(t.base_lr, t.batch_size * t.accum_steps * sync_->world_size(), t.min_lr, warmup, total);

  if (device_.is_cuda()) {
    gen_ = at::globalContext().defaultGenerator(device_);
    std::lock_guard<std::mutex> lock(gen_.mutex());
    gen_.set_current_seed(t.seed + 1);
  } else {
    gen_ = at::make_generator<at::CPUGeneratorImpl>(t.seed + 1);
  }
}

Trainer::~Trainer() = default;

void Trainer::event(const std::string& message) {
  if (observer_) observer_->on_event(message);
}

void Trainer::resume(const std::string& checkpoint_path) {
  model_->to(torch::kCPU);  // the archive holds CPU tensors; optimizer state follows the params
  TrainState s;
  // A run directory whose latest checkpoint is damaged falls back to the previous one that
  // verifies (the notes say so); a damaged checkpoint named by the caller is refused
  // (CheckpointError). Nothing of model or optimizer changes unless every check passes.
  CheckpointChoice choice;
  try {
    s = load_checkpoint(checkpoint_path, model_, *optimizer_, &choice);
  } catch (const c10::Error& e) {
    // LibTorch's message is about a missing key or a shape; say what it means for the user.
    const std::string dir = choice.dir.empty() ? checkpoint_path : choice.dir;
    throw std::runtime_error(dir + ": does not fit the model of this config (model.* or objectives.* differ): " +
                             e.what_without_backtrace());
  }
  // Without an observer yet (can-train, the studio's worker) the notes wait for run().
  for (const std::string& note : choice.notes) {
    if (observer_) event(note);
    else startup_notes_.push_back(note);
  }
  const std::string& dir = choice.dir;
  model_->to(device_);  // in place (set_data): the optimizer's parameter references stay valid
  if (device_.is_cuda()) {
    for (auto& item : optimizer_->state()) {
      auto& st = static_cast<torch::optim::AdamWParamState&>(*item.second);
      st.exp_avg(st.exp_avg().to(device_));
      st.exp_avg_sq(st.exp_avg_sq().to(device_));
      if (st.max_exp_avg_sq().defined()) st.max_exp_avg_sq(st.max_exp_avg_sq().to(device_));
    }
  }
  step_ = s.step;
  epoch_ = s.epoch;
  batch_in_epoch_ = s.batch_in_epoch;
  epoch_started_ = false;
  last_saved_step_ = step_;
  if (s.generator_state.defined() && !device_.is_cuda()) {
    std::lock_guard<std::mutex> lock(gen_.mutex());
    // A CUDA run's generator state (checked, but of another length) does not fit a CPU one.
    if (s.generator_state.numel() == gen_.get_state().numel()) gen_.set_state(s.generator_state);
    else startup_notes_.push_back(dir + ": the mask/noise generator state is a CUDA one: a fresh CPU generator continues");
  }
  if (s.cpu_rng_state.defined()) {
    auto cpu = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(cpu.mutex());
    cpu.set_state(s.cpu_rng_state);
  }
  event("resumed from " + dir + " at step " + std::to_string(step_));
}

TrainState Trainer::current_state() const {
  TrainState s;
  s.step = step_;
  s.epoch = epoch_;
  s.batch_in_epoch = batch_in_epoch_;
  s.total_steps = schedule_.total_steps;
  s.warmup_steps = schedule_.warmup_steps;
  s.generator_state = gen_.get_state();
  s.cpu_rng_state = at::detail::getDefaultCPUGenerator().get_state();
  return s;
}

std::string Trainer::save_checkpoint() {
  // Rank 0 alone writes: every rank holds the same state, and all resume from its files.
  if (run_dir_.empty() || sync_->rank() != 0) return {};
  CheckpointWriteOptions options;
  options.keep_last = config_.train.keep_last;
  const std::string path = can::save_checkpoint(run_dir_, config_, model_, *optimizer_, current_state(), options);
  last_saved_step_ = step_;
  if (observer_) observer_->on_checkpoint(path);
  return path;
}

void Trainer::next_batch(data::Batch& batch) {
  if (!epoch_started_) {
    loader_->start_epoch(epoch_, batch_in_epoch_);
    epoch_started_ = true;
  }
  while (!loader_->next(batch)) {
    ++epoch_;
    batch_in_epoch_ = 0;
    loader_->start_epoch(epoch_);
  }
  ++batch_in_epoch_;
}

void Trainer::apply_loss_changes() {
  auto changes = control_.take_loss_changes();
  if (!changes.weights && !changes.sigma_max && !changes.mask_ratio) return;
  LossParams next = config_.loss;
  if (changes.weights) {
    next.lambda_c = changes.weights->w_infonce;
    next.lambda_a = changes.weights->w_rec;
    next.lambda_n = changes.weights->w_denoise;
  }
  if (changes.sigma_max) next.sigma_max = *changes.sigma_max;
  if (changes.mask_ratio) next.mask_ratio = *changes.mask_ratio;
  const std::string at = "step " + std::to_string(step_ + 1) + ": ";
  try {
    next.validate(config_.objectives);
  } catch (const std::invalid_argument& e) {
    event(at + "live change rejected: " + e.what());
    return;
  }
  const LossParams& old = config_.loss;
  std::vector<SettingChange> changed;
  auto note = [&](const char* key, double from, double to) {
    if (from != to) changed.push_back({step_ + 1, key, from, to});
  };
  note("loss.w_infonce", old.lambda_c, next.lambda_c);
  note("loss.w_rec", old.lambda_a, next.lambda_a);
  note("loss.w_denoise", old.lambda_n, next.lambda_n);
  note("loss.sigma_max", old.sigma_max, next.sigma_max);
  note("loss.mask_ratio", old.mask_ratio, next.mask_ratio);
  config_.loss = next;
  if (changed.empty()) return;
  std::string what;
  for (const auto& c : changed) {
    what += (what.empty() ? "" : ", ") + c.key + " " + fmt(c.from) + " -> " + fmt(c.to);
    if (observer_) observer_->on_setting_changed(c);
  }
  event(at + what);
}

void Trainer::give_weights_if_asked() {
  if (!control_.take_weights_now() || !observer_) return;
  observer_->on_weights(copy_model(model_, torch::kCPU), step_);
}

void Trainer::wait_while_paused() {
  if (!control_.is_paused() || control_.stop_requested()) return;
  event("paused at step " + std::to_string(step_));
  while (control_.is_paused() && !control_.stop_requested()) {
    if (control_.take_save_now()) save_checkpoint();
    give_weights_if_asked();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!control_.stop_requested()) event("resumed at step " + std::to_string(step_));
}

TrainResult Trainer::run() {
  TrainResult result;
  const TrainConfig& t = config_.train;
  for (const auto& note : startup_notes_) event(note);
  startup_notes_.clear();
  try {
    // The kNN monitor runs on rank 0 alone (its figure is rank 0's to report); the others
    // wait for it in the next step's first collective, within the collective timeout.
    if (t.knn_every > 0 && !knn_monitor_ && sync_->rank() == 0) knn_monitor_ = make_knn_monitor(config_, device_);
    // CPU share measured over the steps since the previous sample (the first: since here).
    ResourceSampler resources(device_);
    while (step_ < schedule_.total_steps) {
      wait_while_paused();
      // Agreed across ranks: a signal reaches processes at different times, and a rank that
      // stopped alone would leave the others waiting in a collective.
      if (sync_->any(control_.stop_requested())) {
        event("stopped at step " + std::to_string(step_));
        if (last_saved_step_ != step_) save_checkpoint();
        result.status = TrainResult::Status::Stopped;
        result.step = step_;
        return result;
      }
      apply_loss_changes();
      const bool want_snapshot =
          control_.take_snapshot_now() || (t.snapshot_every > 0 && (step_ + 1) % t.snapshot_every == 0);
      StepOutcome out = train_step(want_snapshot);
      if (!out.ok) {
        if (observer_) observer_->on_error(out.error);
        result.status = TrainResult::Status::Failed;
        result.step = step_;
        result.message = out.error;
        return result;
      }
      if (knn_monitor_ && t.knn_every > 0 && step_ % t.knn_every == 0) {
        model_->eval();
        torch::NoGradGuard no_grad;
        out.metrics.knn_top1 = knn_monitor_(model_);
      }
      if (t.log_every > 0 && step_ % t.log_every == 0) {
        const ResourceSample r = resources.sample();
        out.metrics.cpu_percent = r.cpu_percent;
        out.metrics.rss_mib = r.rss_mib;
        out.metrics.gpu_mem_mib = r.gpu_allocated_mib;
        out.metrics.gpu_reserved_mib = r.gpu_reserved_mib;
      }
      if (observer_) {
        observer_->on_step(out.metrics);
        if (out.snapshot) observer_->on_snapshot(*out.snapshot);
      }
      give_weights_if_asked();
      if (control_.take_save_now() || (t.checkpoint_every > 0 && step_ % t.checkpoint_every == 0))
        save_checkpoint();
    }
    if (last_saved_step_ != step_) save_checkpoint();
    event("finished at step " + std::to_string(step_));
  } catch (const std::exception& e) {
    const std::string message = "step " + std::to_string(step_ + 1) + ": " + failure_text(e, config_, device_);
    if (observer_) observer_->on_error(message);
    result.status = TrainResult::Status::Failed;
    result.message = message;
  }
  result.step = step_;
  return result;
}

}  // namespace can
