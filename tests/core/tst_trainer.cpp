// The Trainer: exact resume, the non-finite-loss stop, control from another thread, live
// loss changes and snapshot contents. Tiny model, 16x16 synthetic images, batch 8.

#include "core/model/patchify.h"
#include "core/objectives/info_nce.h"
#include "core/data/data_error.h"
#include "core/train/trainer.h"
#include "tests/core/trainer_fixtures.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <set>

#include <filesystem>
#include <thread>

using namespace can;
namespace fs = std::filesystem;

namespace {
std::shared_ptr<const data::Dataset> synthetic() { return std::make_shared<test::SyntheticDataset>(40); }

// Waits (bounded) until the observer has seen at least `step` steps.
bool wait_for_step(test::RecordingObserver& obs, int64_t step) {
  for (int i = 0; i < 3000 && obs.step_count < step; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return obs.step_count >= step;
}
}  // namespace

class TestTrainer : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void resumeReproducesTheUninterruptedRun() {
    // 40 images / batch 8 = 5 batches an epoch: steps 11-20 cross two epoch boundaries.
    // Two loader threads: the data position must survive prefetching.
    RunConfig c = test::tiny_run_config();
    c.data.num_workers = 2;
    test::RecordingObserver straight;
    {
      Trainer t(c, "", synthetic());
      t.set_observer(&straight);
      QCOMPARE(int(t.run().status), int(TrainResult::Status::Finished));
    }
    QCOMPARE(straight.steps.size(), size_t(20));

    const std::string run = test::fresh_dir("resume");
    {
      Trainer t(c, run, synthetic());
      test::RecordingObserver first;
      first.step_hook = [&t](const StepMetrics& m) {
        if (m.step == 10) t.control().stop();
      };
      t.set_observer(&first);
      auto r = t.run();
      QCOMPARE(int(r.status), int(TrainResult::Status::Stopped));
      QCOMPARE(r.step, int64_t(10));
      QCOMPARE(first.checkpoints.size(), size_t(1));
    }
    test::RecordingObserver second;
    {
      Trainer t(load_run_config(run), run, synthetic());
      t.resume(run);
      t.set_observer(&second);
      QCOMPARE(int(t.run().status), int(TrainResult::Status::Finished));
    }
    QCOMPARE(second.steps.size(), size_t(10));
    for (size_t i = 0; i < 10; ++i) {
      const StepMetrics& a = straight.steps[10 + i];
      const StepMetrics& b = second.steps[i];
      QCOMPARE(b.step, a.step);
      // Bit-equal (QCOMPARE on doubles would be fuzzy).
      const QByteArray at = QByteArray("step ") + QByteArray::number(qlonglong(a.step));
      QVERIFY2(b.loss == a.loss, at);
      QVERIFY2(b.loss_info_nce == a.loss_info_nce, at);
      QVERIFY2(b.loss_rec == a.loss_rec, at);
      QVERIFY2(b.loss_denoise == a.loss_denoise, at);
      QVERIFY2(b.lr == a.lr, at);
      QVERIFY2(b.epoch == a.epoch, at);
    }
    QCOMPARE(straight.steps[19].epoch, 4.0);
    QVERIFY(straight.steps[10].loss != straight.steps[11].loss);  // the comparison is not vacuous
  }

  void resumingADifferentModelIsAnErrorNamingTheCheckpoint() {
    const std::string run = test::fresh_dir("resume_mismatch");
    RunConfig c = test::tiny_run_config();
    c.train.steps = 1;
    Trainer(c, run, synthetic()).run();
    c.model.depth = 1;
    Trainer other(c, "", synthetic());
    try {
      other.resume(run);
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      const std::string msg = e.what();
      QVERIFY2(msg.rfind(run + "/checkpoints/step_000001: does not fit the model", 0) == 0, msg.c_str());
    }
  }

