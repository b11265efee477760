// The evaluation report and RUN/eval.json (docs/evaluation.md "eval.json"): scores from
// predictions against a hand-worked confusion matrix, a report's round trip through the
// file, record_evaluation's replace-or-insert order, and errors naming the file and field.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

#include "core/eval/eval_report.h"
#include "core/train/checkpoint_info.h"

using can::eval::EvalReport;
using can::eval::ProtocolScores;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// A report with every field away from its default, 3 classes.
EvalReport full_report(int64_t step, const std::string& dataset = "fashion-mnist", double knn_top1 = 0.5) {
  EvalReport r;
  r.checkpoint = "runs/a/checkpoints/step_" + std::to_string(step);
  r.step = step;
  r.dataset = dataset;
  r.class_names = {"T-shirt/top", "Trouser", "Pullover"};
  r.num_classes = 3;
  r.train_images = 600;
  r.test_images = 6;
  r.feature_dim = 192;
  r.device = "cuda:0";
  r.seconds = 12.345678901234567;
  r.time = "2026-12-01T03:10:00Z";
  r.knn = ProtocolScores{knn_top1, {0.5, 1.0 / 3.0, 0.0}, {{1, 1, 0}, {1, 2, 0}, {1, 0, 0}}};
  r.knn_k = 7;
  r.knn_temperature = 0.125;
  r.linear = ProtocolScores{2.0 / 3.0, {1.0, 0.5, 0.5}, {{2, 0, 0}, {1, 1, 0}, {0, 1, 1}}};
  r.linear_train_top1 = 0.9;
  r.linear_epochs = 42;
  r.linear_lr = 0.003;
  return r;
}

void compare_scores(const std::optional<ProtocolScores>& a, const std::optional<ProtocolScores>& b) {
  QCOMPARE(a.has_value(), b.has_value());
  if (!a) return;
  QVERIFY(a->top1 == b->top1);  // exact: doubles are written with round-trip precision
  QVERIFY(a->per_class_top1 == b->per_class_top1);
  QVERIFY(a->confusion == b->confusion);
}

void compare_reports(const EvalReport& a, const EvalReport& b) {
  QCOMPARE(a.checkpoint, b.checkpoint);
  QCOMPARE(a.step, b.step);
  QCOMPARE(a.dataset, b.dataset);
  QVERIFY(a.class_names == b.class_names);
  QCOMPARE(a.num_classes, b.num_classes);
  QCOMPARE(a.train_images, b.train_images);
  QCOMPARE(a.test_images, b.test_images);
  QCOMPARE(a.feature_dim, b.feature_dim);
  QCOMPARE(a.device, b.device);
  QVERIFY(a.seconds == b.seconds);
  QCOMPARE(a.time, b.time);
  compare_scores(a.knn, b.knn);
  QCOMPARE(a.knn_k, b.knn_k);
  QVERIFY(a.knn_temperature == b.knn_temperature);
  compare_scores(a.linear, b.linear);
  QVERIFY(a.linear_train_top1 == b.linear_train_top1);
  QCOMPARE(a.linear_epochs, b.linear_epochs);
  QVERIFY(a.linear_lr == b.linear_lr);
}

