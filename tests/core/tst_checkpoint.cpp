// Checkpoints: round trip through load_model/load_run_config, keep-last-N, the latest
// pointer, and an interrupted write leaving the previous checkpoint loadable. Integrity
// (issue 11): the manifest (every file's size and SHA-256, checked with Qt's SHA-256), damaged
// files refused naming the file before LibTorch reads them, a resume of a run directory
// falling back past a damaged latest, content that does not fit (shapes, dtypes, views
// past their storage, generator lengths, negative steps) refused naming file and tensor
// with model and optimizer untouched, and checkpoints without a manifest read with one
// warning.

#include "core/train/adamw_step.h"
#include "core/train/checkpoint.h"
#include "core/train/param_groups.h"
#include "core/train/trainer.h"
#include "tests/core/checkpoint_damage.h"
#include "tests/core/trainer_fixtures.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QtTest/QtTest>

#include <filesystem>
#include <regex>

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
  // One AdamW step on made-up gradients: every parameter gets optimizer state.
  void step_optimizer() {
    for (auto& p : model->parameters()) p.mutable_grad() = torch::randn_like(p) * 0.1;
    optimizer->step();
  }
  TrainState state(int64_t step) {
    TrainState s;
    s.step = step;
    s.epoch = 2;
    s.batch_in_epoch = 3;
    s.generator_state = at::make_generator<at::CPUGeneratorImpl>(7).get_state();
    s.cpu_rng_state = at::make_generator<at::CPUGeneratorImpl>(8).get_state();
    return s;
  }
  torch::Tensor param(const std::string& name) { return model->named_parameters()[name]; }
  torch::optim::AdamWParamState& adam(const std::string& name) { return *adamw_state(*optimizer, param(name)); }
  // exp_avg of every parameter with state, keyed by name.
  std::map<std::string, torch::Tensor> exp_avgs() {
    std::map<std::string, torch::Tensor> out;
    for (const auto& p : model->named_parameters())
      if (auto* st = adamw_state(*optimizer, p.value())) out[p.key()] = st->exp_avg().clone();
    return out;
  }
};

// What a refused load must leave as it was: the weights and the optimizer's state.
struct Untouched {
  std::map<std::string, torch::Tensor> weights;
  size_t states;
  explicit Untouched(Fixture& f) : weights(test::clone_params(*f.model)), states(f.optimizer->state().size()) {}
  bool holds(Fixture& f) const {
    return test::same_params(weights, test::clone_params(*f.model)) && f.optimizer->state().size() == states;
  }
};

// QCOMPARE of two std::strings, showing both texts when they differ.
#define QCOMPARE_TEXT(actual, expected) QCOMPARE(QString::fromStdString(actual), QString::fromStdString(expected))

std::string what_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

bool is_damage(const std::function<void()>& f) {
  try {
    f();
  } catch (const CheckpointDamaged&) {
    return true;
  } catch (...) {
  }
  return false;
}

const char* kFallbackHint = "; resume the run directory instead to fall back to the previous checkpoint";

