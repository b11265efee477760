// The Trainer's optimizer step (train_step and its parts); the run around it (construction,
// resume, pause, live changes, checkpoints) is in trainer.cpp.
#include <cmath>
#include <limits>

#include "core/analysis/representation_health.h"
#include "core/objectives/info_nce.h"
#include "core/train/adamw_step.h"
#include "core/train/objective_balance.h"
#include "core/train/snapshot.h"
#include "core/train/trainer.h"
#include "core/util/autocast.h"

namespace can {

namespace {

const char* non_finite_kind(double v) { return std::isnan(v) ? "NaN" : "infinite"; }

// The test hook (TrainerControl::inject_nan_next_step): one term NaN, as a diverging step
// would make it, and the total with it. The total is poisoned rather than recomputed, so
// that the model's forward stays the one place that weighs the terms.
void poison_one_term(CanOutput& out, const Objectives& objectives) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto& term = objectives.reconstruction ? out.loss_rec : out.loss_info_nce;
  term = term * nan;
  out.loss = out.loss * nan;
}

// Contrastive top-1 of this process's 2n projections (a metric: no gradient, no gather).
double contrastive_top1(const CanOutput& out) {
  const int64_t n = out.u.size(0) / 2;
  return info_nce_top1(out.u.narrow(0, 0, n).detach(), out.u.narrow(0, n, n).detach());
}

// Representation health of the step's own embeddings: this process's n images, both views
// (view-major in u). No gradient; an SVD of a [2n, r] matrix, small next to the step.
void record_health(const CanOutput& out, StepMetrics& m) {
  if (out.u.size(0) < 4) return;  // two images at least
  const analysis::RepresentationHealth h = analysis::step_health(out.u);
  m.health_std_ratio = h.std_ratio;
  m.health_effective_rank = h.effective_rank;
  m.health_alignment = h.alignment;
  m.health_uniformity = h.uniformity;
  m.health_pos_cos = h.positive_cos_mean;
  m.health_neg_cos = h.negative_cos_mean;
}

}  // namespace