// The message of the std::runtime_error fn throws; "" when it throws none.
template <class Fn>
std::string error_of(Fn fn) {
  try {
    fn();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

class TestEvalReport : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string path(const std::string& name) const { return tmp_.path().toStdString() + "/" + name; }

 private Q_SLOTS:
  // Worked by hand: truth 0 0 1 1 1 2, predicted 0 1 1 1 0 0, four classes (class 3 has no
  // test image). Rows are true classes: row 0 = {1, 1, 0, 0}, row 1 = {1, 2, 0, 0},
  // row 2 = {1, 0, 0, 0}, row 3 = 0s. Per class: 1/2, 2/3, 0/1, none (0). Top-1 3/6.
  void scoresFromPredictionsHandWorked() {
    const auto truth = torch::tensor({0, 0, 1, 1, 1, 2}, torch::kInt64);
    const auto predicted = torch::tensor({0, 1, 1, 1, 0, 0}, torch::kInt32);  // any integer type
    const ProtocolScores s = can::eval::scores_from_predictions(predicted, truth, 4);
    QVERIFY((s.confusion == std::vector<std::vector<int64_t>>{{1, 1, 0, 0}, {1, 2, 0, 0}, {1, 0, 0, 0}, {0, 0, 0, 0}}));
    QCOMPARE(s.per_class_top1.size(), size_t(4));
    QCOMPARE(s.per_class_top1[0], 0.5);
    QCOMPARE(s.per_class_top1[1], 2.0 / 3.0);
    QCOMPARE(s.per_class_top1[2], 0.0);
    QCOMPARE(s.per_class_top1[3], 0.0);
    QCOMPARE(s.top1, 0.5);
    QCOMPARE(
        can::eval::scores_from_predictions(torch::empty({0}, torch::kInt64), torch::empty({0}, torch::kInt64), 2).top1,
        0.0);
  }

  void scoresRejectBadInput() {
    const auto y = torch::tensor({0, 1, 2}, torch::kInt64);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::scores_from_predictions(y, y, 2));  // class 2 of 2
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::scores_from_predictions(y.narrow(0, 0, 2), y, 3));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::scores_from_predictions(y.to(torch::kFloat32), y, 3));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::scores_from_predictions(y, y, 0));
  }

  // Every field survives to_json -> text -> report_from_json; the keys are the format's.
  void reportRoundTripsEveryField() {
    const EvalReport r = full_report(1200);
    const nlohmann::json j = can::eval::to_json(r);
    for (const char* key : {"checkpoint", "step", "dataset", "class_names", "num_classes", "train_images",
                            "test_images", "feature_dim", "device", "seconds", "time", "knn", "linear"})
      QVERIFY2(j.contains(key), key);
    for (const char* key : {"top1", "k", "temperature", "per_class_top1", "confusion"})
      QVERIFY2(j["knn"].contains(key), key);
    for (const char* key : {"top1", "train_top1", "epochs", "lr", "per_class_top1", "confusion"})
      QVERIFY2(j["linear"].contains(key), key);
    QCOMPARE(j["knn"]["confusion"][1][1].get<int>(), 2);  // rows = true class
    compare_reports(can::eval::report_from_json(nlohmann::json::parse(j.dump())), r);
    if (QTest::currentTestFailed()) return;

    // A protocol that did not run is absent, and stays absent.
    EvalReport knn_only = full_report(5);
    knn_only.linear.reset();
    knn_only.linear_train_top1 = knn_only.linear_lr = 0.0;  // the linear fields go with it
    knn_only.linear_epochs = 0;
    knn_only.class_names.clear();  // names may be empty
    const nlohmann::json k = can::eval::to_json(knn_only);
    QVERIFY(!k.contains("linear"));
    compare_reports(can::eval::report_from_json(k), knn_only);
    if (QTest::currentTestFailed()) return;

    // Through the file as well.
    can::eval::write_eval_json(path("round.json"), {r, knn_only});
    const auto back = can::eval::read_eval_json(path("round.json"));
    QCOMPARE(back.size(), size_t(2));
    compare_reports(back[0], r);
    compare_reports(back[1], knn_only);
    QCOMPARE(nlohmann::json::parse(read_text(path("round.json")))["format"].get<int>(), 1);
  }

  // A new evaluation of the same step and dataset replaces the old one; others are inserted
  // in step order, after those of the same step.
  void recordReplacesSameStepAndKeepsStepOrder() {
    const std::string run = path("run");
    std::filesystem::create_directories(run);
    QVERIFY(can::eval::read_eval_json(can::eval::eval_json_path(run)).empty());  // missing file: none
    can::eval::record_evaluation(run, full_report(200, "fashion-mnist", 0.25));
    can::eval::record_evaluation(run, full_report(100));
    can::eval::record_evaluation(run, full_report(300));
    can::eval::record_evaluation(run, full_report(200, "mnist"));
    can::eval::record_evaluation(run, full_report(200, "fashion-mnist", 0.75));  // replaces the first
    const auto reports = can::eval::read_eval_json(run + "/eval.json");
    std::vector<std::pair<int64_t, std::string>> order;
    for (const EvalReport& r : reports) order.emplace_back(r.step, r.dataset);
    QVERIFY((order == std::vector<std::pair<int64_t, std::string>>{
                          {100, "fashion-mnist"}, {200, "fashion-mnist"}, {200, "mnist"}, {300, "fashion-mnist"}}));
    QCOMPARE(reports[1].knn->top1, 0.75);
    const auto leftovers =
        std::distance(std::filesystem::directory_iterator(run), std::filesystem::directory_iterator());
    QCOMPARE(leftovers, 1);  // eval.json alone: no temporary file left behind
  }

  // Writers recording into one eval.json at the same moment (a sweep's parallel can-eval
  // processes, the studio beside a script) keep every report: each read-modify-write holds
  // the lock on the run folder. Two threads stand in for two processes (flock excludes two
  // open descriptors in one process as it does across processes).
  void concurrentRecordsAreAllKept() {
    const std::string run = path("concurrent");
    std::filesystem::create_directories(run);
    constexpr int per_writer = 25;
    std::vector<std::string> errors(2);
    auto writer = [&](int w) {
      try {
        for (int i = 0; i < per_writer; ++i) can::eval::record_evaluation(run, full_report(1 + 2 * i + w));
      } catch (const std::exception& e) {
        errors[w] = e.what();
      }
    };
    std::thread a(writer, 0), b(writer, 1);
    a.join();
    b.join();
    QCOMPARE(QString::fromStdString(errors[0] + errors[1]), QString());
    const auto reports = can::eval::read_eval_json(run + "/eval.json");
    QCOMPARE(int(reports.size()), 2 * per_writer);
    for (int i = 0; i < 2 * per_writer; ++i) QCOMPARE(reports[i].step, int64_t(i + 1));  // every step, in order
  }

  // A corrupt eval.json is an error naming the file and what is wrong, never a crash, and
  // record_evaluation does not overwrite it.
  void corruptEvalJsonNamesTheFile_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not JSON") << "{\"format\": 1, \"evaluations\": ["
                              << "not valid JSON";
    QTest::newRow("empty") << ""
                           << "not valid JSON";
    QTest::newRow("array") << "[]"
                           << "not a JSON object";
    QTest::newRow("other format") << "{\"format\": 2, \"evaluations\": []}"
                                  << "format 2 is not supported";
    QTest::newRow("no evaluations") << "{\"format\": 1}"
                                    << "evaluations: expected an array";
    nlohmann::json j{{"format", 1}, {"evaluations", {can::eval::to_json(full_report(1))}}};
    j["evaluations"][0]["knn"].erase("top1");
    QTest::newRow("missing field") << QString::fromStdString(j.dump()) << "evaluations[0]: knn.top1: missing";
    j["evaluations"][0]["knn"]["top1"] = 1.5;
    QTest::newRow("top1 > 1") << QString::fromStdString(j.dump())
                              << "evaluations[0]: knn.top1: expected a number in [0, 1]";
    j = {{"format", 1}, {"evaluations", {can::eval::to_json(full_report(1))}}};
    j["evaluations"][0]["linear"]["confusion"][2] = {1, 2};
    QTest::newRow("ragged confusion") << QString::fromStdString(j.dump())
                                      << "evaluations[0]: linear.confusion: expected 3 rows of 3 counts";
    j = {{"format", 1}, {"evaluations", {can::eval::to_json(full_report(1))}}};
    j["evaluations"][0]["step"] = "twelve";
    QTest::newRow("step text") << QString::fromStdString(j.dump()) << "evaluations[0]: step: expected an integer >= -1";
    j["evaluations"][0]["step"] = -2;
    QTest::newRow("step -2") << QString::fromStdString(j.dump()) << "evaluations[0]: step: expected an integer >= -1";
    j = {{"format", 1}, {"evaluations", {can::eval::to_json(full_report(1))}}};
    j["evaluations"][0]["class_names"] = {"a", "b"};
    QTest::newRow("two names for three classes")
        << QString::fromStdString(j.dump()) << "evaluations[0]: class_names: expected none or 3 strings";
  }
  void corruptEvalJsonNamesTheFile() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const std::string run = path(std::string("corrupt_") + QTest::currentDataTag());
    std::filesystem::create_directories(run);
    const std::string file = can::eval::eval_json_path(run);
    write_text(file, text.toStdString());
    const std::string error = error_of([&] { can::eval::read_eval_json(file); });
    QVERIFY2(error.rfind(file + ": ", 0) == 0, error.c_str());  // starts with the file's name
    QVERIFY2(error.find(expected.toStdString()) != std::string::npos, error.c_str());
    const std::string again = error_of([&] { can::eval::record_evaluation(run, full_report(7)); });
    QCOMPARE(again, error);
    QCOMPARE(read_text(file), text.toStdString());  // left as it was
  }

  // The run folder of the paths can-eval accepts; "" where there is none.
  void runDirOfCheckpoint() {
    const std::string run = path("rd");
    std::filesystem::create_directories(run + "/checkpoints/step_000010");
    QCOMPARE(can::run_dir_of_checkpoint(run), run);
    QCOMPARE(can::run_dir_of_checkpoint(run + "/checkpoints/step_000010"), run);
    QCOMPARE(can::run_dir_of_checkpoint(run + "/checkpoints/step_000010/"), run);
    QCOMPARE(can::run_dir_of_checkpoint(run + "/checkpoints/best"), run);  // renamed by hand
    QCOMPARE(can::run_dir_of_checkpoint("checkpoints/step_1"), std::string("."));
    QCOMPARE(can::run_dir_of_checkpoint(path("enc.safetensors")), std::string());
    QCOMPARE(can::run_dir_of_checkpoint(""), std::string());
  }
};

QTEST_GUILESS_MAIN(TestEvalReport)
#include "tst_eval_report.moc"
