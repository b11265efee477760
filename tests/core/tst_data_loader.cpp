// The loader: every index once per epoch, disjoint shards across ranks, resumption,
// error propagation, a clean stop when the consumer leaves early, and many loaders
// started and stopped in a row (issue 11: racing process-wide OpenCV settings).
#include <set>

#include "core/data/dataset.h"
#include "core/data/loader.h"

using namespace can::data;

namespace {
class TinyDataset : public Dataset {
 public:
  explicit TinyDataset(int64_t n, int64_t fail_at = -1) : n_(n), fail_at_(fail_at) {}
  int64_t size() const override { return n_; }
  int64_t channels() const override { return 1; }
  int64_t height() const override { return 4; }
  int64_t width() const override { return 4; }
  Image get(int64_t index) const override {
    if (index == fail_at_) throw std::runtime_error("disk on fire at index " + std::to_string(index));
    Image img(4, 4, 1);
    for (auto& p : img.pixels) p = uint8_t(index);
    return img;
  }
  int64_t label(int64_t index) const override { return index % 10; }
  int64_t num_classes() const override { return 10; }
  std::string describe() const override { return "tiny"; }

 private:
  int64_t n_, fail_at_;
};

// Colour gradients large enough that every view goes through OpenCV's resize and blur.
class GradientDataset : public Dataset {
 public:
  explicit GradientDataset(int64_t n) : n_(n) {}
  int64_t size() const override { return n_; }
  int64_t channels() const override { return 3; }
  int64_t height() const override { return 72; }
  int64_t width() const override { return 72; }
  Image get(int64_t index) const override {
    Image img(72, 72, 3);
    for (int64_t y = 0; y < 72; ++y)
      for (int64_t x = 0; x < 72; ++x)
        for (int64_t ch = 0; ch < 3; ++ch) img.at(y, x, ch) = uint8_t((index * 29 + y * 7 + x * 3 + ch * 70) % 256);
    return img;
  }
  int64_t label(int64_t index) const override { return index % 10; }
  int64_t num_classes() const override { return 10; }
  std::string describe() const override { return "gradients"; }

 private:
  int64_t n_;
};

LoaderOptions options(int64_t batch, int workers) {
  LoaderOptions o;
  o.batch_size = batch;
  o.out_size = 4;
  o.num_workers = workers;
  o.prefetch_batches = 2;
  o.seed = 11;
  o.mean = {0.f};
  o.std = {1.f};
  return o;
}

std::vector<int64_t> epoch_indices(Loader& loader, int64_t epoch) {
  loader.start_epoch(epoch);
  std::vector<int64_t> out;
  Batch b;
  while (loader.next(b))
    for (int64_t i = 0; i < b.index.size(0); ++i) out.push_back(b.index[i].item<int64_t>());
  return out;
}
}  // namespace

