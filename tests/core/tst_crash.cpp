// can-train itself (CAN_TRAIN_EXE, set by CTest) against crashes and damaged checkpoints
// (issue 11, parts 3 and 6):
// - killsLeaveAResumableRun: SIGKILL at 20 seeded random moments of a run that checkpoints
//   every step; after each kill `latest` names a complete directory, every published
//   step_ directory verifies against its manifest, and the next --resume starts from
//   exactly the step `latest` names; the last resume runs to the end.
// - damagedLatestFallsBack: the checkpoint (two pickle bytes of optimizer.pt
//   changed, zip CRC rewritten) is refused by name when named, passed over with one line
//   when the run directory is resumed; with its manifest rewritten to match, the view
//   past its storage is refused by the checks after parsing. No crash either way.

#include "core/train/checkpoint.h"
#include "tests/core/checkpoint_damage.h"
#include "tests/core/data_fixtures.h"

#include <signal.h>

#include <QtTest/QtTest>

#include <chrono>
#include <filesystem>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace {

// A tiny model (16 px, T = 16) on a 64-image IDX set, checkpoints every step.
QStringList train_args(const std::string& data, int steps) {
  QStringList a;
  for (const char* kv : {"model.preset=custom", "model.embed_dim=32", "model.depth=1", "model.num_heads=2",
                         "model.decoder_embed_dim=16", "model.decoder_depth=1", "model.decoder_num_heads=2",
                         "model.img_size=16", "model.patch_size=4", "model.proj_dim=8", "train.batch_size=4",
                         "train.threads=1", "data.num_workers=1", "data.dataset=fashion-mnist", "train.knn_every=0",
                         "train.checkpoint_every=1", "train.keep_last=3", "train.log_every=100000"})
    a << "--set" << kv;
  a << "--set" << QString::fromStdString("data.path=" + data) << "--set" << QString("train.steps=%1").arg(steps);
  return a;
}

QString exe() { return qEnvironmentVariable("CAN_TRAIN_EXE"); }

// A can-train process whose stderr is collected as it comes.
class Train {
 public:
  explicit Train(const QStringList& args) {
    p_.setProcessChannelMode(QProcess::SeparateChannels);
    p_.start(exe(), args);
  }
  ~Train() {
    if (p_.state() != QProcess::NotRunning) {
      p_.kill();
      p_.waitForFinished(10000);
    }
  }
  // Waits (at most timeout_ms) until stderr holds `needle` `count` times; false when the
  // process ended or the time ran out first.
  bool wait_for(const std::string& needle, int count, int timeout_ms) {
    QElapsedTimer t;
    t.start();
    for (;;) {
      if (occurrences(needle) >= count) return true;
      if (p_.state() == QProcess::NotRunning || t.elapsed() > timeout_ms) return false;
      p_.waitForReadyRead(20);
      err_ += p_.readAllStandardError().toStdString();
    }
  }
  void kill_now() {
    ::kill(static_cast<pid_t>(p_.processId()), SIGKILL);
    p_.waitForFinished(30000);
    err_ += p_.readAllStandardError().toStdString();
  }
  // Waits for the end; the exit code, or -1 for a crash or a timeout.
  int finish(int timeout_ms) {
    const bool done = p_.waitForFinished(timeout_ms);
    err_ += p_.readAllStandardError().toStdString();
    if (!done || p_.exitStatus() != QProcess::NormalExit) return -1;
    return p_.exitCode();
  }
  bool crashed() const { return p_.exitStatus() == QProcess::CrashExit; }
  const std::string& err() const { return err_; }