  void nonFiniteLossStopsWithoutApplyingTheStep() {
    const std::string run = test::fresh_dir("nan");
    RunConfig c = test::tiny_run_config();
    c.train.checkpoint_every = 3;
    Trainer t(c, run, synthetic());
    test::RecordingObserver obs;
    std::map<std::string, std::string> ckpt_bytes;
    std::map<std::string, torch::Tensor> weights_after_4;
    obs.step_hook = [&](const StepMetrics& m) {
      if (m.step != 4) return;
      ckpt_bytes = test::read_tree(run + "/checkpoints");
      weights_after_4 = test::clone_params(*t.model());
      t.control().inject_nan_next_step();
    };
    t.set_observer(&obs);
    auto r = t.run();
    QCOMPARE(int(r.status), int(TrainResult::Status::Failed));
    QCOMPARE(r.message, std::string("step 5: loss_rec is NaN"));
    QCOMPARE(obs.errors, std::vector<std::string>{"step 5: loss_rec is NaN"});
    QCOMPARE(r.step, int64_t(4));
    QCOMPARE(obs.steps.size(), size_t(4));
    // Step 5 was not applied, and the last good checkpoint (step 3) is byte for byte intact.
    QVERIFY(test::same_params(weights_after_4, test::clone_params(*t.model())));
    QVERIFY(ckpt_bytes.count("step_000003/model.pt"));
    QVERIFY(test::read_tree(run + "/checkpoints") == ckpt_bytes);
    QCOMPARE(resolve_checkpoint(run), run + "/checkpoints/step_000003");
  }

  void nanInTheContrastiveTermIsNamed() {
    RunConfig c = test::tiny_run_config();
    c.set_key("objectives.mode", "simclr");
    Trainer t(c, "", synthetic());
    t.control().inject_nan_next_step();
    auto r = t.run();
    QCOMPARE(r.message, std::string("step 1: loss_info_nce is NaN"));
  }

