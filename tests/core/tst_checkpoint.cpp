// Checkpoints: round trip through load_model/load_run_config, keep-last-N, the latest
// pointer, and an interrupted write leaving the previous checkpoint loadable.

#include "core/train/checkpoint.h"
#include "core/train/param_groups.h"
#include "tests/core/trainer_fixtures.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QtTest/QtTest>

#include <filesystem>

using namespace can;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  RunConfig config = test::tiny_run_config();
  CanModel model{nullptr};
  std::unique_ptr<torch::optim::AdamW> optimizer;

  Fixture() {
    torch::manual_seed(1);
    config.model.noise_embed_scale = 1000.0 / config.loss.sigma_max;
    model = CanModel(config.model, config.objectives, config.loss.sigma_max);
    optimizer = make_adamw(split_param_groups(*model), 0.05, 0.9, 0.95);
  }
  // Changes the weights (and the optimizer state) so that checkpoints differ.
  void perturb() {
    torch::NoGradGuard g;
    for (auto& p : model->parameters()) p.add_(torch::randn_like(p) * 0.01);
  }
  TrainState state(int64_t step) {
    TrainState s;
    s.step = step;
    s.epoch = 2;
    s.batch_in_epoch = 3;
    s.generator_state = at::make_generator<at::CPUGeneratorImpl>(7).get_state();
    return s;
  }
};

}  // namespace

class TestCheckpoint : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void roundTripThroughRunDirectory() {
    const std::string run = test::fresh_dir("ckpt_roundtrip");
    Fixture f;
    const auto path = save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(12));
    QCOMPARE(fs::path(path).filename().string(), std::string("step_000012"));
    QCOMPARE(resolve_checkpoint(run), path);
    QCOMPARE(resolve_checkpoint(path), path);

    RunConfig loaded_config;
    CanModel loaded = load_model(run, &loaded_config);
    QVERIFY(test::same_params(test::clone_params(*f.model), test::clone_params(*loaded)));
    QCOMPARE(nlohmann::json(loaded_config).dump(), nlohmann::json(f.config).dump());
    QCOMPARE(nlohmann::json(load_run_config(path)).dump(), nlohmann::json(f.config).dump());

    Fixture g;  // a different model: load_checkpoint overwrites it
    g.perturb();
    TrainState s = load_checkpoint(run, g.model, *g.optimizer);
    QCOMPARE(s.step, int64_t(12));
    QCOMPARE(s.epoch, int64_t(2));
    QCOMPARE(s.batch_in_epoch, int64_t(3));
    QVERIFY(torch::equal(s.generator_state, f.state(12).generator_state));
    QVERIFY(test::same_params(test::clone_params(*f.model), test::clone_params(*g.model)));
  }

  void keepsTheLastN() {
    const std::string run = test::fresh_dir("ckpt_keep");
    Fixture f;
    CheckpointWriteOptions o;
    o.keep_last = 2;
    for (int64_t step = 1; step <= 5; ++step) save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(step), o);
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(fs::path(run) / "checkpoints")) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    QCOMPARE(names, (std::vector<std::string>{"latest", "step_000004", "step_000005"}));
    QVERIFY(resolve_checkpoint(run).find("step_000005") != std::string::npos);
  }

  void interruptedWriteLeavesThePreviousCheckpoint() {
    const std::string run = test::fresh_dir("ckpt_interrupted");
    Fixture f;
    const auto first = save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(1));
    const auto weights_1 = test::clone_params(*f.model);
    const auto bytes_1 = test::read_tree(first);

    f.perturb();
    CheckpointWriteOptions crash;
    crash.before_publish = [](const std::string&) { throw std::runtime_error("simulated crash"); };
    QVERIFY_EXCEPTION_THROWN(save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(2), crash),
                             std::runtime_error);
    // The half-written checkpoint sits in a hidden temp dir; nothing points at it.
    QVERIFY(fs::exists(fs::path(run) / "checkpoints" / ".tmp_step_000002" / "model.pt"));
    QVERIFY(!fs::exists(fs::path(run) / "checkpoints" / "step_000002"));
    QCOMPARE(resolve_checkpoint(run), first);
    QVERIFY(test::read_tree(first) == bytes_1);
    QVERIFY(test::same_params(weights_1, test::clone_params(*load_model(run))));

    // A crash while replacing the pointer leaves a stray temp file, also ignored.
    std::ofstream(fs::path(run) / "checkpoints" / ".latest.tmp") << "step_0000";
    QCOMPARE(resolve_checkpoint(run), first);

    // The next save clears the leftovers and publishes normally.
    const auto second = save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(2));
    QVERIFY(!fs::exists(fs::path(run) / "checkpoints" / ".tmp_step_000002"));
    QCOMPARE(resolve_checkpoint(run), second);
    QVERIFY(test::same_params(test::clone_params(*f.model), test::clone_params(*load_model(run))));
  }

  void missingPointerFallsBackToTheNewestStep() {
    const std::string run = test::fresh_dir("ckpt_nopointer");
    Fixture f;
    save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(3));
    const auto newest = save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(10));
    fs::remove(fs::path(run) / "checkpoints" / "latest");
    QCOMPARE(resolve_checkpoint(run), newest);
  }

  void noCheckpointIsAnErrorNamingThePath() {
    const std::string run = test::fresh_dir("ckpt_none");
    try {
      resolve_checkpoint(run);
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      QVERIFY(std::string(e.what()).rfind(run + ": no checkpoint found", 0) == 0);
    }
  }
};

QTEST_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