 private:
  int occurrences(const std::string& needle) const {
    int n = 0;
    for (size_t at = err_.find(needle); at != std::string::npos; at = err_.find(needle, at + 1)) ++n;
    return n;
  }
  QProcess p_;
  std::string err_;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream s(text);
  for (std::string l; std::getline(s, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

std::string fresh(const std::string& name) {
  const std::string dir = qEnvironmentVariable("CAN_TEST_TMP", QDir::tempPath()).toStdString() + "/crash/" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// What a kill left in a checkpoints folder.
struct AfterKill {
  int64_t latest = -1;            // the step `latest` names
  int64_t newest = -1;            // the newest published step_ directory
  std::vector<std::string> leftovers;  // hidden temporaries: .tmp_*, .del_*, .latest.tmp
};

int64_t step_of(const std::string& name) { return std::stoll(name.substr(5)); }

}  // namespace

class TestCrash : public QObject {
  Q_OBJECT
  std::string data_;

 private Q_SLOTS:
  void initTestCase() {
    if (exe().isEmpty() || !QFileInfo::exists(exe())) QSKIP("can-train not built (CAN_TRAIN_EXE)");
    data_ = fresh("data");
    can_test::write_idx_split(data_, "train", 64, 16, 16, false);
  }

  void killsLeaveAResumableRun() {
    constexpr int kKills = 20, kSteps = 200;
    const std::string run = fresh("killed") + "/run";
    const std::string ck = run + "/checkpoints/";
    std::mt19937 rng(20261130);  // the kill moments: seeded, so a failure can be replayed
    // Where the kills landed, from what they left: a temporary checkpoint directory being
    // written (or the old one of a re-saved step), a pointer being replaced, an old
    // checkpoint being deleted, a directory published but not yet pointed to.
    int during_writes = 0, in_temp_dir = 0, in_pointer = 0, in_removal = 0, pointer_behind = 0, resumes_checked = 0;
    int64_t latest = -1;
    for (int k = 0; k < kKills; ++k) {
      QStringList args = train_args(data_, kSteps);
      if (k > 0) args << "--resume" << QString::fromStdString(run);
      args << "--out" << QString::fromStdString(run);
      Train t(args);
      // Two checkpoints written: the interval of one step with its checkpoint.
      QElapsedTimer clock;
      QVERIFY2(t.wait_for("can-train: checkpoint ", 1, 120000), t.err().c_str());
      clock.start();
      QVERIFY2(t.wait_for("can-train: checkpoint ", 2, 120000), t.err().c_str());
      const double period_ms = std::max<qint64>(1, clock.elapsed());
      if (k > 0) {
        const std::string expected = "can-train: resumed from " + ck + "step_" +
                                     QString("%1").arg(latest, 6, 10, QChar('0')).toStdString() + " at step " +
                                     std::to_string(latest);
        QVERIFY2(t.err().find(expected + "\n") != std::string::npos, (expected + "\n--- got:\n" + t.err()).c_str());
        ++resumes_checked;
      }
      // Anywhere within the next four steps: their computation, their checkpoint writes.
      std::uniform_real_distribution<double> delay(0.0, 4.0 * period_ms);
      std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(delay(rng) * 1000)));
      t.kill_now();
      QVERIFY2(t.crashed(), ("the run ended before the kill:\n" + t.err()).c_str());

      AfterKill a;
      for (const auto& e : fs::directory_iterator(ck)) {
        const std::string name = e.path().filename();
        if (name[0] == '.') {
          a.leftovers.push_back(name);
        } else if (name.rfind("step_", 0) == 0) {
          // Every published checkpoint is complete: all files, sizes and checksums.
          bool verified = false;
          try {
            verified = can::verify_checkpoint(e.path().string());
          } catch (const std::exception& ex) {
            QFAIL(("kill " + std::to_string(k + 1) + ": " + ex.what()).c_str());
          }
          QVERIFY2(verified, (e.path().string() + ": published without a manifest").c_str());
          a.newest = std::max(a.newest, step_of(name));
        }
      }
      // `latest` names a complete checkpoint, and resume takes it.
      std::string pointer = can::test::read_file(ck + "latest");
      pointer.erase(pointer.find_last_not_of("\n") + 1);
      QVERIFY2(fs::is_directory(ck + pointer), ("latest names a missing directory: " + pointer).c_str());
      QVERIFY(can::verify_checkpoint(ck + pointer));
      a.latest = step_of(pointer);
      const can::CheckpointChoice choice = can::choose_checkpoint(run);
      QCOMPARE(QString::fromStdString(choice.dir), QString::fromStdString(ck + pointer));
      QVERIFY(choice.notes.empty());
      QVERIFY(a.latest >= latest);  // no progress lost
      latest = a.latest;
      // Landed in a checkpoint write: a hidden temporary left, or a directory published
      // whose pointer was not moved yet.
      if (!a.leftovers.empty() || a.newest > a.latest) ++during_writes;
      for (const std::string& name : a.leftovers) {
        in_temp_dir += name.rfind(".tmp_", 0) == 0;
        in_pointer += name == ".latest.tmp";
        in_removal += name.rfind(".del_", 0) == 0;
      }
      if (a.newest > a.latest) ++pointer_behind;
    }
    // The last resume runs to the end.
    Train t(train_args(data_, kSteps) << "--resume" << QString::fromStdString(run) << "--out"
                                      << QString::fromStdString(run));
    QCOMPARE(t.finish(300000), 0);
    const std::string expected = "can-train: resumed from " + ck + "step_" +
                                 QString("%1").arg(latest, 6, 10, QChar('0')).toStdString() + " at step " +
                                 std::to_string(latest) + "\n";
    QVERIFY2(t.err().find(expected) != std::string::npos, t.err().c_str());
    QCOMPARE(QString::fromStdString(can::choose_checkpoint(run).dir), QString::fromStdString(ck + "step_000200"));
    for (const auto& e : fs::directory_iterator(ck)) QVERIFY2(e.path().filename().string()[0] != '.', e.path().c_str());
    const auto metrics = lines_of(can::test::read_file(run + "/metrics.jsonl"));
    QVERIFY(!metrics.empty());
    QCOMPARE(nlohmann::json::parse(metrics.back())["step"].get<int>(), kSteps);

    qInfo("%d kills: %d landed in a checkpoint write (%d in its temporary directory, %d replacing latest, %d deleting "
          "an old checkpoint, %d between publishing a directory and moving latest); %d resumes started at the step "
          "latest named, and the last ran to step %d",
          kKills, during_writes, in_temp_dir, in_pointer, in_removal, pointer_behind, resumes_checked + 1, kSteps);
    // With a checkpoint every step most of the run is checkpoint writing; fewer than 3
    // would make this test say little about writes.
    QVERIFY2(during_writes >= 3, "too few kills landed in checkpoint writes");
  }

  void damagedLatestFallsBack() {
    const std::string run = fresh("damaged") + "/run";
    const std::string ck = run + "/checkpoints/";
    {
      Train t(train_args(data_, 3) << "--out" << QString::fromStdString(run));
      QCOMPARE(t.finish(120000), 0);
    }
    can::test::shift_storage_offsets(ck + "step_000003/optimizer.pt", "exp_avg", "exp_avg_sq", 200);
    const std::string problem = ck + "step_000003/optimizer.pt: checksum mismatch (file damaged?)";

    // Named: refused (exit 1), one line naming the file.
    {
      Train t(train_args(data_, 5) << "--resume" << QString::fromStdString(ck + "step_000003") << "--out"
                                   << QString::fromStdString(run));
      QCOMPARE(t.finish(120000), 1);
      QCOMPARE(QString::fromStdString(t.err()),
               QString::fromStdString("can-train: " + problem +
                                      "; resume the run directory instead to fall back to the previous checkpoint\n"));
    }
    // Checksums rewritten to match (a file "written by someone else"): the view past its
    // storage is refused after parsing, naming file and tensor; the process does not crash.
    const std::string copy = fresh("hostile") + "/step_000003";
    fs::copy(ck + "step_000003", copy);
    can::test::rewrite_manifest(copy);
    {
      Train t(train_args(data_, 5) << "--resume" << QString::fromStdString(copy) << "--out"
                                   << QString::fromStdString(fresh("hostile_out")));
      QCOMPARE(t.finish(120000), 1);
      const std::regex expected("can-train: " + copy + "/optimizer\\.pt: exp_avg of [a-z0-9_.]+: lies outside its storage "
                                "\\(offset 200 \\+ [0-9]+ elements of 4 bytes > [0-9]+ bytes\\)\n");
      QVERIFY2(std::regex_match(t.err(), expected), t.err().c_str());
    }
    // The run directory: one line naming both checkpoints, then the run reaches its end.
    {
      Train t(train_args(data_, 5) << "--resume" << QString::fromStdString(run) << "--out" << QString::fromStdString(run));
      QCOMPARE(t.finish(120000), 0);
      int fallback_lines = 0;
      for (const std::string& l : lines_of(t.err()))
        if (l.find("checksum mismatch") != std::string::npos) ++fallback_lines;
      QCOMPARE(fallback_lines, 1);
      const std::string note = "can-train: " + problem + "; resuming from the previous complete checkpoint " + ck +
                               "step_000002 instead\n";
      QVERIFY2(t.err().find(note) != std::string::npos, t.err().c_str());
      QVERIFY2(t.err().find("can-train: resumed from " + ck + "step_000002 at step 2\n") != std::string::npos,
               t.err().c_str());
      QCOMPARE(QString::fromStdString(can::resolve_checkpoint(run)), QString::fromStdString(ck + "step_000005"));
      QVERIFY(can::verify_checkpoint(ck + "step_000005"));
      QVERIFY(can::verify_checkpoint(ck + "step_000003"));  // re-written whole at step 3
    }
  }
};

QTEST_MAIN(TestCrash)
#include "tst_crash.moc"
