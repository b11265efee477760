// Sweeps (core/experiments/sweep, app/can_sweep.cpp): the grid's expansion and its refusal
// of bad grids naming the key, a run folder's status, the summary over seeds, and the
// can-sweep tool on a 2x2 grid of tiny runs, killed and run again.
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "core/experiments/sweep.h"
#include "data_fixtures.h"

namespace fs = std::filesystem;
using namespace can;

namespace {

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

std::string tmp_dir(const std::string& name) {
  const char* env = std::getenv("CAN_TEST_TMP");
  const fs::path dir = fs::path((env && *env) ? env : fs::temp_directory_path().string()) / ("sweep_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

}  // namespace

class TestSweep : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void gridExpandsInOrderWithSeedsLast() {
    const RunConfig base;
    const auto points = sweep::expand(
        base, {sweep::parse_axis("loss.sigma_max=0.05,0.25"), sweep::parse_axis("model.patch_size=2,4")}, {0, 1});
    QCOMPARE(points.size(), size_t(8));  // 2 x 2 x 2 seeds
    // The first axis varies slowest, the seed fastest: point 5 = (0.25, 2, seed 1).
    const sweep::Point& p = points[5];
    QCOMPARE(p.name, std::string("loss.sigma_max=0.25_model.patch_size=2_train.seed=1"));
    QCOMPARE(p.config.loss.sigma_max, 0.25);
    QCOMPARE(p.config.model.patch_size, int64_t{2});
    QCOMPARE(p.config.train.seed, uint64_t{1});
    QCOMPARE(p.config.loss.tau, base.loss.tau);  // the rest is the base's
    QCOMPARE(points[0].name, std::string("loss.sigma_max=0.05_model.patch_size=2_train.seed=0"));
    // A list value in brackets is one value.
    const auto betas = sweep::parse_axis("train.betas=[0.9,0.95],[0.9,0.999]");
    QCOMPARE(betas.values.size(), size_t(2));
    QCOMPARE(sweep::expand(base, {betas}, {})[1].config.train.betas[1], 0.999);
  }

  void badGridsAreRefusedNamingTheKey() {
    const RunConfig base;
    auto refused = [&](const std::vector<std::string>& axes, std::vector<uint64_t> seeds = {}) {
      return error_of([&] {
        std::vector<sweep::GridAxis> parsed;
        for (const auto& a : axes) parsed.push_back(sweep::parse_axis(a));
        sweep::expand(base, parsed, seeds);
      });
    };
    QCOMPARE(refused({"loss.tua=1,2"}), std::string("loss.tua: unknown key (did you mean loss.tau?)"));
    QCOMPARE(refused({"loss.tau=0.1,0"}), std::string("loss.tau: must be > 0, got 0"));
    QCOMPARE(refused({"loss.tau=0.1,,0.2"}).substr(0, 23), std::string("loss.tau: an empty valu"));
    QCOMPARE(refused({"loss.tau=0.1", "loss.tau=0.2"}), std::string("loss.tau: given twice in the grid"));
    QVERIFY(refused({}).find("the grid is empty") == 0);
    QCOMPARE(refused({"model.patch_size=5"}).substr(0, 17), std::string("model.patch_size:"));  // 28 % 5
    QVERIFY(refused({"noequals"}).find("expected key=value") != std::string::npos);
  }

  // Built by hand: the status each kind of folder must give.
  void runStatusFromTheFolder() {
    const fs::path root = tmp_dir("status");
    QCOMPARE(int(sweep::run_status((root / "none").string())), int(sweep::RunStatus::kNotStarted));
    write(root / "fresh" / "metrics.jsonl", "");
    QCOMPARE(int(sweep::run_status((root / "fresh").string())), int(sweep::RunStatus::kNotStarted));
    write(root / "killed" / "events.jsonl", "{\"type\":\"run_started\"}\n{\"type\":\"run_end");  // cut line
    write(root / "killed" / "checkpoints" / "step_2" / "manifest.json", "{}");
    QCOMPARE(int(sweep::run_status((root / "killed").string())), int(sweep::RunStatus::kInterrupted));
    write(root / "done" / "events.jsonl",
          "{\"type\":\"run_ended\",\"step\":3,\"status\":\"stopped\"}\n"
          "{\"type\":\"run_ended\",\"step\":5,\"status\":\"finished\"}\n");
    QCOMPARE(int(sweep::run_status((root / "done").string())), int(sweep::RunStatus::kFinished));
    write(root / "bad" / "events.jsonl", "{\"type\":\"run_ended\",\"step\":1,\"status\":\"failed\"}\n");
    QCOMPARE(int(sweep::run_status((root / "bad").string())), int(sweep::RunStatus::kFailed));
  }

  // Mean and sample standard deviation over seeds, computed by hand: {1, 3} -> 2 ± 1.4.
  void summaryAveragesOverSeeds() {
    const std::vector<sweep::Row> rows = {
        {"a0", {{"loss.sigma_max", "0.05"}, {"train.seed", "0"}}, {{"loss", 1.0}}},
        {"a1", {{"loss.sigma_max", "0.05"}, {"train.seed", "1"}}, {{"loss", 3.0}}},
        {"b0", {{"loss.sigma_max", "0.25"}, {"train.seed", "0"}}, {{"loss", 0.5}}},
    };
    const std::string md = sweep::summary_markdown(rows);
    QVERIFY2(md.find("| loss.sigma_max | seeds | loss |") == 0, md.c_str());
    QVERIFY2(md.find("| 0.05 | 2 | 2 ± 1.4 |") != std::string::npos, md.c_str());
    QVERIFY2(md.find("| 0.25 | 1 | 0.5 |") != std::string::npos, md.c_str());
  }

  // can-sweep on a 2x2 grid (sigma_max x seed) of tiny runs: killed while the second run
  // trains, then run again, it skips the finished run, resumes the interrupted one from its
  // checkpoint and finishes the rest; sweep.jsonl and summary.md hold every run.
  void sweepResumesAfterKill() {
    const QString exe = QStringLiteral(QT_TESTCASE_BUILDDIR "/../app/can-sweep");
    if (!QFileInfo::exists(exe)) QSKIP("can-sweep not built");
    const fs::path root = tmp_dir("tool");
    const std::string data = (root / "data").string();
    fs::create_directories(data);
    can_test::write_idx_split(data, "train", 40, 16, 16, false);
    can_test::write_idx_split(data, "t10k", 10, 16, 16, false);
    QStringList args = {"--grid",  "loss.sigma_max=0.05,0.25",
                        "--seeds", "0,1",
                        "--out",   QString::fromStdString((root / "out").string())};
    for (const char* kv :
         {"model.preset=custom", "model.embed_dim=32", "model.depth=1", "model.num_heads=2",
          "model.decoder_embed_dim=16", "model.decoder_depth=1", "model.decoder_num_heads=2", "model.img_size=16",
          "model.patch_size=4", "model.proj_dim=8", "train.batch_size=4", "train.threads=1", "data.num_workers=0",
          "train.steps=60", "train.checkpoint_every=1", "train.keep_last=2"})
      args << "--set" << kv;
    args << "--set" << QString::fromStdString("data.path=" + data);
    const fs::path first = root / "out" / "loss.sigma_max=0.05_train.seed=0";
    const fs::path second = root / "out" / "loss.sigma_max=0.05_train.seed=1";

    QProcess sweep1;
    sweep1.start(exe, args);
    QVERIFY(sweep1.waitForStarted());
    QElapsedTimer t;
    t.start();
    // Killed once the second run has written a checkpoint (any: keep_last deletes old ones).
    auto has_checkpoint = [&] {
      std::error_code ec;
      return fs::is_directory(second / "checkpoints", ec) && !fs::is_empty(second / "checkpoints", ec);
    };
    while (!has_checkpoint() && sweep1.state() == QProcess::Running && t.elapsed() < 120000) QTest::qWait(10);
    QVERIFY2(has_checkpoint() && sweep1.state() == QProcess::Running && sweep1.processId() > 0,
             "the sweep ended before its second run wrote a checkpoint");
    ::kill(static_cast<pid_t>(sweep1.processId()), SIGKILL);
    QVERIFY(sweep1.waitForFinished());
    QCOMPARE(int(sweep::run_status(first.string())), int(sweep::RunStatus::kFinished));
    // The run got SIGTERM with the sweep's death: it saves and stops.
    t.restart();
    while (sweep::run_status(second.string()) == sweep::RunStatus::kNotStarted && t.elapsed() < 30000) QTest::qWait(20);
    QTest::qWait(500);
    QCOMPARE(int(sweep::run_status(second.string())), int(sweep::RunStatus::kInterrupted));
    const auto first_written = fs::last_write_time(first / "metrics.jsonl");

    QProcess sweep2;
    sweep2.start(exe, args);
    QVERIFY(sweep2.waitForFinished(300000));
    const QString out = sweep2.readAllStandardOutput();
    QVERIFY2(sweep2.exitCode() == 0, qPrintable(out + sweep2.readAllStandardError()));
    QVERIFY2(out.contains("skip loss.sigma_max=0.05_train.seed=0 (finished)"), qPrintable(out));
    QVERIFY2(out.contains("resume loss.sigma_max=0.05_train.seed=1"), qPrintable(out));
    QVERIFY2(out.contains("start loss.sigma_max=0.25_train.seed=1"), qPrintable(out));
    QVERIFY(fs::last_write_time(first / "metrics.jsonl") == first_written);  // not run again
    QCOMPARE(int(sweep::final_losses(second.string()).at("step")), 60);
    std::ifstream jsonl(root / "out" / "sweep.jsonl");
    int rows = 0;
    for (std::string line; std::getline(jsonl, line);) {
      const auto j = nlohmann::json::parse(line);
      QVERIFY(j.at("values").contains("loss_denoise"));
      ++rows;
    }
    QCOMPARE(rows, 4);
    std::ifstream summary(root / "out" / "summary.md");
    const std::string md((std::istreambuf_iterator<char>(summary)), std::istreambuf_iterator<char>());
    QVERIFY2(md.find("| 0.05 | 2 |") != std::string::npos && md.find("| 0.25 | 2 |") != std::string::npos, md.c_str());
  }
};

QTEST_MAIN(TestSweep)
#include "tst_sweep.moc"
