// The validation split (data.val_images, core/data/holdout.h): held-out images and the rest
// partition the training split exactly, are spread over it (not its last images), are the
// same on every call; the kNN monitor and evaluate(split = "val") read it and never the test
// split; impossible counts are named.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <filesystem>
#include <set>

#include "core/config/run_config.h"
#include "core/data/data_config.h"
#include "core/data/dataset.h"
#include "core/data/holdout.h"
#include "core/eval/eval_report.h"
#include "core/eval/evaluation.h"
#include "core/train/checkpoint.h"
#include "core/train/knn_monitor.h"
#include "data_fixtures.h"
#include "tiny_model.h"

namespace fs = std::filesystem;
using can::data::Split;

namespace {

template <class Fn>
std::string error_of(Fn fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// The fixture's image i has pixel (0, 0) = i * 31 % 256 and pixel (0, 1) = (i * 31 + 3) % 256;
// over 60 images the pair names i (31 is invertible mod 256 and i < 256).
int64_t fixture_index(const can::data::Image& img) {
  for (int64_t i = 0; i < 256; ++i)
    if (img.at(0, 0, 0) == (i * 31) % 256) return i;
  return -1;
}

}  // namespace

class TestHoldout : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string data_, train_only_;

  can::data::DataConfig config(const std::string& path, int64_t val) const {
    can::data::DataConfig c;
    c.dataset = "fashion-mnist";
    c.path = path;
    c.val_images = val;
    return c;
  }

 private Q_SLOTS:
  void initTestCase() {
    torch::set_num_threads(1);
    data_ = tmp_.path().toStdString() + "/data";
    fs::create_directories(data_);
    can_test::write_idx_split(data_, "train", 60, 8, 8, false);
    can_test::write_idx_split(data_, "t10k", 20, 8, 8, false);
    // A training split with no test files: whatever opens the test split fails here.
    train_only_ = tmp_.path().toStdString() + "/train_only";
    fs::create_directories(train_only_);
    can_test::write_idx_split(train_only_, "train", 60, 8, 8, false);
  }

  // Val and Train together are the training split, each image exactly once, with its label.
  void valAndTrainPartitionTheTrainingSplit() {
    auto val = can::data::open_dataset(config(data_, 15), Split::Val);
    auto train = can::data::open_dataset(config(data_, 15), Split::Train);
    QCOMPARE(val->size(), int64_t(15));
    QCOMPARE(train->size(), int64_t(45));
    std::multiset<int64_t> seen;
    std::set<int64_t> val_seen;
    for (auto* ds : {val.get(), train.get()})
      for (int64_t i = 0; i < ds->size(); ++i) {
        const int64_t original = fixture_index(ds->get(i));
        QVERIFY(original >= 0);
        QCOMPARE(ds->label(i), original % 10);  // the label travels with its image
        seen.insert(original);
        if (ds == val.get()) val_seen.insert(original);
      }
    QCOMPARE(seen.size(), size_t(60));
    for (int64_t i = 0; i < 60; ++i) QCOMPARE(seen.count(i), size_t(1));
    // Spread over the split: an image folder is sorted by class, its last images one class.
    QVERIFY(*val_seen.begin() < 30 && *val_seen.rbegin() >= 30);
    QVERIFY(val->describe().find("held out") != std::string::npos);
  }

  // The choice depends on nothing but (size, count): same on every call, sorted and distinct.
  void theHeldOutIndicesAreFixed() {
    const auto a = can::data::holdout_indices(1000, 100), b = can::data::holdout_indices(1000, 100);
    QVERIFY(a == b);
    QCOMPARE(a.size(), size_t(100));
    QVERIFY(std::is_sorted(a.begin(), a.end()));
    QCOMPARE(std::set<int64_t>(a.begin(), a.end()).size(), size_t(100));
    QVERIFY(a.front() >= 0 && a.back() < 1000);
    // Each decile of the split holds some of them (a uniform choice of 100 in 1000 leaves a
    // decile empty with probability ~3e-4; this fixed draw is checked once).
    for (int64_t d = 0; d < 10; ++d) QVERIFY(std::any_of(a.begin(), a.end(), [d](int64_t i) { return i / 100 == d; }));
  }

