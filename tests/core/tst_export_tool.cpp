// The headless tools against a real checkpoint: can-export writes the encoder that the
// checkpoint holds (timm keys, identical values), can-eval prints one JSON line with
// accuracies in [0, 1] and records the same numbers in the run's eval.json, and both exit 1 on a missing or corrupt
// checkpoint and 2 on bad usage. The tools are run as processes from the build tree (skipped if not built).
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <opencv2/imgcodecs.hpp>

#include "core/config/run_config.h"
#include "core/eval/eval_report.h"
#include "core/io/safetensors.h"
#include "core/train/checkpoint.h"
#include "core/train/trainer.h"
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

// can-train's arguments for a tiny model (16 px, T = 16) that trains in a blink.
QStringList tiny_train_args() {
  QStringList a;
  for (const char* kv : {"model.preset=custom", "model.embed_dim=32", "model.depth=1", "model.num_heads=2",
                         "model.decoder_embed_dim=16", "model.decoder_depth=1", "model.decoder_num_heads=2",
                         "model.img_size=16", "model.patch_size=4", "model.proj_dim=8", "train.batch_size=4",
                         "train.threads=1", "data.num_workers=1"})
    a << "--set" << kv;
  return a;
}

std::vector<std::string> lines_of(const QByteArray& text) {
  std::vector<std::string> out;
  for (const QByteArray& l : text.split('\n'))
    if (!l.isEmpty()) out.push_back(l.toStdString());
  return out;
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

  // An exported encoder is scored as its checkpoint: can-eval reads the .safetensors with
  // the architecture beside it and gives the same kNN and linear-probe scores, and a run
  // with model.init_from starts from exactly those weights (same features); a model of
  // another shape is refused naming the tensor.
  void exportedEncoderEvaluatesAndInitialisesAsItsCheckpoint() {
    const std::string enc = dir_ + "/enc.safetensors";
    QVERIFY(fs::exists(enc));  // exportWritesCheckpointEncoder
    const QStringList common = {"--max-train", "50", "--linear-epochs", "5", "--threads", "1", "--seed", "0"};
    Run a = run_tool("can-eval", QStringList{"--checkpoint", QString::fromStdString(ckpt_)} + common);
    Run b = run_tool("can-eval", QStringList{"--checkpoint", QString::fromStdString(enc), "--dataset", "fashion-mnist",
                                             "--data-path", QString::fromStdString(dir_)} +
                                     common);
    QVERIFY2(a.code == 0 && b.code == 0, (a.err + b.err).constData());
    const auto ja = nlohmann::json::parse(a.out.toStdString()), jb = nlohmann::json::parse(b.out.toStdString());
    for (const char* key : {"knn_top1", "linear_top1", "feature_dim", "test_images"})
      QVERIFY2(ja.at(key) == jb.at(key), (std::string(key) + ": " + ja.dump() + " vs " + jb.dump()).c_str());
    QVERIFY(!jb.contains("eval_json"));                    // an exported encoder has no run folder to record in...
    const std::string enc_eval = dir_ + "/enc_eval.json";  // ...unless told where
    Run c = run_tool("can-eval", QStringList{"--checkpoint", QString::fromStdString(enc), "--data-path",
                                             QString::fromStdString(dir_), "--eval-json",
                                             QString::fromStdString(enc_eval), "--knn"} +
                                     common);
    QVERIFY2(c.code == 0, c.err.constData());
    const auto enc_reports = can::eval::read_eval_json(enc_eval);
    QCOMPARE(enc_reports.size(), size_t(1));
    QCOMPARE(enc_reports[0].step, int64_t(-1));
    QVERIFY(enc_reports[0].knn->top1 == ja.at("knn_top1").get<double>());

    can::RunConfig config;
    config.model = can::test::tiny_model_config(1);
    config.model.init_from = enc;
    config.data.dataset = "fashion-mnist";
    config.data.path = dir_;
    config.train.batch_size = 4;
    config.train.threads = 1;
    can::Trainer trainer(config, "");
    torch::NoGradGuard no_grad;
    const auto images = torch::randn({3, 1, 16, 16});
    model_->eval();
    trainer.model()->eval();
    QVERIFY(torch::equal(trainer.model()->features(images), model_->features(images)));

    config.model.embed_dim = 64;  // another width: pos_embed, cls_token, ... differ
    try {
      can::Trainer refused(config, "");
      QFAIL("an encoder of another shape was loaded");
    } catch (const std::exception& e) {
      QVERIFY2(std::string(e.what()).find("shape [1, 1, 32] in the file, [1, 1, 64] in the model") != std::string::npos,
               e.what());
    }
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
    // The report is recorded in the run's eval.json, with the line's numbers.
    const std::string eval_json = dir_ + "/run/eval.json";
    QVERIFY2(j.contains("eval_json"), r.out.constData());
    QCOMPARE(j.at("eval_json").get<std::string>(), eval_json);
    auto reports = can::eval::read_eval_json(eval_json);
    QCOMPARE(reports.size(), size_t(1));
    QCOMPARE(reports[0].step, int64_t(3));
    QVERIFY(reports[0].knn->top1 == j.at("knn_top1").get<double>());
    QVERIFY(reports[0].linear->top1 == j.at("linear_top1").get<double>());
    r = run_tool("can-eval", {"--checkpoint", QString::fromStdString(ckpt_), "--knn", "--max-test", "5"});
    QVERIFY2(r.code == 0, r.err.constData());
    j = nlohmann::json::parse(r.out.toStdString());
    QVERIFY(j.contains("knn_top1") && !j.contains("linear_top1"));
    reports = can::eval::read_eval_json(eval_json);  // the same step and dataset: replaced
    QCOMPARE(reports.size(), size_t(1));
    QVERIFY(reports[0].knn && !reports[0].linear);
    QCOMPARE(reports[0].test_images, int64_t(5));
    const auto before = fs::last_write_time(eval_json);
    r = run_tool("can-eval",
                 {"--checkpoint", QString::fromStdString(ckpt_), "--knn", "--max-test", "4", "--no-record"});
    QVERIFY2(r.code == 0 && !r.out.contains("eval_json"), r.err.constData());
    QVERIFY(fs::last_write_time(eval_json) == before);
    QCOMPARE(run_tool("can-eval", {"--checkpoint", "x", "--no-record", "--eval-json", "y"}).code, 2);
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
    QVERIFY2(r.err.startsWith("can-train: unknown option --bogus\n"), r.err.constData());
    QVERIFY(r.err.contains("usage: can-train"));
  }

  // A folder of 8 good PNGs and 24 bad files (a 0-byte .png, text named .jpg and .webp, a
  // truncated .png, 20 garbage .jpg): one epoch (8 steps of 4) starts at every index once,
  // so every bad file is met. can-train trains, prints each bad file once with its reason
  // (the first 20, then "and 4 more") and the total, prints nothing from the decoders, and
  // writes DIR/skipped_files.txt with exactly the 24 files and their reasons.
  void trainReportsSkippedFiles() {
    if (!QFileInfo::exists(tool("can-train"))) QSKIP("can-train not built");
    const std::string data = dir_ + "/skip_data", out = dir_ + "/skip_run";
    fs::create_directories(data);
    cv::Mat good(16, 16, CV_8UC3);
    for (int i = 0; i < 8; ++i) {
      cv::randu(good, 0, 255);
      cv::imwrite(data + "/good" + std::to_string(i) + ".png", good);
    }
    std::vector<uint8_t> png;
    cv::imencode(".png", good, png);
    png.resize(png.size() / 2);
    std::map<std::string, std::string> bad = {
        {data + "/zero.png", "is a zero-byte file"},
        {data + "/text.jpg", "is not a JPEG, PNG, BMP or WebP file (unknown signature)"},
        {data + "/text.webp", "is not a JPEG, PNG, BMP or WebP file (unknown signature)"},
        {data + "/trunc.png", "truncated PNG: chunk IDAT at byte 33 needs "},
    };
    can_test::write_bytes(data + "/zero.png", {});
    can_test::write_bytes(data + "/text.jpg", {'t', 'e', 'x', 't'});
    can_test::write_bytes(data + "/text.webp", {'h', 'e', 'l', 'l', 'o'});
    can_test::write_bytes(data + "/trunc.png", png);
    for (int i = 0; i < 20; ++i) {
      const std::string f = data + "/junk" + std::to_string(10 + i) + ".jpg";
      can_test::write_bytes(f, {0xFF, 0xD8, 0xFF, 0xE0});  // a JPEG that ends in its first marker
      bad[f] = "truncated JPEG: the file ends at byte 4 inside marker 0xE0";
    }
    const Run r = run_tool("can-train", tiny_train_args() + QStringList{
        "--set", "data.dataset=folder", "--set", QString::fromStdString("data.path=" + data),
        "--set", "train.steps=8", "--out", QString::fromStdString(out)});
    QVERIFY2(r.code == 0, r.err.constData());
    for (const char* noise : {"libpng", "Premature end", "Corrupt JPEG", "imread_", "imdecode_"})
      QVERIFY2(!r.err.contains(noise), r.err.constData());

    // Printed: each file once, its reason as in the list, 20 of them, then the total.
    std::map<std::string, std::string> printed;
    std::string total;
    for (const std::string& line : lines_of(r.err)) {
      const std::string head = "can-train: skipped " + data + "/";
      if (line.rfind(head, 0) == 0) {
        const size_t colon = line.find(": ", head.size());
        QVERIFY2(colon != std::string::npos, line.c_str());
        const std::string file = line.substr(19, colon - 19);
        QVERIFY2(printed.count(file) == 0, ("printed twice: " + line).c_str());
        printed[file] = line.substr(colon + 2);
      } else if (line.rfind("can-train: skipped 24 ", 0) == 0) {
        total = line;
      }
    }
    QCOMPARE(printed.size(), size_t(20));
    const std::string tail = ": 20 listed above and 4 more; every one with its reason in " + out + "/skipped_files.txt";
    QVERIFY2(total.rfind("can-train: skipped 24 unusable files in all (", 0) == 0 &&
                 total.size() > tail.size() && total.compare(total.size() - tail.size(), tail.size(), tail) == 0,
             r.err.constData());

    // The list: exactly the 24 bad files, each with its reason.
    std::ifstream in(out + "/skipped_files.txt");
    std::map<std::string, std::string> listed;
    for (std::string line; std::getline(in, line);) {
      const size_t tab = line.find('\t');
      QVERIFY2(tab != std::string::npos, line.c_str());
      QVERIFY2(listed.count(line.substr(0, tab)) == 0, line.c_str());
      listed[line.substr(0, tab)] = line.substr(tab + 1);
    }
    QCOMPARE(listed.size(), bad.size());
    for (const auto& [file, reason] : bad) {
      QVERIFY2(listed.count(file) == 1, file.c_str());
      QVERIFY2(listed[file].rfind(reason, 0) == 0, (file + ": " + listed[file]).c_str());
    }
    for (const auto& [file, reason] : printed) QCOMPARE(reason, listed.at(file));
  }

  // A folder of only bad files stops before training (exit 2, no run directory) with a
  // message naming the folder and each file's reason; a clean run writes an empty list.
  void trainStopsOnFolderOfBadFiles() {
    if (!QFileInfo::exists(tool("can-train"))) QSKIP("can-train not built");
    const std::string data = dir_ + "/all_bad", out = dir_ + "/all_bad_run";
    fs::create_directories(data);
    can_test::write_bytes(data + "/zero.png", {});
    can_test::write_bytes(data + "/text.jpg", {'t', 'e', 'x', 't'});
    can_test::write_bytes(data + "/trunc.png", {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H'});
    for (const char* channels : {"0", "3"}) {
      const Run r = run_tool("can-train", tiny_train_args() + QStringList{
          "--set", "data.dataset=folder", "--set", QString::fromStdString("data.path=" + data),
          "--set", QString("data.channels=") + channels, "--set", QString("model.in_chans=") + (channels[0] == '0' ? "1" : channels),
          "--out", QString::fromStdString(out)});
      QCOMPARE(r.code, 2);
      const std::string expected = "can-train: " + data + ": none of its 3 image files can be used: text.jpg: is not a JPEG, "
                                   "PNG, BMP or WebP file (unknown signature); trunc.png: truncated PNG: the file ends at "
                                   "byte 14 before its IEND chunk; zero.png: is a zero-byte file\n";
      QCOMPARE(r.err.toStdString(), expected);
      QVERIFY(!fs::exists(out));
    }
    const std::string clean = dir_ + "/clean_run";
    const Run r = run_tool("can-train", tiny_train_args() + QStringList{
        "--set", QString::fromStdString("data.path=" + dir_), "--set", "train.steps=2", "--out", QString::fromStdString(clean)});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY2(!r.err.contains("skipped"), r.err.constData());
    QVERIFY(fs::exists(clean + "/skipped_files.txt"));
    QCOMPARE(fs::file_size(clean + "/skipped_files.txt"), uintmax_t(0));
  }
};

QTEST_MAIN(TestExportTool)
#include "tst_export_tool.moc"
