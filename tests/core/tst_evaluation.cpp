// evaluate() (core/eval/evaluation.h) on a tiny checkpoint and a 10-class IDX dataset: the
// numbers can-eval computed inline before it (the same functions called one by one), per-class
// scores and confusion matrices against a naive loop over the predictions, progress that
// rises to its totals stage by stage, cancellation that stops promptly and writes nothing, and
// errors that name the file.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "core/config/run_config.h"
#include "core/data/class_names.h"
#include "core/data/dataset.h"
#include "core/eval/evaluation.h"
#include "core/eval/features.h"
#include "core/train/checkpoint.h"
#include "data_fixtures.h"
#include "tiny_model.h"

namespace fs = std::filesystem;
using can::eval::EvalProgress;
using can::eval::EvalReport;
using can::eval::EvalRequest;

namespace {

std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

template <class Fn>
std::string error_of(Fn fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// Per-class top-1 and confusion of predictions, written as plain loops.
void check_scores_naively(const can::eval::ProtocolScores& s, const torch::Tensor& predicted,
                          const torch::Tensor& truth, int64_t classes) {
  std::vector<std::vector<int64_t>> confusion(classes, std::vector<int64_t>(classes, 0));
  for (int64_t i = 0; i < truth.size(0); ++i) ++confusion[truth[i].item<int64_t>()][predicted[i].item<int64_t>()];
  QVERIFY(s.confusion == confusion);
  int64_t total = 0;
  double weighted = 0.0;
  for (int64_t c = 0; c < classes; ++c) {
    int64_t in_class = 0, right = 0;
    for (int64_t i = 0; i < truth.size(0); ++i)
      if (truth[i].item<int64_t>() == c) {
        ++in_class;
        right += predicted[i].item<int64_t>() == c;
      }
    QCOMPARE(s.per_class_top1[c], in_class ? double(right) / double(in_class) : 0.0);
    for (int64_t n : s.confusion[c]) total += n;
    weighted += s.per_class_top1[c] * double(in_class);
  }
  QCOMPARE(total, truth.size(0));                      // every test image once
  QCOMPARE(weighted / double(truth.size(0)), s.top1);  // class means weighted by class counts
}

}  // namespace

class TestEvaluation : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string data_, run_, ckpt_;

  EvalRequest request() const {
    EvalRequest r;
    r.checkpoint = run_;
    r.batch_size = 16;
    r.knn_options.k = 5;
    r.probe.epochs = 4;
    r.device = "cpu";
    return r;
  }

 private Q_SLOTS:
  void initTestCase() {
    torch::set_num_threads(1);
    // A labelled 16x16 IDX dataset (train 60, test 30 images, label = index % 10).
    data_ = tmp_.path().toStdString() + "/data";
    fs::create_directories(data_);
    can_test::write_idx_split(data_, "train", 60, 16, 16, false);
    can_test::write_idx_split(data_, "t10k", 30, 16, 16, false);
    can::RunConfig config;
    config.model = can::test::tiny_model_config(1);
    config.data.dataset = "fashion-mnist";
    config.data.path = data_;
    torch::manual_seed(7);
    can::CanModel model(config.model, config.objectives, config.loss.sigma_max);
    torch::optim::AdamW optimizer(model->parameters());
    can::TrainState state;
    state.step = 12;
    run_ = tmp_.path().toStdString() + "/run";
    ckpt_ = can::save_checkpoint(run_, config, model, optimizer, state);
  }

  // The numbers of can-eval's former inline path, and per-class scores that agree with the
  // predictions counted by hand.
  void matchesTheInlinePathAndANaiveCount() {
    const EvalRequest req = request();
    const EvalReport r = can::eval::evaluate(req);

    can::RunConfig config;
    can::CanModel model = can::load_model(ckpt_, &config);
    config.data.min_image_side = 0;
    auto train = can::data::open_dataset(config.data, can::data::Split::Train);
    auto test = can::data::open_dataset(config.data, can::data::Split::Test);
    const auto y_train = can::eval::dataset_labels(*train, 0), y_test = can::eval::dataset_labels(*test, 0);
    const auto mean = config.data.resolved_mean(1), stdv = config.data.resolved_std(1);
    const auto x_train = can::eval::extract_features(model, *train, 0, 16, mean, stdv, torch::kCPU);
    const auto x_test = can::eval::extract_features(model, *test, 0, 16, mean, stdv, torch::kCPU);
    const double knn = can::eval::knn_top1(x_train, y_train, x_test, y_test, 10, 5, 0.07);
    const auto probe = can::eval::linear_probe(x_train, y_train, x_test, y_test, 10, req.probe);

    QVERIFY(r.knn && r.linear);
    QVERIFY2(r.knn->top1 == knn, qPrintable(QString("%1 vs %2").arg(r.knn->top1).arg(knn)));  // the same bits
    QVERIFY(r.linear->top1 == probe.test_top1);
    QVERIFY(r.linear_train_top1 == probe.train_top1);
    QCOMPARE(r.step, int64_t(12));
    QCOMPARE(r.checkpoint, run_);
    QCOMPARE(r.dataset, std::string("fashion-mnist"));
    QVERIFY(r.class_names == can::data::fashion_mnist_class_names());
    QCOMPARE(r.num_classes, int64_t(10));
    QCOMPARE(r.train_images, int64_t(60));
    QCOMPARE(r.test_images, int64_t(30));
    QCOMPARE(r.feature_dim, int64_t(32));
    QCOMPARE(r.device, std::string("cpu"));
    QCOMPARE(r.knn_k, int64_t(5));
    QCOMPARE(r.linear_epochs, int64_t(4));
    QCOMPARE(r.time.size(), size_t(20));  // 2026-12-01T03:10:00Z
    QVERIFY(r.seconds > 0.0);

    const auto knn_pred = can::eval::knn_votes(x_train, y_train, x_test, 10, {5, 0.07}).argmax(1);
    check_scores_naively(*r.knn, knn_pred, y_test, 10);
    if (QTest::currentTestFailed()) return;
    check_scores_naively(*r.linear, probe.test_predictions, y_test, 10);
    if (QTest::currentTestFailed()) return;
    QVERIFY(probe.test_predictions.eq(y_test).to(torch::kFloat64).mean().item<double>() == probe.test_top1);
  }

