// Evaluation protocols (docs/method.md "Evaluation and interchange"): kNN against a hand-computed
// vote and a naive loop, kNN and linear probe on obvious clusters, and feature extraction
// against the model's own features() on hand-normalised images.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <cmath>

#include "core/data/dataset.h"
#include "core/eval/features.h"
#include "core/eval/knn.h"
#include "core/eval/linear_probe.h"
#include "tiny_model.h"

namespace {

// num_classes well-separated Gaussian clusters in dim dimensions: centres at distance ~3,
// spread 0.1, so every sane classifier is perfect.
struct Clusters {
  torch::Tensor x, y;
};
Clusters make_clusters(int64_t n, int64_t num_classes, int64_t dim, uint64_t seed) {
  torch::manual_seed(seed);
  auto centres = torch::randn({num_classes, dim}) * 3.0;
  auto y = torch::arange(n, torch::kInt64) % num_classes;
  auto x = centres.index_select(0, y) + 0.1 * torch::randn({n, dim});
  return {x, y};
}

// The kNN vote written as loops, in double precision: cosine similarity, the k largest,
// weight exp(sim / T) added to the neighbour's class.
std::vector<std::vector<double>> naive_votes(const torch::Tensor& train, const torch::Tensor& labels,
                                             const torch::Tensor& test, int64_t classes, int k, double t) {
  auto tr = train.to(torch::kFloat64), te = test.to(torch::kFloat64);
  std::vector<std::vector<double>> out;
  for (int64_t i = 0; i < te.size(0); ++i) {
    std::vector<std::pair<double, int64_t>> sims;
    for (int64_t j = 0; j < tr.size(0); ++j) {
      const double dot = (te[i] * tr[j]).sum().item<double>();
      const double cos = dot / (te[i].norm().item<double>() * tr[j].norm().item<double>());
      sims.emplace_back(cos, labels[j].item<int64_t>());
    }
    std::sort(sims.begin(), sims.end(), [](auto& a, auto& b) { return a.first > b.first; });
    std::vector<double> votes(static_cast<size_t>(classes), 0.0);
    for (int n = 0; n < k; ++n) votes[static_cast<size_t>(sims[n].second)] += std::exp(sims[n].first / t);
    out.push_back(votes);
  }
  return out;
}

// 1-channel 16x16 images whose pixels are a function of (index, y, x); label = index % 3.
class FakeDataset : public can::data::Dataset {
 public:
  FakeDataset(int64_t n, int64_t side, int64_t channels = 1) : n_(n), side_(side), c_(channels) {}
  int64_t size() const override { return n_; }
  int64_t channels() const override { return c_; }
  int64_t height() const override { return side_; }
  int64_t width() const override { return side_; }
  can::data::Image get(int64_t i) const override {
    can::data::Image img(side_, side_, c_);
    for (int64_t y = 0; y < side_; ++y)
      for (int64_t x = 0; x < side_; ++x)
        for (int64_t c = 0; c < c_; ++c) img.at(y, x, c) = static_cast<uint8_t>((i * 37 + y * 11 + x * 5 + c * 50) % 256);
    return img;
  }
  int64_t label(int64_t i) const override { return i % 3; }
  int64_t num_classes() const override { return 3; }
  std::string describe() const override { return "fake"; }

 private:
  int64_t n_, side_, c_;
};

}  // namespace