  void impossibleCountsAreNamed() {
    QVERIFY(error_of([&] { can::data::open_dataset(config(data_, 60), Split::Train); }).rfind("data.val_images", 0) ==
            0);
    QVERIFY(error_of([&] { can::data::open_dataset(config(data_, 0), Split::Val); }).rfind("data.val_images", 0) == 0);
    QVERIFY(error_of([&] { can::data::open_dataset(config(data_, -1), Split::Train); }).find("data.val_images") !=
            std::string::npos);
    can::RunConfig rc;
    QVERIFY(error_of([&] {
              rc.set_key("data.val_images", "-3");
              rc.validate();
            }).find("data.val_images") != std::string::npos);
    rc.set_key("data.val_images", "7");
    QCOMPARE(rc.data.val_images, int64_t(7));
  }

  // With a validation split the monitor reads no test file; without one it does.
  void theKnnMonitorReadsTheValidationSplit() {
    can::RunConfig rc;
    rc.model = can::test::tiny_model_config(1);
    rc.model.img_size = 8;
    rc.model.patch_size = 4;
    rc.data = config(train_only_, 10);
    rc.train.knn_train_images = 50;
    rc.train.knn_test_images = 10;
    rc.train.knn_k = 3;
    auto monitor = can::make_knn_monitor(rc, torch::kCPU);
    can::CanModel model(rc.model, rc.objectives, rc.loss.sigma_max);
    const double top1 = monitor(model);
    QVERIFY(top1 >= 0.0 && top1 <= 1.0);
    rc.data.val_images = 0;
    QVERIFY(error_of([&] { can::make_knn_monitor(rc, torch::kCPU); }).find("t10k") != std::string::npos);
  }

  // evaluate(split = "val") scores the held-out images against the rest, reads no test file,
  // and records its report apart from the test split's.
  void evaluationScoresTheValidationSplit() {
    can::RunConfig rc;
    rc.model = can::test::tiny_model_config(1);
    rc.model.img_size = 8;
    rc.model.patch_size = 4;
    rc.data = config(train_only_, 0);
    torch::manual_seed(3);
    can::CanModel model(rc.model, rc.objectives, rc.loss.sigma_max);
    torch::optim::AdamW optimizer(model->parameters());
    can::TrainState state;
    state.step = 5;
    const std::string run = tmp_.path().toStdString() + "/run";
    can::save_checkpoint(run, rc, model, optimizer, state);

    can::eval::EvalRequest req;
    req.checkpoint = run;
    req.batch_size = 16;
    req.knn_options.k = 3;
    req.probe.epochs = 2;
    req.device = "cpu";
    req.split = "val";
    QVERIFY(error_of([&] { can::eval::evaluate(req); }).find("data.val_images") != std::string::npos);
    req.val_images = 12;
    const can::eval::EvalReport r = can::eval::evaluate(req);
    QCOMPARE(r.split, std::string("val"));
    QCOMPARE(r.test_images, int64_t(12));
    QCOMPARE(r.train_images, int64_t(48));
    req.split = "test";
    QVERIFY(error_of([&] { can::eval::evaluate(req); }).find("t10k") != std::string::npos);

    // eval.json keeps a step's validation and test reports apart; a second report of the same
    // split replaces the first.
    const std::string path = tmp_.path().toStdString() + "/eval.json";
    can::eval::EvalReport test_report = r;
    test_report.split = "test";
    can::eval::record_evaluation_in(path, r);
    can::eval::record_evaluation_in(path, test_report);
    can::eval::record_evaluation_in(path, r);
    const auto reports = can::eval::read_eval_json(path);
    QCOMPARE(reports.size(), size_t(2));
    QCOMPARE(std::count_if(reports.begin(), reports.end(), [](const auto& e) { return e.split == "val"; }), 1L);
    QCOMPARE(std::count_if(reports.begin(), reports.end(), [](const auto& e) { return e.split == "test"; }), 1L);
  }
};

QTEST_GUILESS_MAIN(TestHoldout)
#include "tst_holdout.moc"
