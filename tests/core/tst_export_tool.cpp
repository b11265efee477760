// The headless tools against a real checkpoint: can-export writes the encoder that the
// checkpoint holds (timm keys, identical values), can-eval prints one JSON line with
// accuracies in [0, 1], and both exit 1 on a missing or corrupt checkpoint and 2 on bad
// usage. The tools are run as processes from the build tree (skipped if not built).
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "core/config/run_config.h"
#include "core/io/safetensors.h"
#include "core/train/checkpoint.h"
#include "data_fixtures.h"
#include "tiny_model.h"

namespace fs = std::filesystem;

namespace {

std::string tmp_dir() {
  const char* env = std::getenv("CAN_TEST_TMP");
  std::string dir = (env && *env) ? env : fs::temp_directory_path().string();
  dir += "/export_tool";
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

QString tool(const char* name) { return QStringLiteral(QT_TESTCASE_BUILDDIR "/../app/") + name; }

struct Run {
  int code = -1;
  QByteArray out, err;
};

Run run_tool(const char* name, const QStringList& args) {
  QProcess p;
  p.start(tool(name), args);
  Run r;
  if (!p.waitForFinished(240000)) return r;
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

}  // namespace

class TestExportTool : public QObject {
  Q_OBJECT
  std::string dir_, ckpt_;
  can::CanModel model_{nullptr};

 private Q_SLOTS:
  void initTestCase() {
    if (!QFileInfo::exists(tool("can-export")) || !QFileInfo::exists(tool("can-eval")))
      QSKIP("can-export / can-eval not built");
    torch::set_num_threads(1);
    dir_ = tmp_dir();
    // A labelled 16x16 IDX dataset (train 60, test 20 images, label = index % 10).
    can_test::write_idx_split(dir_, "train", 60, 16, 16, false);
    can_test::write_idx_split(dir_, "t10k", 20, 16, 16, false);
    can::RunConfig config;
    config.model = can::test::tiny_model_config(1);
    config.data.dataset = "fashion-mnist";
    config.data.path = dir_;
    torch::manual_seed(4);
    model_ = can::CanModel(config.model, config.objectives, config.loss.sigma_max);
    torch::optim::AdamW optimizer(model_->parameters());
    can::TrainState state;
    state.step = 3;
    ckpt_ = can::save_checkpoint(dir_ + "/run", config, model_, optimizer, state);
  }

  void exportWritesCheckpointEncoder() {
    const std::string out = dir_ + "/enc.safetensors";
    Run r = run_tool("can-export", {QString::fromStdString(dir_ + "/run"), "--out", QString::fromStdString(out)});
    // the run directory must come after --checkpoint
    QCOMPARE(r.code, 2);
    r = run_tool("can-export", {"--checkpoint", QString::fromStdString(dir_ + "/run"), "--out", QString::fromStdString(out)});
    QVERIFY2(r.code == 0, r.err.constData());
    auto file = can::io::read_safetensors(out);
    QCOMPARE(file.names().size(), model_->encoder->named_parameters().size());
    for (const auto& item : model_->encoder->named_parameters())
      QVERIFY2(torch::equal(file.tensor(item.key()), item.value()), item.key().c_str());
    QVERIFY(fs::exists(dir_ + "/enc.json"));

    const std::string full = dir_ + "/full.safetensors";
    r = run_tool("can-export", {"--checkpoint", QString::fromStdString(ckpt_), "--out", QString::fromStdString(full), "--full"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY(can::io::read_safetensors(full).contains("decoder.mask_token"));
  }

  void evalPrintsOneJsonLine() {
    Run r = run_tool("can-eval", {"--checkpoint", QString::fromStdString(ckpt_), "--max-train", "50",
                                  "--linear-epochs", "5", "--threads", "1"});
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.out.count('\n'), 1);
    auto j = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(j.at("train_images").get<int>(), 50);
    QCOMPARE(j.at("test_images").get<int>(), 20);
    QCOMPARE(j.at("feature_dim").get<int>(), 32);
    for (const char* key : {"knn_top1", "linear_top1"}) {
      const double v = j.at(key).get<double>();
      QVERIFY2(v >= 0.0 && v <= 1.0, key);
    }
    r = run_tool("can-eval", {"--checkpoint", QString::fromStdString(ckpt_), "--knn", "--max-test", "5"});
    QVERIFY2(r.code == 0, r.err.constData());
    j = nlohmann::json::parse(r.out.toStdString());
    QVERIFY(j.contains("knn_top1") && !j.contains("linear_top1"));
  }

  void badCheckpointsExitOne() {
    Run r = run_tool("can-eval", {"--checkpoint", QString::fromStdString(dir_ + "/missing")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("missing"), r.err.constData());
    // A complete checkpoint whose weights file is garbage.
    const std::string bad = dir_ + "/bad/checkpoints/" + fs::path(ckpt_).filename().string();
    fs::create_directories(bad);
    fs::copy(ckpt_, bad, fs::copy_options::recursive);
    std::ofstream(bad + "/model.pt", std::ios::trunc) << "not a torch archive";
    r = run_tool("can-export", {"--checkpoint", QString::fromStdString(bad), "--out", QString::fromStdString(dir_ + "/x.safetensors")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.startsWith("can-export: error:"), r.err.constData());
    QVERIFY2(r.err.count('\n') <= 3, r.err.constData());  // a message, not a backtrace
    QVERIFY2(r.err.contains(QByteArray::fromStdString(bad)), r.err.constData());  // names the checkpoint
    QVERIFY(!fs::exists(dir_ + "/x.safetensors"));
    r = run_tool("can-eval", {"--checkpoint", QString::fromStdString(bad)});
    QCOMPARE(r.code, 1);
  }

  void badUsageExitsTwo() {
    QCOMPARE(run_tool("can-eval", {}).code, 2);
    QCOMPARE(run_tool("can-eval", {"--checkpoint", "x", "--k", "zero"}).code, 2);
    QCOMPARE(run_tool("can-eval", {"--bogus"}).code, 2);
    QCOMPARE(run_tool("can-export", {"--checkpoint", "x"}).code, 2);
    QCOMPARE(run_tool("can-export", {"--help"}).code, 0);
  }

  // A bad value names its key, without the usage text (the command line was fine), and
  // leaves no run directory behind; a bad option shows the usage.
  void trainRefusesBadConfigBeforeWriting() {
    if (!QFileInfo::exists(tool("can-train"))) QSKIP("can-train not built");
    const QString out = QString::fromStdString(dir_ + "/refused");
    struct Case {
      QStringList args;
      QByteArray named;
    };
    const Case cases[] = {
        {{"--set", "train.batch_size=0"}, "train.batch_size: must be >= 1, got 0"},
        {{"--set", "loss.foo=1"}, "loss.foo: unknown key"},
        {{"--set", "loss.mask_ratio=1.5"}, "loss.mask_ratio"},
        {{"--config", QString::fromStdString(dir_ + "/missing.json")}, "missing.json"},
    };
    for (const Case& c : cases) {
      const Run r = run_tool("can-train", c.args + QStringList{"--out", out});
      QCOMPARE(r.code, 2);
      QVERIFY2(r.err.contains(c.named), r.err.constData());
      QVERIFY2(!r.err.contains("usage:"), r.err.constData());
      QVERIFY(!fs::exists(out.toStdString()));
    }
    const Run r = run_tool("can-train", {"--out", out, "--bogus"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("--bogus: unknown option"));
    QVERIFY(r.err.contains("usage: can-train"));
  }
};

QTEST_MAIN(TestExportTool)
#include "tst_export_tool.moc"