// One optimizer step, in the order the spec gives it: accumulate the gradients of
// train.accum_steps micro-batches, reduce and clip them, apply AdamW, then record where
// the run is. A non-finite loss or gradient ends the step before anything is applied.
Trainer::StepOutcome Trainer::train_step(bool want_snapshot) {
  const auto start = std::chrono::steady_clock::now();
  StepOutcome r;
  r.metrics.step = step_ + 1;
  r.metrics.lr = schedule_.lr_at(step_);
  set_lr(*optimizer_, r.metrics.lr);
  model_->train();
  optimizer_->zero_grad();
  int64_t images = 0;
  if (!accumulate_gradients(r, want_snapshot, images)) return r;
  if (!reduce_and_clip_gradients(r)) return r;
  adamw_step(*optimizer_);  // AdamW::step() term for term, in multi-tensor kernels
  advance_position();
  record(r.metrics, images, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return r;
}

// Forward and backward of each micro-batch; the loss terms and contrastive top-1 averaged
// into r.metrics. False (r.error set, gradients cleared) when a term is not finite.
bool Trainer::accumulate_gradients(StepOutcome& r, bool want_snapshot, int64_t& images) {
  const TrainConfig& t = config_.train;
  StepMetrics& m = r.metrics;
  const bool inject_nan = control_.take_inject_nan();
  const double w = 1.0 / static_cast<double>(t.accum_steps);
  double top1_sum = 0.0;
  for (int64_t micro = 0; micro < t.accum_steps; ++micro) {
    data::Batch batch;
    next_batch(batch);
    images += batch.view1.size(0);
    CanOutput out = forward_micro_batch(batch);
    if (inject_nan && micro == 0) poison_one_term(out, config_.objectives);
    const LossValues v = loss_values(out);
    if (!agree_finite(v, r)) return false;
    // Objective balance on its steps, before the backward frees the graph (each process
    // measures its own micro-batch, all at the same step: the gather's collectives match).
    if (micro == 0 && t.balance_every > 0 && m.step % t.balance_every == 0)
      measure_objective_balance(out, config_.loss, config_.objectives, model_->encoder->parameters()).write_to(m);
    if (micro == 0 && t.health_every > 0 && m.step % t.health_every == 0 && out.u.defined()) record_health(out, m);
    (out.loss / static_cast<double>(t.accum_steps)).backward();
    m.loss_info_nce += w * v.info_nce;
    m.loss_rec += w * v.rec;
    m.loss_denoise += w * v.denoise;
    m.loss += w * v.total;
    if (config_.objectives.contrastive) top1_sum += contrastive_top1(out);
    if (want_snapshot && micro == 0)
      r.snapshot = make_snapshot(out, batch.original, config_.model, config_.objectives, config_.loss,
                                 t.snapshot_samples, m.step, loader_->options().mean, loader_->options().std);
  }
  if (config_.objectives.contrastive) m.contrastive_top1 = top1_sum / static_cast<double>(t.accum_steps);
  return true;
}

// One micro-batch through the model on this process's device, in the run's precision.
// Every rank draws the global batch's noise and keeps its samples' (draw_shard.h); with
// several processes the model gathers each view's projections from all of them
// (GradientSync::gather_embeddings), so InfoNCE's negatives span the global batch and the
// loss terms and total come out of forward() as they are reported and backpropagated.
CanOutput Trainer::forward_micro_batch(const data::Batch& batch) {
  auto view1 = batch.view1.to(device_, /*non_blocking=*/true);
  auto view2 = batch.view2.defined() ? batch.view2.to(device_, true) : torch::Tensor();
  EmbeddingGather gather;  // one process: none, and forward() is the single-process loss
  if (sync_->world_size() > 1)
    gather = [this](const torch::Tensor& u_view) { return sync_->gather_embeddings(u_view); };
  AutocastScope autocast(device_.type(), config_.train.bf16_on(device_.is_cuda()));
  return model_->forward(view1, view2, config_.loss, gen_, DrawShard{sync_->rank(), sync_->world_size()}, gather);
}

// Read once: on a GPU each item() waits for the device.
Trainer::LossValues Trainer::loss_values(const CanOutput& out) {
  return {out.loss_info_nce.item<double>(), out.loss_rec.item<double>(), out.loss_denoise.item<double>(),
          out.loss.item<double>()};
}

// A non-finite term ends the run before anything is applied (MAE does the same). The
// processes agree on it first (one collective; world 1: none), so a NaN on one rank
// stops every rank at this step naming the same term; otherwise the others would fail
// in the gradient all-reduce with a collective error that names nothing. The terms are
// named before the total they make non-finite.
bool Trainer::agree_finite(const LossValues& v, StepOutcome& r) {
  const std::pair<const char*, double> terms[] = {
      {"loss_info_nce", v.info_nce}, {"loss_rec", v.rec}, {"loss_denoise", v.denoise}, {"loss", v.total}};
  bool all_finite = true;
  for (const auto& term : terms) all_finite = all_finite && std::isfinite(term.second);
  if (!sync_->any(!all_finite)) return true;
  for (const auto& [name, value] : terms) {
    if (!sync_->any(!std::isfinite(value))) continue;  // same answer on every rank
    optimizer_->zero_grad();
    r.ok = false;
    r.error = "step " + std::to_string(r.metrics.step) + ": " + name + " is " +
              (std::isfinite(value) ? std::string("non-finite on another process") : non_finite_kind(value));
    return false;
  }
  return true;
}

// The gradients summed over processes (GradientSync), their global L2 norm into
// r.metrics.grad_norm, clipped to train.grad_clip. False when the norm is not finite.
bool Trainer::reduce_and_clip_gradients(StepOutcome& r) {
  const TrainConfig& t = config_.train;
  std::vector<torch::Tensor> params = groups_.decay;
  params.insert(params.end(), groups_.no_decay.begin(), groups_.no_decay.end());
  sync_->all_reduce_gradients(params);
  torch::NoGradGuard no_grad;
  auto sq = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device_));
  for (const auto& p : params)
    if (p.grad().defined()) sq += p.grad().to(torch::kFloat64).pow(2).sum();
  StepMetrics& m = r.metrics;
  m.grad_norm = std::sqrt(sq.item<double>());
  if (!std::isfinite(m.grad_norm)) {
    optimizer_->zero_grad();
    r.ok = false;
    r.error = "step " + std::to_string(m.step) + ": grad_norm is " + non_finite_kind(m.grad_norm);
    return false;
  }
  if (t.grad_clip > 0 && m.grad_norm > t.grad_clip)
    for (const auto& p : params)
      if (p.grad().defined()) p.grad().mul_(t.grad_clip / (m.grad_norm + 1e-6));
  return true;
}

// One step more; a saved position never sits at an epoch's end (the next epoch starts).
void Trainer::advance_position() {
  ++step_;
  if (batch_in_epoch_ == loader_->batches_per_epoch()) {
    ++epoch_;
    batch_in_epoch_ = 0;
    epoch_started_ = false;
  }
}

// Where the run is, its speed and skipped files, summed over processes.
void Trainer::record(StepMetrics& m, int64_t images, double seconds) {
  m.epoch = static_cast<double>(epoch_) +
            static_cast<double>(batch_in_epoch_) / static_cast<double>(loader_->batches_per_epoch());
  m.img_per_s = seconds > 0 ? static_cast<double>(images) / seconds : 0.0;  // this rank's; summed below
  m.skipped_files = static_cast<int64_t>(skips_->report().file_count());    // this rank's
  sync_->reduce_metrics(m);
}

}  // namespace can