  void pauseAndStopFromAnotherThreadActWithinOneStep() {
    RunConfig c = test::tiny_run_config();
    c.train.steps = 100000;
    Trainer t(c, "", synthetic());
    test::RecordingObserver obs;
    t.set_observer(&obs);
    TrainResult result;
    std::thread worker([&] { result = t.run(); });

    QVERIFY(wait_for_step(obs, 3));
    const int64_t at_pause = obs.step_count;
    t.control().pause();
    // The trainer announces the pause between steps; wait for that (bounded), not a fixed time.
    for (int i = 0; i < 1000 && !obs.has_event("paused at step"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    QVERIFY(obs.has_event("paused at step"));
    const int64_t while_paused = obs.step_count;
    QVERIFY2(while_paused - at_pause <= 1, "more than one step after pause");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    QCOMPARE(int64_t(obs.step_count), while_paused);  // really paused

    t.control().resume();
    QVERIFY(wait_for_step(obs, while_paused + 2));
    const int64_t at_stop = obs.step_count;
    t.control().stop();
    worker.join();
    QCOMPARE(int(result.status), int(TrainResult::Status::Stopped));
    QVERIFY2(result.step - at_stop <= 1, "more than one step after stop");
    QVERIFY(obs.has_event("resumed at step"));
  }

  void stopWhilePausedReturns() {
    RunConfig c = test::tiny_run_config();
    Trainer t(c, "", synthetic());
    t.control().pause();
    TrainResult result;
    std::thread worker([&] { result = t.run(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    t.control().stop();
    worker.join();
    QCOMPARE(int(result.status), int(TrainResult::Status::Stopped));
    QCOMPARE(result.step, int64_t(0));
  }

  void liveMaskRatioShowsInTheNextStepsMask() {
    RunConfig c = test::tiny_run_config();  // T = 16 patches, mask ratio 0.5 -> 8 masked
    c.train.steps = 4;
    Trainer t(c, "", synthetic());
    test::RecordingObserver obs;
    obs.step_hook = [&t](const StepMetrics& m) {
      if (m.step != 2) return;
      t.control().set_mask_ratio(0.75);  // keeps floor(16 * 0.25) = 4 -> 12 masked
      t.control().snapshot_now();
    };
    t.control().snapshot_now();
    t.set_observer(&obs);
    t.run();
    QCOMPARE(obs.snapshots.size(), size_t(2));
    QCOMPARE(obs.snapshots[0].step, int64_t(1));
    QCOMPARE(obs.snapshots[1].step, int64_t(3));
    auto per_view = [](const Snapshot& s) { return s.mask.sum({2, 3}); };  // [V, k]
    QVERIFY(torch::all(per_view(obs.snapshots[0]) == 8).item<bool>());
    QVERIFY(torch::all(per_view(obs.snapshots[1]) == 12).item<bool>());
    QVERIFY(obs.has_event("step 3: loss.mask_ratio 0.5 -> 0.75"));
    QCOMPARE(t.config().loss.mask_ratio, 0.75);
    // The typed form of the same change (what the studio and events.jsonl use).
    QCOMPARE(obs.changes.size(), size_t(1));
    QCOMPARE(obs.changes[0].step, int64_t(3));
    QCOMPARE(QString::fromStdString(obs.changes[0].key), QString("loss.mask_ratio"));
    QCOMPARE(obs.changes[0].from, 0.5);
    QCOMPARE(obs.changes[0].to, 0.75);
  }

  void invalidLiveChangeIsRejectedAndLogged() {
    RunConfig c = test::tiny_run_config();
    c.train.steps = 1;
    Trainer t(c, "", synthetic());
    test::RecordingObserver obs;
    t.set_observer(&obs);
    t.control().set_sigma_max(-1.0);
    t.control().set_loss_weights(0.1, 0.5, 0.4);
    t.run();
    QVERIFY(obs.has_event("step 1: live change rejected: loss.sigma_max"));
    QVERIFY(obs.changes.empty());  // nothing took effect
    QCOMPARE(t.config().loss.sigma_max, 0.05);
    QCOMPARE(t.config().loss.lambda_c, 0.03);
  }

  void snapshotHoldsConsistentImages() {
    RunConfig c = test::tiny_run_config();
    c.train.steps = 1;
    c.train.snapshot_every = 1;
    c.train.snapshot_samples = 3;
    Trainer t(c, "", synthetic());
    test::RecordingObserver obs;
    t.set_observer(&obs);
    t.run();
    QCOMPARE(obs.snapshots.size(), size_t(1));
    const Snapshot& s = obs.snapshots[0];
    QCOMPARE(s.num_views, int64_t(2));
    QCOMPARE(s.views.sizes().vec(), (std::vector<int64_t>{2, 3, 1, 16, 16}));
    QCOMPARE(s.original.sizes().vec(), (std::vector<int64_t>{3, 1, 16, 16}));
    QCOMPARE(s.mask.sizes().vec(), (std::vector<int64_t>{2, 3, 4, 4}));
    QVERIFY(torch::all(s.sigma >= 0).item<bool>() && torch::all(s.sigma <= 0.05).item<bool>());
    QVERIFY(torch::allclose(s.noisy - s.views, s.true_noise, 1e-5, 1e-6));
    // The batch's sigmas (for the histogram) start with the shown samples' ones.
    QCOMPARE(s.sigma_batch.sizes().vec(), (std::vector<int64_t>{2, c.train.batch_size}));
    QVERIFY(torch::equal(s.sigma_batch.narrow(1, 0, 3), s.sigma));
    // Visible patches of the reconstruction are the input; masked ones are predictions.
    auto flat = [](const torch::Tensor& x) { return patchify(x.reshape({6, 1, 16, 16}), 4); };  // [6, 16, 16]
    auto visible = (1 - s.mask.reshape({6, 16, 1}));
    QVERIFY(torch::equal(flat(s.reconstruction) * visible, flat(s.noisy) * visible));
    QVERIFY(torch::all(flat(s.predicted_noise) * (1 - visible) == 0).item<bool>());
    QVERIFY(torch::allclose(flat(s.denoised), (flat(s.noisy) - flat(s.predicted_noise)) * visible));
    QVERIFY(obs.steps[0].contrastive_top1.has_value());
    QVERIFY(*obs.steps[0].contrastive_top1 >= 0 && *obs.steps[0].contrastive_top1 <= 1);
  }

  void maeModeUsesOneViewAndNoNoise() {
    RunConfig c = test::tiny_run_config();
    c.set_key("objectives.mode", "mae");
    c.train.steps = 2;
    c.train.accum_steps = 2;
    Trainer t(c, "", synthetic());
    test::RecordingObserver obs;
    t.set_observer(&obs);
    t.control().snapshot_now();
    QCOMPARE(int(t.run().status), int(TrainResult::Status::Finished));
    QCOMPARE(obs.snapshots[0].num_views, int64_t(1));
    QVERIFY(!obs.steps[0].contrastive_top1.has_value());
    QCOMPARE(obs.steps[0].loss_info_nce, 0.0);
    QCOMPARE(obs.steps[0].loss_denoise, 0.0);
    QVERIFY(obs.steps[0].loss_rec > 0);
    QCOMPARE(obs.steps[1].epoch, 0.8);  // 4 of 5 batches: accumulation consumes two per step
  }

  void gradientSyncSeamIsCalledAtItsPoints() {
    // A stand-in for the c10d implementation: rank 0 of 2, "gathers" by appending a detached
    // copy (another process's embeddings carry no gradient here) and counts its calls.
    struct FakeSync : GradientSync {
      int world_size() const override { return 2; }
      int rank() const override { return 0; }
      void all_reduce_gradients(const std::vector<torch::Tensor>& params) override {
        ++reduces;
        num_params = params.size();
        for (const auto& p : params) with_grad += p.grad().defined() ? 1 : 0;
      }
      torch::Tensor gather_embeddings(const torch::Tensor& u) override {
        ++gathers;
        auto all = torch::cat({u, u.detach()}, 0);
        if (last.size() == 2) last.clear();
        last.push_back(all.detach().clone());
        return all;
      }
      std::vector<torch::Tensor> last;  // this step's gathered views
      int reduces = 0, gathers = 0;
      size_t num_params = 0, with_grad = 0;
    };
    RunConfig c = test::tiny_run_config();
    c.train.steps = 2;
    auto sync = std::make_shared<FakeSync>();
    Trainer t(c, "", synthetic(), sync);
    QCOMPARE(t.steps_per_epoch(), int64_t(2));                     // 40 images / 2 ranks / batch 8
    QCOMPARE(t.schedule().peak_lr, c.train.base_lr * 8 * 2 / 256);  // the lr scales with the global batch
    test::RecordingObserver obs;
    t.set_observer(&obs);
    QCOMPARE(int(t.run().status), int(TrainResult::Status::Finished));
    QCOMPARE(sync->reduces, 2);
    QCOMPARE(sync->gathers, 4);  // one per view per step
    QCOMPARE(sync->num_params, t.param_groups().decay.size() + t.param_groups().no_decay.size());
    QCOMPARE(sync->with_grad, 2 * sync->num_params);
    // The reported InfoNCE is the one over the gathered 2 x 2n embeddings (docs/method.md step 5).
    const double expected = info_nce_from_embeddings(torch::cat({sync->last[0], sync->last[1]}, 0), 0.1).item<double>();
    QVERIFY(std::abs(obs.steps[1].loss_info_nce - expected) < 1e-5);
    // Each row's duplicate is a negative as similar as itself: the loss exceeds log 2.
    QVERIFY(obs.steps[1].loss_info_nce > std::log(2.0));
  }

  void saveNowWritesAfterTheCurrentStep() {
    const std::string run = test::fresh_dir("save_now");
    RunConfig c = test::tiny_run_config();
    c.train.steps = 4;
    Trainer t(c, run, synthetic());
    test::RecordingObserver obs;
    obs.step_hook = [&t](const StepMetrics& m) {
      if (m.step == 2) t.control().save_now();
    };
    t.set_observer(&obs);
    t.run();
    // The requested one and the final one.
    QCOMPARE(obs.checkpoints, (std::vector<std::string>{run + "/checkpoints/step_000002", run + "/checkpoints/step_000004"}));
  }

  void gradientClippingBoundsTheAppliedGradient() {
    RunConfig c = test::tiny_run_config();
    c.train.steps = 1;
    c.train.grad_clip = 0.01;
    Trainer t(c, "", synthetic());
    test::RecordingObserver obs;
    t.set_observer(&obs);
    t.run();
    // Gradients stay on the parameters after the last step: their norm is the clip value,
    // while the metric reports the norm before clipping.
    double sq = 0;
    for (const auto& p : t.model()->parameters())
      if (p.grad().defined()) sq += p.grad().to(torch::kFloat64).pow(2).sum().item<double>();
    QVERIFY(obs.steps[0].grad_norm > 0.01);
    QVERIFY(std::abs(std::sqrt(sq) - 0.01) < 1e-5);
  }

  void knnMonitorRunsOnItsSteps() {
    RunConfig c = test::tiny_run_config();
    c.train.steps = 4;
    c.train.knn_every = 2;
    Trainer t(c, "", synthetic());
    int calls = 0;
    t.set_knn_monitor([&calls](CanModel& m) {
      ++calls;
      return m->is_training() ? -1.0 : 0.5;  // must run in eval mode
    });
    test::RecordingObserver obs;
    t.set_observer(&obs);
    t.run();
    QCOMPARE(calls, 2);
    QVERIFY(!obs.steps[0].knn_top1 && !obs.steps[2].knn_top1);
    QCOMPARE(*obs.steps[1].knn_top1, 0.5);
    QCOMPARE(*obs.steps[3].knn_top1, 0.5);
  }

  // Files the loader cannot use are recorded by the trainer: each once, with its reason, and
  // the running count reaches every step's metrics (metrics.jsonl, the studio's status bar).
  void skippedFilesAreCountedInTheMetrics() {
    struct Broken : test::SyntheticDataset {
      using SyntheticDataset::SyntheticDataset;
      data::Image get(int64_t index) const override {
        if (index == 3 || index == 17) throw data::CorruptSampleError("img" + std::to_string(index) + ".png", "truncated");
        return SyntheticDataset::get(index);
      }
    };
    RunConfig c = test::tiny_run_config();
    c.train.steps = 8;  // two epochs of 32 images at batch 8: every index is read
    Trainer trainer(c, "", std::make_shared<Broken>(32));
    struct Counts : TrainerObserver {
      std::vector<int64_t> skipped;
      void on_step(const StepMetrics& m) override { skipped.push_back(m.skipped_files); }
    } counts;
    trainer.set_observer(&counts);
    QCOMPARE(int(trainer.run().status), int(TrainResult::Status::Finished));
    QCOMPARE(counts.skipped.back(), int64_t{2});
    QVERIFY(std::is_sorted(counts.skipped.begin(), counts.skipped.end()));  // a running count
    std::set<std::string> names;
    for (const auto& f : trainer.skip_report().files()) {
      names.insert(f.file);
      QCOMPARE(QString::fromStdString(f.reason), QString("truncated"));
    }
    QVERIFY((names == std::set<std::string>{"img3.png", "img17.png"}));
  }

  // The objective balance and the representation health are measured on their steps only,
  // and measuring leaves training exactly as it was: same losses and weights as a run that
  // never measures.
  void objectiveBalanceOnItsStepsChangesNothing() {
    struct Steps : TrainerObserver {
      std::vector<StepMetrics> seen;
      void on_step(const StepMetrics& m) override { seen.push_back(m); }
    };
    auto run = [](int64_t every, Steps& steps) -> std::map<std::string, torch::Tensor> {
      RunConfig c = test::tiny_run_config();
      c.train.steps = 4;
      c.train.balance_every = every;
      c.train.health_every = every;
      Trainer trainer(c, "", std::make_shared<test::SyntheticDataset>(32));
      trainer.set_observer(&steps);
      if (trainer.run().status != TrainResult::Status::Finished) return {};
      return test::clone_params(*trainer.model());
    };
    Steps measured, plain;
    const auto a = run(2, measured);
    const auto b = run(0, plain);
    QVERIFY(!a.empty() && !b.empty());  // both runs finished
    QVERIFY(test::same_params(a, b));
    QCOMPARE(measured.seen.size(), size_t(4));
    for (size_t i = 0; i < 4; ++i) {
      const StepMetrics& m = measured.seen[i];
      QCOMPARE(m.loss, plain.seen[i].loss);
      const bool on_its_step = m.step % 2 == 0;
      for (const auto* f : {&m.grad_norm_infonce, &m.grad_norm_rec, &m.grad_norm_denoise, &m.grad_cos_c_a,
                            &m.grad_cos_c_n, &m.grad_cos_a_n})
        QCOMPARE(f->has_value(), on_its_step);
      if (on_its_step) {
        QVERIFY(*m.grad_norm_rec > 0 && *m.grad_norm_infonce > 0 && *m.grad_norm_denoise > 0);
        QVERIFY(std::abs(*m.grad_cos_c_a) <= 1.0 + 1e-9);
        QVERIFY(std::abs(*m.grad_share_infonce + *m.grad_share_rec + *m.grad_share_denoise - 1.0) < 1e-9);
        // For unit vectors ||a - b||^2 = 2 - 2 cos(a, b): the alignment and the mean positive
        // cosine are two computations of one thing.
        QVERIFY(std::abs(*m.health_alignment - (2.0 - 2.0 * *m.health_pos_cos)) < 1e-4);
        QVERIFY(*m.health_effective_rank >= 1.0 && *m.health_effective_rank <= 8.0);  // 2n = 8 at most here
        QVERIFY(*m.health_std_ratio > 0 && *m.health_uniformity < 0);
      }
      for (const auto* f : {&m.health_std_ratio, &m.health_effective_rank, &m.health_alignment, &m.health_uniformity,
                            &m.health_pos_cos, &m.health_neg_cos})
        QCOMPARE(f->has_value(), on_its_step);
      QVERIFY(!plain.seen[i].grad_norm_rec);
    }
  }

  // An error that ends a run reaches the user as one line: no LibTorch backtrace, and for
  // out-of-memory what to change, with the batch size in effect.
  void failureTextIsOneLineAndNamesTheFix() {
    RunConfig c = test::tiny_run_config();
    c.train.batch_size = 96;
    c.train.precision = "fp32";
    const c10::OutOfMemoryError oom({"f", "file.cpp", 1}, "CUDA out of memory. Tried to allocate 2.00 GiB\nmore");
    const std::string t = failure_text(oom, c, torch::Device(torch::kCUDA, 0));
    QVERIFY2(t.find("out of memory on cuda:0 at train.batch_size 96") == 0, t.c_str());
    QVERIFY(t.find("train.precision=bf16") != std::string::npos);  // fp32 forced: bf16 is a remedy
    QVERIFY(t.find('\n') == std::string::npos && t.find("Tried to allocate 2.00 GiB") != std::string::npos);
    c.train.precision = "auto";  // bf16 on CUDA already: not suggested again
    QVERIFY(failure_text(oom, c, torch::Device(torch::kCUDA, 0)).find("precision") == std::string::npos);
    const c10::Error plain({"f", "file.cpp", 1}, "shape mismatch");
    QCOMPARE(QString::fromStdString(failure_text(plain, c, torch::kCPU)), QString("shape mismatch"));
    QCOMPARE(QString::fromStdString(failure_text(std::runtime_error("disk full"), c, torch::kCPU)), QString("disk full"));
  }
};

QTEST_MAIN(TestTrainer)
#include "tst_trainer.moc"