class TestEval : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  // Hand-computed: query (0.8, 0.6); train a=(1,0) L0, b=(0,1) L1, c=(0.6,0.8) L1,
  // d=(-1,0) L0. Cosines 0.8, 0.6, 0.96, -0.8; with k=3 the neighbours are c, a, b, so
  // votes are L0 = exp(0.8/T), L1 = exp(0.96/T) + exp(0.6/T).
  void knnHandComputedVote() {
    auto train = torch::tensor({1.0f, 0.0f, 0.0f, 1.0f, 0.6f, 0.8f, -1.0f, 0.0f}).reshape({4, 2});
    auto labels = torch::tensor({0, 1, 1, 0}, torch::kInt64);
    auto query = torch::tensor({0.8f, 0.6f}).reshape({1, 2}) * 5.0;  // scale must not matter
    can::eval::KnnOptions opt;
    opt.k = 3;
    opt.temperature = 0.1;
    auto votes = can::eval::knn_votes(train * 2.0, labels, query, 2, opt);
    const double v0 = std::exp(8.0), v1 = std::exp(9.6) + std::exp(6.0);
    QVERIFY(std::abs(votes[0][0].item<double>() - v0) < 1e-5 * v0);
    QVERIFY(std::abs(votes[0][1].item<double>() - v1) < 1e-5 * v1);
  }

  // The temperature decides between one close neighbour and two farther ones: query (1,0),
  // train p=(1,0) L1 (cos 1), r=(0.6,0.8) L0 and s=(0.6,-0.8) L0 (cos 0.6), t=(-1,0) L1.
  // T=0.1: L1 exp(10) > L0 2 exp(6); T=10: L1 exp(0.1)=1.105 < L0 2 exp(0.06)=2.124.
  void knnTemperatureFlipsVote() {
    auto train = torch::tensor({1.0f, 0.0f, 0.6f, 0.8f, 0.6f, -0.8f, -1.0f, 0.0f}).reshape({4, 2});
    auto labels = torch::tensor({1, 0, 0, 1}, torch::kInt64);
    auto query = torch::tensor({1.0f, 0.0f}).reshape({1, 2});
    auto truth = torch::tensor({1}, torch::kInt64);
    QCOMPARE(can::eval::knn_top1(train, labels, query, truth, 2, 3, 0.1), 1.0);
    QCOMPARE(can::eval::knn_top1(train, labels, query, truth, 2, 3, 10.0), 0.0);
  }

  void knnMatchesNaiveLoop() {
    torch::manual_seed(7);
    auto train = torch::randn({50, 6}), test = torch::randn({23, 6});
    auto labels = torch::randint(0, 5, {50}, torch::kInt64);
    can::eval::KnnOptions opt;
    opt.k = 7;
    opt.temperature = 0.3;
    opt.chunk_size = 4;  // several chunks and a ragged last one
    auto votes = can::eval::knn_votes(train, labels, test, 5, opt);
    auto expected = naive_votes(train, labels, test, 5, 7, 0.3);
    for (int64_t i = 0; i < 23; ++i)
      for (int64_t c = 0; c < 5; ++c) {
        const double e = expected[i][c], g = votes[i][c].item<double>();
        QVERIFY2(std::abs(g - e) < 1e-4 * std::max(1.0, e), qPrintable(QString("row %1 class %2: %3 vs %4").arg(i).arg(c).arg(g).arg(e)));
      }
  }

  void knnClustersArePerfect() {
    auto train = make_clusters(300, 6, 16, 1), test = make_clusters(120, 6, 16, 1);
    test.x = test.x + 0.05 * torch::randn(test.x.sizes());  // same centres, fresh points
    const double acc = can::eval::knn_top1(train.x, train.y, test.x, test.y, 6);
    QVERIFY2(acc >= 0.99, qPrintable(QString::number(acc)));
  }

  void knnRejectsBadInput() {
    auto f = torch::randn({4, 3});
    auto y = torch::tensor({0, 1, 2, 3}, torch::kInt64);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::knn_top1(f, y, f, y, 3));  // label 3 of 3 classes
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::knn_top1(f, y, torch::randn({2, 5}), y.narrow(0, 0, 2), 4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::knn_top1(f, y, f, y, 4, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::knn_top1(f, y, f, y, 4, 20, 0.0));
  }

  void linearProbeClustersArePerfect() {
    auto train = make_clusters(400, 5, 12, 3), test = make_clusters(100, 5, 12, 3);
    test.x = test.x + 0.05 * torch::randn(test.x.sizes());
    can::eval::LinearProbeOptions opt;
    opt.epochs = 20;
    opt.batch_size = 64;
    auto r = can::eval::linear_probe(train.x, train.y, test.x, test.y, 5, opt);
    QVERIFY2(r.test_top1 >= 0.99, qPrintable(QString::number(r.test_top1)));
    QVERIFY2(r.train_top1 >= 0.99, qPrintable(QString::number(r.train_top1)));
    QVERIFY(r.train_loss < 0.1);
  }

  // A probe depends only on its inputs and seed; a different seed shuffles differently.
  void linearProbeIsDeterministic() {
    torch::manual_seed(5);
    auto x = torch::randn({200, 8}), xt = torch::randn({50, 8});
    auto y = torch::randint(0, 4, {200}, torch::kInt64), yt = torch::randint(0, 4, {50}, torch::kInt64);
    can::eval::LinearProbeOptions opt;
    opt.epochs = 5;
    opt.batch_size = 32;
    auto a = can::eval::linear_probe(x, y, xt, yt, 4, opt);
    auto b = can::eval::linear_probe(x, y, xt, yt, 4, opt);
    QCOMPARE(a.train_loss, b.train_loss);
    QCOMPARE(a.test_top1, b.test_top1);
    opt.seed = 1;
    auto c = can::eval::linear_probe(x, y, xt, yt, 4, opt);
    QVERIFY(c.train_loss != a.train_loss);
  }

  void linearProbeRejectsBadInput() {
    auto f = torch::randn({4, 3});
    auto y = torch::tensor({0, 1, 0, 5}, torch::kInt64);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::linear_probe(f, y, f, y, 2));
    auto ok = torch::tensor({0, 1, 0, 1}, torch::kInt64);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::linear_probe(f, ok, torch::randn({4, 2}), ok, 2));
  }

  // extract_features == model->features() of images normalised by hand, in eval mode,
  // and the model's training flag comes back as it was.
  void featuresMatchModel() {
    torch::manual_seed(11);
    can::CanModel model(can::test::tiny_model_config(1), can::Objectives{}, 0.05);
    model->train();
    FakeDataset ds(10, 16);
    const std::vector<float> mean{0.25f}, stdv{0.5f};
    auto feats = can::eval::extract_features(model, ds, 7, 3, mean, stdv, torch::kCPU);
    QCOMPARE(feats.sizes().vec(), (std::vector<int64_t>{7, 32}));
    QVERIFY(model->is_training());

    auto images = torch::empty({7, 1, 16, 16});
    for (int64_t i = 0; i < 7; ++i) {
      auto img = ds.get(i);
      for (int64_t y = 0; y < 16; ++y)
        for (int64_t x = 0; x < 16; ++x) images[i][0][y][x] = (img.at(y, x, 0) / 255.0f - 0.25f) / 0.5f;
    }
    model->eval();
    torch::NoGradGuard no_grad;
    auto expected = model->features(images);
    QVERIFY(torch::allclose(feats, expected, 1e-5, 1e-5));

    auto labels = can::eval::dataset_labels(ds, 7);
    QCOMPARE(labels.sizes().vec(), (std::vector<int64_t>{7}));
    QCOMPARE(labels[5].item<int64_t>(), int64_t{2});
    QCOMPARE(can::eval::dataset_labels(ds, 0).size(0), int64_t{10});  // 0 = all
  }

  // Images of another size are resized to the model's img_size; gray data feeds an RGB
  // model by repeating the channel.
  void featuresResizeAndConvert() {
    FakeDataset small(4, 8);
    auto batch = can::eval::eval_batch(small, 0, 4, 3, 16, {0.0f}, {1.0f});
    QCOMPARE(batch.sizes().vec(), (std::vector<int64_t>{4, 3, 16, 16}));
    QVERIFY(torch::equal(batch.select(1, 0), batch.select(1, 2)));
    QVERIFY(batch.min().item<float>() >= 0.0f && batch.max().item<float>() <= 1.0f);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::eval_batch(small, 2, 3, 1, 16, {0.0f}, {1.0f}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, can::eval::eval_batch(small, 0, 1, 3, 16, {0.f, 0.f}, {1.f}));
    auto pixels = can::eval::pixel_features(small, 0, 1, 8, {0.0f}, {1.0f});
    QCOMPARE(pixels.sizes().vec(), (std::vector<int64_t>{4, 64}));
    QCOMPARE(pixels[1][8 * 2 + 3].item<float>(), ((1 * 37 + 2 * 11 + 3 * 5) % 256) / 255.0f);
  }
};

QTEST_MAIN(TestEval)
#include "tst_eval.moc"