int64_t cpu_state_bytes() { return at::make_generator<at::CPUGeneratorImpl>(0).get_state().numel(); }

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
    // The half-written checkpoint sits in a hidden temp dir; nothing points at it. Its
    // manifest was written (last) before the publishing rename was due.
    QVERIFY(verify_checkpoint((fs::path(run) / "checkpoints" / ".tmp_step_000002").string()));
    QVERIFY(fs::exists(fs::path(run) / "checkpoints" / ".tmp_step_000002" / "model.pt"));
    QVERIFY(!fs::exists(fs::path(run) / "checkpoints" / "step_000002"));
    QCOMPARE(resolve_checkpoint(run), first);
    QVERIFY(test::read_tree(first) == bytes_1);
    QVERIFY(test::same_params(weights_1, test::clone_params(*load_model(run))));

    // A crash while replacing the pointer leaves a stray temp file, also ignored.
    std::ofstream(fs::path(run) / "checkpoints" / ".latest.tmp") << "step_0000";
    QCOMPARE(resolve_checkpoint(run), first);

    // The next save clears the leftovers and publishes normally; the pointer is written
    // through the same temporary name, so the stray one is consumed.
    const auto second = save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(2));
    QVERIFY(!fs::exists(fs::path(run) / "checkpoints" / ".tmp_step_000002"));
    QVERIFY(!fs::exists(fs::path(run) / "checkpoints" / ".latest.tmp"));
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

  // ---- integrity (issue 11) ------------------------------------------------------------

  void manifestListsEveryFileWithItsSizeAndChecksum() {
    const std::string run = test::fresh_dir("ckpt_manifest");
    Fixture f;
    f.step_optimizer();
    bool verified_before_publish = false;
    CheckpointWriteOptions o;
    o.before_publish = [&](const std::string& tmp) { verified_before_publish = verify_checkpoint(tmp); };
    const std::string dir = save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(4), o);
    QVERIFY(verified_before_publish);  // complete, manifest included, before the rename

    const auto m = nlohmann::json::parse(test::read_file(dir + "/manifest.json"));
    QCOMPARE(m["format"].get<std::string>(), std::string("can-checkpoint-manifest"));
    QCOMPARE(m["version"].get<int>(), 1);
    std::vector<std::string> names;
    for (const auto& e : m["files"]) {
      const std::string name = e["name"];
      names.push_back(name);
      const std::string bytes = test::read_file(dir + "/" + name);
      QCOMPARE(e["size"].get<uint64_t>(), uint64_t(bytes.size()));
      QCOMPARE(e["sha256"].get<std::string>(),
               QCryptographicHash::hash(QByteArray::fromStdString(bytes), QCryptographicHash::Sha256).toHex().toStdString());
    }
    QCOMPARE(names, (std::vector<std::string>{"model.pt", "optimizer.pt", "rng.pt", "state.json", "config.json"}));
    std::vector<std::string> on_disk;
    for (const auto& e : fs::directory_iterator(dir)) on_disk.push_back(e.path().filename());
    std::sort(on_disk.begin(), on_disk.end());
    QCOMPARE(on_disk, (std::vector<std::string>{"config.json", "manifest.json", "model.pt", "optimizer.pt", "rng.pt",
                                                "state.json"}));
    QCOMPARE(nlohmann::json::parse(test::read_file(dir + "/state.json"))["manifest"].get<std::string>(),
             std::string("manifest.json"));
    QVERIFY(verify_checkpoint(dir));
  }

  void damagedFilesAreRefusedNamingTheFile_data() {
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("modelStillLoads");  // load_model reads config.json and model.pt only
    QTest::newRow("two pickle bytes of optimizer.pt, zip CRC valid") << "pickle" << "optimizer.pt" << true;
    QTest::newRow("a byte of model.pt flipped") << "flip" << "model.pt" << false;
    QTest::newRow("rng.pt truncated") << "truncate" << "rng.pt" << true;
    QTest::newRow("config.json grown") << "append" << "config.json" << false;
    QTest::newRow("state.json deleted") << "delete" << "state.json" << true;
    QTest::newRow("rng.pt not listed") << "unlist" << "rng.pt" << true;
    QTest::newRow("manifest.json deleted") << "delete" << "manifest.json" << false;
    QTest::newRow("manifest.json not JSON") << "garbage" << "manifest.json" << false;
  }
  void damagedFilesAreRefusedNamingTheFile() {
    QFETCH(QString, damage);
    QFETCH(QString, file);
    QFETCH(bool, modelStillLoads);
    const std::string run = test::fresh_dir("ckpt_damaged");
    Fixture f;
    f.step_optimizer();
    const std::string dir = save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(6));
    const auto saved = test::clone_params(*f.model);
    const std::string path = dir + "/" + file.toStdString();
    const std::string bytes = test::read_file(path);
    std::string expected = path + ": ";
    if (damage == "pickle") {
      test::shift_storage_offsets(path, "exp_avg", "exp_avg_sq", 200);
      QCOMPARE(test::read_file(path).size(), bytes.size());
      expected += "checksum mismatch (file damaged?)";
    } else if (damage == "flip") {
      std::string b = bytes;
      b[b.size() / 2] ^= 0x20;
      test::write_file(path, b);
      expected += "checksum mismatch (file damaged?)";
    } else if (damage == "truncate") {
      test::write_file(path, bytes.substr(0, bytes.size() - 100));
      expected += std::to_string(bytes.size() - 100) + " bytes, manifest.json says " + std::to_string(bytes.size()) +
                  " (file truncated or damaged?)";
    } else if (damage == "append") {
      test::write_file(path, bytes + " ");
      expected += std::to_string(bytes.size() + 1) + " bytes, manifest.json says " + std::to_string(bytes.size()) +
                  " (file truncated or damaged?)";
    } else if (damage == "delete") {
      fs::remove(path);
      expected += file == "manifest.json" ? "missing, though state.json says the checkpoint has one (deleted?)" : "missing";
    } else if (damage == "unlist") {
      auto m = nlohmann::json::parse(test::read_file(dir + "/manifest.json"));
      auto& list = m["files"];
      list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& e) { return e["name"] == file.toStdString(); }),
                 list.end());
      test::write_file(dir + "/manifest.json", m.dump());
      expected += "not listed in manifest.json (checkpoint incomplete or altered?)";
    } else if (damage == "garbage") {
      test::write_file(path, "{\"files\": [");
      expected += "not valid JSON (syntax error at byte 12)";
    }

    QCOMPARE_TEXT(what_of([&] { verify_checkpoint(dir); }), expected);
    QVERIFY(is_damage([&] { verify_checkpoint(dir); }));
    Fixture g;
    g.perturb();
    g.step_optimizer();
    const Untouched before(g);
    QCOMPARE_TEXT(what_of([&] { load_checkpoint(dir, g.model, *g.optimizer); }), expected + kFallbackHint);
    QVERIFY(before.holds(g));
    QCOMPARE_TEXT(what_of([&] { choose_checkpoint(dir); }), expected + kFallbackHint);
    // A run directory with nothing older to fall back to.
    QCOMPARE_TEXT(what_of([&] { choose_checkpoint(run); }), run + ": no usable checkpoint: " + expected);
    if (modelStillLoads) {
      QVERIFY(test::same_params(saved, test::clone_params(*load_model(dir))));
    } else {
      QCOMPARE_TEXT(what_of([&] { load_model(dir); }), expected);
      if (file != "model.pt") QCOMPARE_TEXT(what_of([&] { load_run_config(dir); }), expected);
    }
  }

  // A checkpoint whose files match their manifest but hold what does not fit: refused
  // naming the file and the tensor, model and optimizer as they were, and no fallback
  // (the file is what its writer wrote).
  void contentThatDoesNotFitIsRefused_data() {
    QTest::addColumn<QString>("change");
    QTest::newRow("exp_avg view past its storage") << "exp_avg past storage";
    QTest::newRow("model weight view past its storage") << "weight past storage";
    QTest::newRow("exp_avg of another shape") << "exp_avg shape";
    QTest::newRow("exp_avg_sq float64") << "exp_avg_sq dtype";
    QTest::newRow("exp_avg not contiguous") << "exp_avg strides";
    QTest::newRow("AdamW step -1") << "adam step";
    QTest::newRow("model weight of another shape") << "weight shape";
    QTest::newRow("model weight float64") << "weight dtype";
    QTest::newRow("generator state of 100 bytes") << "generator length";
    QTest::newRow("cpu generator state as floats") << "cpu state dtype";
    QTest::newRow("state.json step -5") << "state step";
    QTest::newRow("state.json step a string") << "state step string";
  }
  void contentThatDoesNotFitIsRefused() {
    QFETCH(QString, change);
    const std::string run = test::fresh_dir("ckpt_unfit");
    Fixture f;
    f.step_optimizer();
    save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(1));  // a good one to fall back to: not taken
    f.step_optimizer();
    TrainState state = f.state(2);
    const std::string cls = "encoder.cls_token", qkv = "encoder.blocks.0.attn.qkv.weight";
    std::regex pattern;  // for the views past their storage: which tensor comes first in a pickle is LibTorch's choice
    std::string expected;
    const std::string dir = run + "/checkpoints/step_000002";
    if (change == "exp_avg shape") {
      f.adam(cls).exp_avg(torch::zeros({3}));
      expected = dir + "/optimizer.pt: exp_avg of encoder.cls_token: shape [3], expected [1, 1, 32]";
    } else if (change == "exp_avg_sq dtype") {
      f.adam(cls).exp_avg_sq(f.adam(cls).exp_avg_sq().to(torch::kDouble));
      expected = dir + "/optimizer.pt: exp_avg_sq of encoder.cls_token: dtype Double, expected Float";
    } else if (change == "exp_avg strides") {
      QCOMPARE(f.param(qkv).sizes(), (c10::IntArrayRef{96, 32}));
      f.adam(qkv).exp_avg(torch::zeros({32, 96}).t());
      expected = dir + "/optimizer.pt: exp_avg of " + qkv + ": not contiguous (strides [1, 96])";
    } else if (change == "adam step") {
      f.adam(cls).step(-1);
      expected = dir + "/optimizer.pt: step of encoder.cls_token: -1, expected >= 0";
    } else if (change == "weight shape") {
      f.param(cls).set_data(torch::zeros({3}));
      expected = dir + "/model.pt: encoder.cls_token: shape [3], expected [1, 1, 32]";
    } else if (change == "weight dtype") {
      f.param(cls).set_data(f.param(cls).to(torch::kDouble));
      expected = dir + "/model.pt: encoder.cls_token: dtype Double, expected Float";
    } else if (change == "generator length") {
      state.generator_state = torch::zeros({100}, torch::kByte);
      expected = dir + "/rng.pt: generator_state: shape [100], expected [" + std::to_string(cpu_state_bytes()) + "]";
    } else if (change == "cpu state dtype") {
      state.cpu_rng_state = torch::zeros({cpu_state_bytes()}, torch::kFloat);
      expected = dir + "/rng.pt: cpu_rng_state: dtype Float, expected Byte";
    }
    QCOMPARE(save_checkpoint(run, f.config, f.model, *f.optimizer, state), dir);
    if (change == "exp_avg past storage") {
      test::shift_storage_offsets(dir + "/optimizer.pt", "exp_avg", "exp_avg_sq", 200);
      pattern = std::regex(dir + "/optimizer\\.pt: exp_avg of ([a-z0-9_.]+): lies outside its storage \\(offset 200 \\+ "
                                 "([0-9]+) elements of 4 bytes > ([0-9]+) bytes\\)");
    } else if (change == "weight past storage") {
      test::shift_storage_offsets(dir + "/model.pt", "", "", 200);  // the first tensor's offset, twice
      pattern = std::regex(dir + "/model\\.pt: ([a-z0-9_.]+): lies outside its storage \\(offset 200 \\+ ([0-9]+) "
                                 "elements of 4 bytes > ([0-9]+) bytes\\)");
    } else if (change.startsWith("state step")) {
      auto j = nlohmann::json::parse(test::read_file(dir + "/state.json"));
      j["step"] = change == "state step" ? nlohmann::json(-5) : nlohmann::json("7");
      test::write_file(dir + "/state.json", j.dump());
      expected = dir + (change == "state step" ? "/state.json: step: -5, expected >= 0"
                                               : "/state.json: step: expected an integer, got \"7\"");
    }
    test::rewrite_manifest(dir);
    QVERIFY(verify_checkpoint(dir));  // the checksums match: only the checks after parsing can tell

    Fixture g;
    g.perturb();
    const Untouched before(g);
    for (const std::string& path : {dir, run}) {  // named or latest of a run: refused either way
      const std::string what = what_of([&] { load_checkpoint(path, g.model, *g.optimizer); });
      QVERIFY(!is_damage([&] { load_checkpoint(path, g.model, *g.optimizer); }));
      std::smatch m;
      if (expected.empty()) {
        QVERIFY2(std::regex_match(what, m, pattern), what.c_str());
        // The tensor named is one of the model's, and the sizes are its own: numel
        // elements in a storage of exactly numel * 4 bytes.
        const auto params = g.model->named_parameters();
        QVERIFY2(params.contains(m[1].str()), what.c_str());
        const int64_t numel = params[m[1].str()].numel();
        QCOMPARE(std::stoll(m[2].str()), numel);
        QCOMPARE(std::stoll(m[3].str()), numel * 4);
      } else {
        QCOMPARE(what, expected);
      }
      QVERIFY(before.holds(g));
    }
    if (change.startsWith("weight")) QCOMPARE_TEXT(what_of([&] { load_model(dir); }), what_of([&] { load_checkpoint(dir, g.model, *g.optimizer); }));
  }

  void resumeFallsBackToThePreviousCheckpoint() {
    const std::string run = test::fresh_dir("ckpt_fallback");
    const std::string ck = run + "/checkpoints/";
    Fixture f;
    std::vector<std::map<std::string, torch::Tensor>> weights, moments;
    for (int64_t step = 1; step <= 3; ++step) {
      f.perturb();
      f.step_optimizer();
      save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(step));
      weights.push_back(test::clone_params(*f.model));
      moments.push_back(f.exp_avgs());
    }
    test::shift_storage_offsets(ck + "step_000003/optimizer.pt", "exp_avg", "exp_avg_sq", 200);
    const std::string note3 = ck + "step_000003/optimizer.pt: checksum mismatch (file damaged?)";

    CheckpointChoice c = choose_checkpoint(run);
    QCOMPARE(c.dir, ck + "step_000002");
    QVERIFY(c.verified);
    QCOMPARE(c.notes, (std::vector<std::string>{note3 + "; resuming from the previous complete checkpoint " + ck +
                                                "step_000002 instead"}));
    Fixture g;
    CheckpointChoice loaded;
    const TrainState s = load_checkpoint(run, g.model, *g.optimizer, &loaded);
    QCOMPARE(loaded.dir, c.dir);
    QCOMPARE(loaded.notes, c.notes);
    QCOMPARE(s.step, int64_t(2));
    QVERIFY(test::same_params(weights[1], test::clone_params(*g.model)));
    const auto m = g.exp_avgs();
    QCOMPARE(m.size(), moments[1].size());
    for (const auto& [name, t] : moments[1]) QVERIFY2(torch::equal(m.at(name), t), name.c_str());

    // Two damaged: both passed over, one line each, the last naming the one taken.
    const std::string model2 = ck + "step_000002/model.pt";
    const std::string bytes = test::read_file(model2);
    test::write_file(model2, bytes.substr(0, 1000));
    const std::string note2 = model2 + ": 1000 bytes, manifest.json says " + std::to_string(bytes.size()) +
                              " (file truncated or damaged?)";
    c = choose_checkpoint(run);
    QCOMPARE(c.dir, ck + "step_000001");
    QCOMPARE(c.notes, (std::vector<std::string>{note3 + "; checkpoint passed over",
                                                note2 + "; resuming from the previous complete checkpoint " + ck +
                                                    "step_000001 instead"}));
    QCOMPARE(load_checkpoint(run, g.model, *g.optimizer).step, int64_t(1));
    QVERIFY(test::same_params(weights[0], test::clone_params(*g.model)));

    // A named damaged checkpoint: refused, no fallback.
    QCOMPARE_TEXT(what_of([&] { load_checkpoint(ck + "step_000003", g.model, *g.optimizer); }), note3 + kFallbackHint);
    QVERIFY(test::same_params(weights[0], test::clone_params(*g.model)));

    // None usable: an error listing each.
    fs::remove(ck + "step_000001/state.json");
    QCOMPARE_TEXT(what_of([&] { choose_checkpoint(run); }),
             run + ": no usable checkpoint: " + note3 + "; " + note2 + "; " + ck + "step_000001/state.json: missing");
    QVERIFY(is_damage([&] { load_checkpoint(run, g.model, *g.optimizer); }));
  }

  // A pointer that names no step_ directory (garbage, a path outside) is ignored.
  void badPointerIsIgnored() {
    const std::string run = test::fresh_dir("ckpt_badpointer");
    Fixture f;
    save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(3));
    const auto newest = save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(7));
    for (const char* text : {"../../etc\n", "step_000005\n", "step_7x\n", ""}) {
      test::write_file(run + "/checkpoints/latest", text);
      QCOMPARE(resolve_checkpoint(run), newest);
      QCOMPARE(choose_checkpoint(run).dir, newest);
    }
  }

  void trainerResumeFallsBackAndSaysSo() {
    const std::string run = test::fresh_dir("ckpt_trainer_fallback");
    RunConfig c = test::tiny_run_config();
    c.train.steps = 3;
    c.train.checkpoint_every = 1;
    auto data = std::make_shared<test::SyntheticDataset>(40);
    QCOMPARE(int(Trainer(c, run, data).run().status), int(TrainResult::Status::Finished));
    const std::string ck = run + "/checkpoints/";
    const auto weights_2 = test::clone_params(*load_model(ck + "step_000002"));
    test::shift_storage_offsets(ck + "step_000003/optimizer.pt", "exp_avg", "exp_avg_sq", 200);
    const std::string note = ck + "step_000003/optimizer.pt: checksum mismatch (file damaged?); resuming from the "
                             "previous complete checkpoint " + ck + "step_000002 instead";
    {
      Trainer t(c, run, data);
      test::RecordingObserver obs;
      t.set_observer(&obs);
      t.resume(run);
      QCOMPARE(t.step(), int64_t(2));
      QCOMPARE(obs.events, (std::vector<std::string>{note, "resumed from " + ck + "step_000002 at step 2"}));
      QVERIFY(test::same_params(weights_2, test::clone_params(*t.model())));
      // Named: refused.
      Trainer named(c, "", data);
      QCOMPARE_TEXT(what_of([&] { named.resume(ck + "step_000003"); }),
               ck + "step_000003/optimizer.pt: checksum mismatch (file damaged?)" + kFallbackHint);
      // The run continues to its end and re-publishes step 3 whole.
      QCOMPARE(int(t.run().status), int(TrainResult::Status::Finished));
      QCOMPARE(resolve_checkpoint(run), ck + "step_000003");
      QVERIFY(verify_checkpoint(ck + "step_000003"));
    }
    {
      // Without an observer at resume time (can-train, the studio), the note comes first in run().
      test::shift_storage_offsets(ck + "step_000003/optimizer.pt", "exp_avg", "exp_avg_sq", 200);
      Trainer t(c, run, data);
      t.resume(run);
      test::RecordingObserver obs;
      t.set_observer(&obs);
      t.run();
      QVERIFY(!obs.events.empty());
      QCOMPARE(obs.events.front(), note);
    }
  }

  void checkpointWithoutManifestIsReadWithOneWarning() {
    const std::string run = test::fresh_dir("ckpt_legacy");
    Fixture f;
    f.step_optimizer();
    const std::string dir = save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(9));
    // What the writer before manifests left: no manifest.json, no "manifest" in state.json.
    fs::remove(dir + "/manifest.json");
    auto j = nlohmann::json::parse(test::read_file(dir + "/state.json"));
    j.erase("manifest");
    test::write_file(dir + "/state.json", j.dump(2));

    std::vector<std::string> warnings;
    set_checkpoint_warning_handler([&](const std::string& w) { warnings.push_back(w); });
    const std::string warning = dir + ": no manifest.json (written before checkpoints carried checksums): its files "
                                "are read unverified";
    QVERIFY(!verify_checkpoint(dir));
    Fixture g;
    CheckpointChoice choice;
    QCOMPARE(load_checkpoint(run, g.model, *g.optimizer, &choice).step, int64_t(9));
    QVERIFY(!choice.verified);
    QVERIFY(choice.notes.empty());
    QVERIFY(test::same_params(test::clone_params(*f.model), test::clone_params(*g.model)));
    QVERIFY(!choose_checkpoint(run).verified);
    QVERIFY(test::same_params(test::clone_params(*f.model), test::clone_params(*load_model(run))));
    QCOMPARE(nlohmann::json(load_run_config(run)).dump(), nlohmann::json(f.config).dump());
    QCOMPARE(warnings, std::vector<std::string>{warning});  // once, however often it is read
    set_checkpoint_warning_handler(nullptr);
  }

  void republishingAStepReplacesItWhole() {
    const std::string run = test::fresh_dir("ckpt_republish");
    Fixture f;
    const std::string first = save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(5));
    f.perturb();
    QCOMPARE(save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(5)), first);
    QVERIFY(verify_checkpoint(first));
    QVERIFY(test::same_params(test::clone_params(*f.model), test::clone_params(*load_model(first))));
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(run + "/checkpoints")) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    QCOMPARE(names, (std::vector<std::string>{"latest", "step_000005"}));  // no .tmp_ or .del_ left
  }

  // keep_last deletes an old checkpoint by renaming it out of sight first: a crash in the
  // middle of the deletion leaves a hidden leftover, never a half-deleted step_ directory.
  void interruptedRemovalLeavesNoHalfCheckpoint() {
    const std::string run = test::fresh_dir("ckpt_removal");
    const std::string ck = run + "/checkpoints/";
    Fixture f;
    CheckpointWriteOptions o;
    o.keep_last = 1;
    save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(1), o);
    bool published_while_removing = true;
    o.before_remove = [&](const std::string& hidden) {
      published_while_removing = fs::exists(ck + "step_000001");
      fs::remove(hidden + "/optimizer.pt");  // part of the removal done
      throw std::runtime_error("simulated crash");
    };
    QVERIFY_EXCEPTION_THROWN(save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(2), o), std::runtime_error);
    QVERIFY(!published_while_removing);
    for (const auto& e : fs::directory_iterator(ck))
      if (e.path().filename().string().rfind("step_", 0) == 0) QVERIFY(verify_checkpoint(e.path().string()));
    QVERIFY(!fs::exists(ck + "step_000001"));
    QVERIFY(fs::exists(ck + ".del_step_000001"));
    QCOMPARE(choose_checkpoint(run).dir, ck + "step_000002");
    o.before_remove = nullptr;
    save_checkpoint(run, f.config, f.model, *f.optimizer, f.state(3), o);
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(ck)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    QCOMPARE(names, (std::vector<std::string>{"latest", "step_000003"}));  // the leftover cleared
  }
};

QTEST_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