  // Stages in order, each announced at 0, done rising to its total; max_test and a protocol
  // left out change only what they should.
  void progressRisesToEachTotal() {
    EvalRequest req = request();
    req.max_test = 25;
    req.knn_options.chunk_size = 10;
    std::vector<EvalProgress> calls;
    const EvalReport r = can::eval::evaluate(req, [&](const EvalProgress& p) {
      calls.push_back(p);
      return true;
    });
    QCOMPARE(r.test_images, int64_t(25));
    const std::vector<std::pair<std::string, int64_t>> stages = {
        {"train features", 60}, {"test features", 25}, {"knn", 25}, {"linear probe", 4}};
    size_t i = 0;
    for (const auto& [stage, total] : stages) {
      QVERIFY2(i < calls.size() && calls[i].stage == stage, stage.c_str());
      QCOMPARE(calls[i].done, int64_t(0));
      int64_t last = 0, n = 0;
      for (; i < calls.size() && calls[i].stage == stage; ++i, ++n) {
        QCOMPARE(calls[i].total, total);
        QVERIFY2(calls[i].done >= last, stage.c_str());
        last = calls[i].done;
      }
      QCOMPARE(last, total);
      // One call per batch (16 images), chunk (10 rows) or epoch, plus the announcement.
      const int64_t units = stage == "linear probe" ? 4 : stage == "knn" ? 3 : (total + 15) / 16;
      QCOMPARE(n, units + 1);
    }
    QCOMPARE(i, calls.size());

    req.linear = false;
    calls.clear();
    const EvalReport knn_only = can::eval::evaluate(req, [&](const EvalProgress& p) {
      calls.push_back(p);
      return true;
    });
    QVERIFY(knn_only.knn && !knn_only.linear);
    QCOMPARE(calls.back().stage, std::string("knn"));
  }

  // Cancelling at any call stops at once (no further call) with EvalCancelled, and writes
  // nothing anywhere under the run.
  void cancelStopsPromptlyAndWritesNothing_data() {
    QTest::addColumn<int>("cancelAt");
    QTest::newRow("second call (first batch)") << 2;
    QTest::newRow("test features") << 7;
    QTest::newRow("knn") << 10;
    QTest::newRow("second probe epoch") << 13;
  }
  void cancelStopsPromptlyAndWritesNothing() {
    QFETCH(int, cancelAt);
    const auto before = files_under(run_);
    int calls = 0;
    std::string stage;
    try {
      can::eval::evaluate(request(), [&](const EvalProgress& p) {
        ++calls;
        stage = p.stage;
        return calls < cancelAt;
      });
      QFAIL("not cancelled");
    } catch (const can::eval::EvalCancelled& e) {
      QCOMPARE(std::string(e.what()), "evaluation cancelled during " + stage);
    }
    QCOMPARE(calls, cancelAt);
    QVERIFY(files_under(run_) == before);
  }

  void errorsNameTheFile() {
    EvalRequest req = request();
    req.checkpoint = tmp_.path().toStdString() + "/missing";
    std::string e = error_of([&] { can::eval::evaluate(req); });
    QVERIFY2(e.find(req.checkpoint) != std::string::npos, e.c_str());

    req = request();
    req.data_path = tmp_.path().toStdString() + "/no_data";
    e = error_of([&] { can::eval::evaluate(req); });
    QVERIFY2(e.find(req.data_path) != std::string::npos, e.c_str());

    const std::string bad = tmp_.path().toStdString() + "/bad/checkpoints/step_000012";
    fs::create_directories(bad);
    fs::copy(ckpt_, bad, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    std::ofstream(bad + "/model.pt", std::ios::trunc) << "not a torch archive";
    req = request();
    req.checkpoint = bad;
    e = error_of([&] { can::eval::evaluate(req); });
    QVERIFY2(e.find(bad) != std::string::npos, e.c_str());

    req = request();
    req.probe.epochs = 0;  // refused before anything is loaded
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::evaluate(req));
  }
};

QTEST_GUILESS_MAIN(TestEvaluation)
#include "tst_evaluation.moc"