class TestDataLoader : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void everyIndexOncePerEpoch() {
    auto ds = std::make_shared<TinyDataset>(60);
    Loader loader(ds, options(6, 2));
    QCOMPARE(loader.batches_per_epoch(), 10);
    const auto e0 = epoch_indices(loader, 0), e1 = epoch_indices(loader, 1);
    QCOMPARE(std::set<int64_t>(e0.begin(), e0.end()).size(), size_t(60));
    QCOMPARE(e0.size(), size_t(60));
    QVERIFY(e0 != e1);  // a new permutation each epoch
    QCOMPARE(epoch_indices(loader, 0), e0);  // seeded by (seed, epoch)
  }

  void ranksTakeDisjointSlices() {
    auto ds = std::make_shared<TinyDataset>(60);
    for (int world : {2, 3}) {
      std::vector<int64_t> all;
      for (int rank = 0; rank < world; ++rank) {
        LoaderOptions o = options(5, 2);
        o.rank = rank;
        o.world_size = world;
        Loader loader(ds, o);
        const auto mine = epoch_indices(loader, 4);
        QCOMPARE(int64_t(mine.size()), 60 / world);
        all.insert(all.end(), mine.begin(), mine.end());
      }
      QCOMPARE(all.size(), size_t(60));
      QCOMPARE(std::set<int64_t>(all.begin(), all.end()).size(), size_t(60));
    }
  }

  void noDropLastPadsEqualShards() {
    auto ds = std::make_shared<TinyDataset>(10);
    std::set<int64_t> seen;
    for (int rank = 0; rank < 3; ++rank) {
      LoaderOptions o = options(3, 1);
      o.rank = rank;
      o.world_size = 3;
      o.drop_last = false;
      Loader loader(ds, o);
      QCOMPARE(loader.batches_per_epoch(), 2);  // 4 images: a batch of 3 and one of 1
      const auto mine = epoch_indices(loader, 0);
      QCOMPARE(mine.size(), size_t(4));
      seen.insert(mine.begin(), mine.end());
    }
    QCOMPARE(seen.size(), size_t(10));  // all covered, two repeated as padding
  }

  void skipBatchesResumesAtTheSamePosition() {
    auto ds = std::make_shared<TinyDataset>(60);
    Loader loader(ds, options(6, 2));
    const auto full = epoch_indices(loader, 2);
    loader.start_epoch(2, 7);
    std::vector<int64_t> rest;
    Batch b;
    while (loader.next(b))
      for (int64_t i = 0; i < b.index.size(0); ++i) rest.push_back(b.index[i].item<int64_t>());
    QVERIFY(rest == std::vector<int64_t>(full.begin() + 42, full.end()));
    // Labels and pixels follow the index.
    loader.start_epoch(0);
    QVERIFY(loader.next(b));
    QVERIFY(torch::equal(b.label, b.index.remainder(10)));
    QVERIFY(torch::allclose(b.original.flatten(1).mean(1), b.index.to(torch::kFloat) / 255.f));
  }

  void workerExceptionsReachNext() {
    auto ds = std::make_shared<TinyDataset>(20, 13);
    for (int workers : {0, 2}) {
      Loader loader(ds, options(4, workers));
      loader.start_epoch(0);
      Batch b;
      bool thrown = false;
      try {
        while (loader.next(b)) {
        }
      } catch (const std::runtime_error& e) {
        thrown = true;
        QVERIFY2(std::string(e.what()).find("disk on fire at index 13") != std::string::npos, e.what());
      }
      QVERIFY(thrown);
    }
  }

  void stopsCleanlyWhenTheConsumerLeavesEarly() {
    auto ds = std::make_shared<TinyDataset>(200);
    for (int k = 0; k < 5; ++k) {
      Loader loader(ds, options(2, 3));
      loader.start_epoch(0);
      Batch b;
      QVERIFY(loader.next(b));
      loader.start_epoch(1);  // abandon an epoch mid-way, then destroy while workers are busy
    }
    LoaderOptions bad = options(2, 1);
    bad.mean = {};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Loader(ds, bad));
  }

  // Issue 11: every worker used to call OpenCV's process-wide cv::setNumThreads(1) as it
  // started; concurrent calls tore down the same TBB arena twice and crashed (SIGSEGV in
  // tbb terminate) now and then. Start and stop 800 loaders of 4 workers, each pulling a
  // batch of SimCLR views, and check it against the batch built without worker threads.
  void manyLoadersStartAndStopSafely() {
    auto ds = std::make_shared<GradientDataset>(32);
    LoaderOptions o = options(4, 0);
    o.out_size = 64;  // >= blur_min_size: crop, resize, jitter and blur all run
    o.mean = {0.5f, 0.5f, 0.5f};
    o.std = {0.25f, 0.25f, 0.25f};
    Loader reference(ds, o);
    reference.start_epoch(5);
    Batch expected;
    QVERIFY(reference.next(expected));
    o.num_workers = 4;
    for (int k = 0; k < 200; ++k) {
      // Several loaders alive at once: their workers all start within a few microseconds.
      std::vector<std::unique_ptr<Loader>> loaders;
      for (int j = 0; j < 4; ++j) loaders.push_back(std::make_unique<Loader>(ds, o));
      for (auto& loader : loaders) {
        loader->start_epoch(5);
        Batch b;
        QVERIFY(loader->next(b));
        QVERIFY(torch::equal(b.index, expected.index));
        QVERIFY2(torch::equal(b.view1, expected.view1), std::to_string(k).c_str());
        QVERIFY2(torch::equal(b.view2, expected.view2), std::to_string(k).c_str());
        QVERIFY2(torch::equal(b.original, expected.original), std::to_string(k).c_str());
      }
    }
  }
};

QTEST_MAIN(TestDataLoader)
#include "tst_data_loader.moc"
