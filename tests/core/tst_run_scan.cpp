// The runs browser's engine (core/experiments/run_scan, run_lock, run_notes): synthetic run
// folders of every state, a live and a stale run.lock, damaged metrics and events lines,
// eval.json's latest evaluation, notes, deleting a run, and a real can-train run scanned.
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/experiments/run_lock.h"
#include "core/experiments/run_notes.h"
#include "core/experiments/run_scan.h"
#include "data_fixtures.h"

namespace fs = std::filesystem;
using namespace can::runs;
using nlohmann::json;

namespace {

fs::path tmp_dir(const std::string& name) {
  const char* env = std::getenv("CAN_TEST_TMP");
  const fs::path dir = fs::path((env && *env) ? env : fs::temp_directory_path().string()) / ("run_scan_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Step i's loss: 1/i, so that the last line's value is known without reading the file.
std::string metrics_line(int64_t step, const json& extra = json::object()) {
  json j = {{"step", step},
            {"epoch", step / 10.0},
            {"loss", 1.0 / step},
            {"loss_infonce", 0.5 / step},
            {"loss_rec", 0.25 / step},
            {"loss_denoise", 0.125 / step},
            {"lr", 1e-4},
            {"img_per_s", 900.0}};
  j.update(extra);
  return j.dump();
}

std::string metrics(int64_t steps) {
  std::string text;
  for (int64_t s = 1; s <= steps; ++s) text += metrics_line(s) + "\n";
  return text;
}

std::string started_event(int64_t unix_time, int64_t step, int64_t total) {
  return json{{"type", "run_started"},  {"step", step}, {"total_steps", total},
              {"unix_time", unix_time}, {"time", "x"},  {"mode", "can"}}
             .dump() +
         "\n";
}

std::string ended_event(int64_t step, const std::string& status) {
  return json{{"type", "run_ended"}, {"step", step}, {"status", status}}.dump() + "\n";
}

// A run folder: config.json, events.jsonl and metrics.jsonl of `steps` steps.
fs::path make_run(const fs::path& root, const std::string& name, const std::string& events, int64_t steps,
                  int64_t config_steps = 0) {
  const fs::path dir = root / name;
  write(dir / "config.json", json{{"objectives", {{"mode", "mae"}}},
                                  {"data", {{"dataset", "fashion-mnist"}}},
                                  {"train", {{"steps", config_steps}, {"knn_every", 0}}}}
                                 .dump(2));
  write(dir / "events.jsonl", events);
  if (steps > 0) write(dir / "metrics.jsonl", metrics(steps));
  return dir;
}

void write_lock(const fs::path& dir, int64_t pid) {
  write(dir / "run.lock", json{{"pid", pid}, {"host", this_host()}, {"started", 1}}.dump());
}

// A pid that was alive a moment ago and is not now: a child that has exited and been reaped.
int64_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

bool has(const std::vector<std::string>& problems, const std::string& text) {
  return std::find(problems.begin(), problems.end(), text) != problems.end();
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "; ";
  return s;
}

template <class F>
std::string error_of(F&& fn) {
  try {
    fn();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

class TestRunScan : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void endedRunsGiveTheirStatusStepsAndLosses() {
    const fs::path root = tmp_dir("ended");
    const fs::path dir = make_run(root, "done", started_event(1000, 0, 40) + ended_event(40, "finished"), 40);
    const RunSummary s = scan_run(dir.string());
    QCOMPARE(s.name, std::string("done"));
    QCOMPARE(s.path, fs::absolute(dir).lexically_normal().string());
    QCOMPARE(s.state, RunState::kFinished);
    QCOMPARE(std::string(state_name(s.state)), std::string("finished"));
    QCOMPARE(s.started, int64_t{1000});
    QCOMPARE(s.mode, std::string("mae"));
    QCOMPARE(s.dataset, std::string("fashion-mnist"));
    QCOMPARE(s.steps_done, int64_t{40});
    QCOMPARE(s.total_steps, int64_t{40});
    QCOMPARE(s.final_values.size(), size_t(4));
    QCOMPARE(s.final_values.at("loss"), 1.0 / 40);
    QCOMPARE(s.final_values.at("loss_denoise"), 0.125 / 40);
    QVERIFY(!s.knn_top1 && !s.linear_top1 && !s.has_checkpoint);
    QVERIFY2(s.problems.empty(), joined(s.problems).c_str());

    QCOMPARE(scan_run(make_run(root, "stopped", ended_event(7, "stopped"), 7).string()).state, RunState::kStopped);
    QCOMPARE(scan_run(make_run(root, "failed", ended_event(3, "failed"), 3).string()).state, RunState::kFailed);
    // Stopped, then resumed (a new run_started) and killed: the old run_ended no longer counts.
    const fs::path resumed =
        make_run(root, "resumed", started_event(5, 0, 90) + ended_event(7, "stopped") + started_event(9, 7, 90), 12);
    write(resumed / "checkpoints" / "step_000007" / "manifest.json", "{}");
    const RunSummary r = scan_run(resumed.string());
    QCOMPARE(r.state, RunState::kInterrupted);
    QCOMPARE(r.started, int64_t{5});  // the first start
    QVERIFY(r.has_checkpoint);
  }

  void interruptedAndEmpty() {
    const fs::path root = tmp_dir("interrupted");
    // Killed: a checkpoint, no run_ended; total from config.json's train.steps (no run_started).
    const fs::path killed = make_run(root, "killed", "", 30, 500);
    write(killed / "checkpoints" / "step_000020" / "manifest.json", "{}");
    RunSummary s = scan_run(killed.string());
    QCOMPARE(s.state, RunState::kInterrupted);
    QCOMPARE(s.total_steps, int64_t{500});
    QCOMPARE(s.steps_done, int64_t{30});
    // Metrics but no checkpoint: interrupted too (killed before its first checkpoint).
    QCOMPARE(scan_run(make_run(root, "early", "", 2).string()).state, RunState::kInterrupted);
    // Only a config: empty, no steps, no values, no problem.
    s = scan_run(make_run(root, "fresh", "", 0).string());
    QCOMPARE(s.state, RunState::kEmpty);
    QCOMPARE(s.steps_done, int64_t{0});
    QVERIFY(s.final_values.empty());
    QVERIFY2(s.problems.empty(), joined(s.problems).c_str());
    // started falls back to config.json's mtime.
    struct stat st {};
    QCOMPARE(::stat((root / "fresh" / "config.json").c_str(), &st), 0);
    QCOMPARE(s.started, int64_t(st.st_mtime));
  }

  // A lock whose pid is alive (this process) says running; a stale one (a pid that has
  // exited) does not, and the folder's other files decide.
  void liveAndStaleLocks() {
    const fs::path root = tmp_dir("locks");
    const fs::path live = make_run(root, "live", started_event(1, 0, 100), 10);
    write_lock(live, ::getpid());
    QCOMPARE(scan_run(live.string()).state, RunState::kRunning);
    QVERIFY(run_is_locked(live.string()));
    const fs::path stale = make_run(root, "stale", started_event(1, 0, 100), 10);
    write_lock(stale, dead_pid());
    QCOMPARE(scan_run(stale.string()).state, RunState::kInterrupted);
    QVERIFY(!run_is_locked(stale.string()));
    // A run_ended after the last start wins over a lock not yet removed.
    const fs::path ending = make_run(root, "ending", started_event(1, 0, 10) + ended_event(10, "finished"), 10);
    write_lock(ending, ::getpid());
    QCOMPARE(scan_run(ending.string()).state, RunState::kFinished);
    // A corrupt lock: a problem naming it, not running.
    const fs::path junk = make_run(root, "junk", "", 3);
    write(junk / "run.lock", "{\"pi");
    const RunSummary j = scan_run(junk.string());
    QCOMPARE(j.state, RunState::kInterrupted);
    QVERIFY2(j.problems.size() == 1 && j.problems[0].find("run.lock: ") != std::string::npos,
             joined(j.problems).c_str());
    // RunLock: written with this pid and host while it lives, removed after.
    const fs::path owned = make_run(root, "owned", "", 0);
    {
      RunLock lock(owned.string());
      const auto info = read_run_lock(owned.string());
      QVERIFY(info.has_value());
      QCOMPARE(info->pid, int64_t{::getpid()});
      QCOMPARE(info->host, this_host());
      QVERIFY(std::abs(info->started - int64_t(std::time(nullptr))) < 60);
      QCOMPARE(scan_run(owned.string()).state, RunState::kRunning);
    }
    QVERIFY(!fs::exists(owned / "run.lock"));
    QCOMPARE(scan_run(owned.string()).state, RunState::kEmpty);
  }

  // A line that does not parse at the end of metrics.jsonl: the last good line is used and
  // the bad one named by its number. Likewise a cut events line.
  void damagedLinesAreReportedNotFatal() {
    const fs::path root = tmp_dir("damaged");
    const fs::path corrupt = make_run(root, "corrupt", ended_event(10, "finished"), 10);
    write(corrupt / "metrics.jsonl", metrics(10) + "{\"step\": 11, oops}\n");
    RunSummary s = scan_run(corrupt.string());
    QCOMPARE(s.steps_done, int64_t{10});
    QCOMPARE(s.final_values.at("loss"), 1.0 / 10);
    QVERIFY2(s.problems == std::vector<std::string>{"metrics.jsonl: line 11 is not JSON"}, joined(s.problems).c_str());

    const fs::path cut = make_run(root, "cut", started_event(1, 0, 20) + "{\"type\":\"run_end", 0);
    write(cut / "metrics.jsonl", metrics(12) + metrics_line(13).substr(0, 25));
    s = scan_run(cut.string());
    QCOMPARE(s.steps_done, int64_t{12});
    QCOMPARE(s.final_values.at("loss_rec"), 0.25 / 12);
    QCOMPARE(s.state, RunState::kInterrupted);
    QVERIFY2(has(s.problems, "metrics.jsonl: line 13 is cut (no newline)"), joined(s.problems).c_str());
    QVERIFY2(has(s.problems, "events.jsonl: line 2 is cut"), joined(s.problems).c_str());
    QCOMPARE(s.problems.size(), size_t(2));

    // A last line without its newline that parses is a complete line (a file written by hand).
    const fs::path hand = make_run(root, "hand", "", 0);
    write(hand / "metrics.jsonl", metrics(3) + metrics_line(4));
    s = scan_run(hand.string());
    QCOMPARE(s.steps_done, int64_t{4});
    QVERIFY(s.problems.empty());
    // Not JSON at all, and a config that is not JSON: problems, no exception.
    const fs::path junk = make_run(root, "junk", "", 0);
    write(junk / "metrics.jsonl", "garbage\n");
    write(junk / "config.json", "{");
    s = scan_run(junk.string());
    QCOMPARE(s.state, RunState::kEmpty);
    QVERIFY2(has(s.problems, "metrics.jsonl: line 1 is not JSON"), joined(s.problems).c_str());
    QVERIFY2(s.problems.size() == 2 && s.problems[0].rfind("config.json: ", 0) == 0, joined(s.problems).c_str());
  }

  // A long file (the tail read in growing windows): the last step, and the last numeric
  // knn_top1 hundreds of lines back (a later null one skipped).
  void longMetricsAndTheLastKnn() {
    const fs::path root = tmp_dir("long");
    const fs::path dir = make_run(root, "long", started_event(1, 0, 3000), 0);
    write(dir / "config.json", json{{"train", {{"knn_every", 1000}}}}.dump());
    std::string text;
    for (int64_t s = 1; s <= 3000; ++s) {
      json extra = json::object();
      if (s == 1000) extra["knn_top1"] = 0.1;
      if (s == 2000) extra["knn_top1"] = 0.2;
      if (s == 2500) extra["knn_top1"] = nullptr;  // non-finite, as nlohmann writes it
      text += metrics_line(s, extra) + "\n";
    }
    write(dir / "metrics.jsonl", text);
    QVERIFY(text.size() - text.find("\"knn_top1\":0.2") > 100000);  // beyond the first windows
    const RunSummary s = scan_run(dir.string());
    QCOMPARE(s.steps_done, int64_t{3000});
    QCOMPARE(s.final_values.at("loss"), 1.0 / 3000);
    QVERIFY(s.knn_top1.has_value());
    QCOMPARE(*s.knn_top1, 0.2);
    QVERIFY2(s.problems.empty(), joined(s.problems).c_str());
  }

  // eval.json's latest step (several reports, one of another dataset) wins over the kNN
  // monitor; a protocol absent there stays absent.
  void evalJsonLatestStep() {
    const fs::path root = tmp_dir("eval");
    const fs::path dir = make_run(root, "evaluated", ended_event(200, "finished"), 0);
    write(dir / "config.json", json{{"data", {{"dataset", "fashion-mnist"}}}, {"train", {{"knn_every", 50}}}}.dump());
    write(dir / "metrics.jsonl", metrics_line(200, {{"knn_top1", 0.3}}) + "\n");
    auto report = [](int64_t step, const std::string& dataset, std::optional<double> knn, std::optional<double> lin) {
      json r = {{"checkpoint", "x"}, {"step", step}, {"dataset", dataset}, {"class_names", {"a", "b"}}};
      if (knn) r["knn"] = {{"top1", *knn}, {"k", 20}, {"per_class_top1", {0.5, 0.5}}, {"confusion", {{1, 0}, {0, 1}}}};
      if (lin) r["linear"] = {{"top1", *lin}, {"confusion", {{1, 0}, {0, 1}}}};
      return r;
    };
    write(dir / "eval.json", json{{"format", 1},
                                  {"evaluations",
                                   {report(100, "fashion-mnist", 0.5, 0.6), report(200, "fashion-mnist", 0.7, {}),
                                    report(200, "cifar10", 0.1, 0.2)}}}
                                 .dump());
    RunSummary s = scan_run(dir.string());
    QVERIFY(s.knn_top1 && !s.linear_top1);
    QCOMPARE(*s.knn_top1, 0.7);
    // Without eval.json: the kNN monitor's last value.
    fs::remove(dir / "eval.json");
    s = scan_run(dir.string());
    QVERIFY(s.knn_top1 && !s.linear_top1);
    QCOMPARE(*s.knn_top1, 0.3);
    write(dir / "eval.json", "[1, 2");
    s = scan_run(dir.string());
    QVERIFY2(s.problems.size() == 1 && s.problems[0].rfind("eval.json: ", 0) == 0, joined(s.problems).c_str());
  }

  void notesRoundTripTrimmed() {
    const fs::path dir = make_run(tmp_dir("notes"), "noted", "", 0);
    QVERIFY(read_run_notes(dir.string()).tags.empty());
    write_run_notes(dir.string(), {{"  baseline ", "sigma", "baseline", "", " \t", "sigma"}, "first try\nσ 0.25"});
    const RunNotes n = read_run_notes(dir.string());
    QCOMPARE(n.tags, (std::vector<std::string>{"baseline", "sigma"}));
    QCOMPARE(n.note, std::string("first try\nσ 0.25"));
    const RunSummary s = scan_run(dir.string());
    QCOMPARE(s.tags, n.tags);
    QCOMPARE(s.note, n.note);
    write(dir / "notes.json", "{\"tags\": \"x\"}");
    const std::string e = error_of([&] { read_run_notes(dir.string()); });
    QVERIFY2(e.find((dir / "notes.json").string()) == 0 && e.find("\"tags\" is not a list") != std::string::npos,
             e.c_str());
    QVERIFY(has(scan_run(dir.string()).problems, e));
  }

  void removeRunRefusesWhatIsNotAStoppedRun() {
    const fs::path root = tmp_dir("remove");
    const fs::path other = root / "photos";
    write(other / "cat.jpg", "x");
    std::string e = error_of([&] { remove_run(other.string()); });
    QVERIFY2(e.rfind(other.string() + ": not a run folder", 0) == 0, e.c_str());
    QVERIFY(fs::exists(other / "cat.jpg"));
    const fs::path running = make_run(root, "running", "", 5);
    write_lock(running, ::getpid());
    e = error_of([&] { remove_run(running.string()); });
    QVERIFY2(e.rfind(running.string() + ": the run is running", 0) == 0, e.c_str());
    QVERIFY(fs::exists(running / "metrics.jsonl"));
    write_lock(running, dead_pid());
    remove_run(running.string());
    QVERIFY(!fs::exists(running));
  }

  // Every run folder directly under the root, newest first; other folders and files ignored.
  void scanRunsSortsNewestFirst() {
    const fs::path root = tmp_dir("root");
    make_run(root, "b", started_event(300, 0, 10), 1);
    make_run(root, "a", started_event(100, 0, 10), 1);
    make_run(root, "c", started_event(200, 0, 10), 1);
    write(root / "not_a_run" / "readme.txt", "x");
    write(root / "config.json", "{}");  // a file, not a folder
    const auto runs = scan_runs(root.string());
    QCOMPARE(runs.size(), size_t(3));
    QCOMPARE(runs[0].name + runs[1].name + runs[2].name, std::string("bca"));
    QVERIFY(scan_runs((root / "missing").string()).empty());
  }

  // A real can-train run: finished, its steps and total right, run_started written, no lock left.
  void realRunScannedAsFinished() {
    const QString exe = QStringLiteral(QT_TESTCASE_BUILDDIR "/../app/can-train");
    if (!QFileInfo::exists(exe)) QSKIP("can-train not built");
    const fs::path root = tmp_dir("real");
    const std::string data = (root / "data").string();
    fs::create_directories(data);
    can_test::write_idx_split(data, "train", 40, 16, 16, false);
    can_test::write_idx_split(data, "t10k", 10, 16, 16, false);
    QStringList args = {"--out", QString::fromStdString((root / "runs" / "tiny").string())};
    for (const char* kv : {"model.preset=custom", "model.embed_dim=32", "model.depth=1", "model.num_heads=2",
                           "model.decoder_embed_dim=16", "model.decoder_depth=1", "model.decoder_num_heads=2",
                           "model.img_size=16", "model.patch_size=4", "model.proj_dim=8", "train.batch_size=4",
                           "train.threads=1", "data.num_workers=0", "train.steps=6"})
      args << "--set" << kv;
    args << "--set" << QString::fromStdString("data.path=" + data);
    QProcess p;
    p.start(exe, args);
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const auto runs = scan_runs((root / "runs").string());
    QCOMPARE(runs.size(), size_t(1));
    const RunSummary& s = runs[0];
    QCOMPARE(s.state, RunState::kFinished);
    QCOMPARE(s.steps_done, int64_t{6});
    QCOMPARE(s.total_steps, int64_t{6});
    QCOMPARE(s.mode, std::string("can"));
    QVERIFY(std::abs(s.started - int64_t(std::time(nullptr))) < 300);
    QVERIFY(s.has_checkpoint);
    QVERIFY(!fs::exists(root / "runs" / "tiny" / "run.lock"));
    // The total came from the run_started event can-train wrote (config.json says it too).
    std::ifstream events(root / "runs" / "tiny" / "events.jsonl");
    std::string first;
    std::getline(events, first);
    const json started = json::parse(first);
    QCOMPARE(started.at("type").get<std::string>(), std::string("run_started"));
    QCOMPARE(started.at("total_steps").get<int64_t>(), int64_t{6});
    QCOMPARE(started.at("step").get<int64_t>(), int64_t{0});
    QCOMPARE(started.at("unix_time").get<int64_t>(), s.started);
    QCOMPARE(started.at("time").get<std::string>().size(), size_t(20));  // 2026-12-01T03:10:00Z
    QVERIFY2(s.problems.empty(), joined(s.problems).c_str());
  }
};

QTEST_MAIN(TestRunScan)
#include "tst_run_scan.moc"
