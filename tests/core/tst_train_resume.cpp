// can-train --resume, run as a process (CAN_TRAIN_EXE): without --out the run continues in
// its own folder (checkpoints, config.json, metrics.jsonl and events.jsonl of that folder,
// the logs appended to, every step once and in order); --resume of a checkpoint directory
// continues the run that holds it; --out naming another folder branches the run there and
// says so, leaving the first folder as it was. A checkpoint outside a run folder needs --out.
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/train/checkpoint.h"
#include "data_fixtures.h"

namespace fs = std::filesystem;

namespace {

QString exe() { return qEnvironmentVariable("CAN_TRAIN_EXE"); }

std::string fresh(const std::string& name) {
  const std::string dir =
      qEnvironmentVariable("CAN_TEST_TMP", QDir::tempPath()).toStdString() + "/train_resume/" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A tiny model (16 px, T = 16) that trains in a blink; a checkpoint every 2 steps.
QStringList tiny_args(const std::string& data) {
  QStringList a;
  for (const char* kv :
       {"model.preset=custom", "model.embed_dim=32", "model.depth=1", "model.num_heads=2", "model.decoder_embed_dim=16",
        "model.decoder_depth=1", "model.decoder_num_heads=2", "model.img_size=16", "model.patch_size=4",
        "model.proj_dim=8", "train.batch_size=4", "train.threads=1", "data.num_workers=1", "data.dataset=fashion-mnist",
        "train.knn_every=0", "train.checkpoint_every=2", "train.keep_last=0"})
    a << "--set" << kv;
  a << "--set" << QString::fromStdString("data.path=" + data);
  return a;
}

struct Run {
  int code = -1;
  std::string err;
};

Run train(const QStringList& args) {
  QProcess p;
  p.start(exe(), args);
  Run r;
  if (!p.waitForFinished(240000)) return r;
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  r.err = p.readAllStandardError().toStdString();
  return r;
}

std::vector<nlohmann::json> jsonl(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::vector<int64_t> metric_steps(const std::string& run) {
  std::vector<int64_t> steps;
  for (const auto& j : jsonl(run + "/metrics.jsonl")) steps.push_back(j.at("step").get<int64_t>());
  return steps;
}

std::vector<int64_t> one_to(int64_t n) {
  std::vector<int64_t> v;
  for (int64_t i = 1; i <= n; ++i) v.push_back(i);
  return v;
}

// The step_ directories of a run, sorted.
std::vector<std::string> checkpoints(const std::string& run) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(run + "/checkpoints"))
    if (e.is_directory()) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string latest(const std::string& run) {
  std::ifstream in(run + "/checkpoints/latest");
  std::string name;
  std::getline(in, name);
  return name;
}

// "finished" at each step a run ended, from events.jsonl, in file order.
std::vector<int64_t> ends(const std::string& run) {
  std::vector<int64_t> out;
  for (const auto& j : jsonl(run + "/events.jsonl"))
    if (j.at("type") == "run_ended") out.push_back(j.at("step").get<int64_t>());
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

class TestTrainResume : public QObject {
  Q_OBJECT
  std::string data_;

 private Q_SLOTS:
  void initTestCase() {
    if (exe().isEmpty() || !QFileInfo::exists(exe())) QSKIP("can-train not built (CAN_TRAIN_EXE)");
    data_ = fresh("data");
    can_test::write_idx_split(data_, "train", 64, 16, 16, false);
  }

  void resumeWithoutOutContinuesInPlace() {
    const std::string run = fresh("in_place") + "/run";
    Run r = train(tiny_args(data_) << "--set"
                                   << "train.steps=3"
                                   << "--out" << QString::fromStdString(run));
    QVERIFY2(r.code == 0, r.err.c_str());
    QCOMPARE(checkpoints(run), (std::vector<std::string>{"step_000002", "step_000003"}));
    QCOMPARE(metric_steps(run), one_to(3));

    // The run folder itself, no --out: more steps in the same folder.
    r = train({"--resume", QString::fromStdString(run), "--set", "train.steps=6"});
    QVERIFY2(r.code == 0, r.err.c_str());
    QVERIFY2(contains(r.err, "can-train: continuing the run in " + run + " "), r.err.c_str());
    QVERIFY2(contains(r.err, "can-train: resumed from " + run + "/checkpoints/step_000003 at step 3\n"), r.err.c_str());
    QVERIFY2(!contains(r.err, "branching"), r.err.c_str());
    QCOMPARE(checkpoints(run), (std::vector<std::string>{"step_000002", "step_000003", "step_000004", "step_000006"}));
    QCOMPARE(latest(run), std::string("step_000006"));
    // Appended to, not truncated: every step once, in order; both runs' ends.
    QCOMPARE(metric_steps(run), one_to(6));
    QCOMPARE(ends(run), (std::vector<int64_t>{3, 6}));
    {
      std::ifstream in(run + "/config.json");
      const auto config = nlohmann::json::parse(in);
      QCOMPARE(config.at("train").at("steps").get<int64_t>(), int64_t{6});
    }
    {
      std::ifstream in(run + "/checkpoints/step_000006/state.json");
      QCOMPARE(nlohmann::json::parse(in).at("step").get<int64_t>(), int64_t{6});
    }

    // A checkpoint directory of the run: the run that holds it continues.
    r = train({"--resume", QString::fromStdString(run + "/checkpoints/step_000006"), "--set", "train.steps=8"});
    QVERIFY2(r.code == 0, r.err.c_str());
    QVERIFY2(contains(r.err, "can-train: continuing the run in " + run + " "), r.err.c_str());
    QCOMPARE(latest(run), std::string("step_000008"));
    QCOMPARE(metric_steps(run), one_to(8));
    QCOMPARE(ends(run), (std::vector<int64_t>{3, 6, 8}));

    // --out equal to the run folder is the same as none.
    r = train({"--resume", QString::fromStdString(run), "--out", QString::fromStdString(run + "/"), "--set",
               "train.steps=9"});
    QVERIFY2(r.code == 0, r.err.c_str());
    QVERIFY2(!contains(r.err, "branching"), r.err.c_str());
    QCOMPARE(metric_steps(run), one_to(9));
  }

  void resumeWithOtherOutBranches() {
    const std::string root = fresh("branch"), run = root + "/run", branch = root + "/branch";
    Run r = train(tiny_args(data_) << "--set"
                                   << "train.steps=4"
                                   << "--out" << QString::fromStdString(run));
    QVERIFY2(r.code == 0, r.err.c_str());
    const auto before = metric_steps(run);
    QCOMPARE(before, one_to(4));

    r = train(
        {"--resume", QString::fromStdString(run), "--out", QString::fromStdString(branch), "--set", "train.steps=6"});
    QVERIFY2(r.code == 0, r.err.c_str());
    QVERIFY2(contains(r.err, "can-train: branching from " + run + " into " + branch + "\n"), r.err.c_str());
    QVERIFY2(!contains(r.err, "continuing the run"), r.err.c_str());
    QCOMPARE(latest(branch), std::string("step_000006"));
    QCOMPARE(metric_steps(branch), (std::vector<int64_t>{5, 6}));
    // The first run is left as it was.
    QCOMPARE(metric_steps(run), before);
    QCOMPARE(latest(run), std::string("step_000004"));
    QCOMPARE(ends(run), (std::vector<int64_t>{4}));
  }

  void refusals() {
    const std::string root = fresh("refusals"), run = root + "/run";
    Run r = train(tiny_args(data_) << "--set"
                                   << "train.steps=2"
                                   << "--out" << QString::fromStdString(run));
    QVERIFY2(r.code == 0, r.err.c_str());

    r = train({"--set", "train.steps=3"});  // neither --out nor --resume
    QCOMPARE(r.code, 2);
    QVERIFY2(contains(r.err, "can-train: --out DIR is required (or --resume RUN_DIR"), r.err.c_str());
    r = train({"--resume"});
    QCOMPARE(r.code, 2);
    QVERIFY2(contains(r.err, "can-train: --resume needs a value\n"), r.err.c_str());

    // A checkpoint copied out of its run folder has no run to continue: --out is needed.
    const std::string loose = root + "/loose/step_000002";
    fs::create_directories(root + "/loose");
    fs::copy(run + "/checkpoints/step_000002", loose, fs::copy_options::recursive);
    r = train({"--resume", QString::fromStdString(loose)});
    QCOMPARE(r.code, 2);
    QVERIFY2(contains(r.err, "is not inside a run folder (RUN/checkpoints/step_N): give --out DIR"), r.err.c_str());
    QVERIFY(!fs::exists(root + "/loose/metrics.jsonl"));
    r = train({"--resume", QString::fromStdString(loose), "--out", QString::fromStdString(root + "/from_loose"),
               "--set", "train.steps=3"});
    QVERIFY2(r.code == 0, r.err.c_str());
    QVERIFY2(contains(r.err, "can-train: branching from " + loose + " into " + root + "/from_loose\n"), r.err.c_str());
    QCOMPARE(metric_steps(root + "/from_loose"), (std::vector<int64_t>{3}));
  }
};

QTEST_GUILESS_MAIN(TestTrainResume)
#include "tst_train_resume.moc"
