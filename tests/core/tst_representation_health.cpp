// Representation health (core/analysis/representation_health) against numbers computed
// another way: a constructed rank-k embedding, naive double loops in plain doubles for
// alignment, uniformity and the cosine pairs, and a standard deviation worked out by hand.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "core/analysis/representation_health.h"

namespace an = can::analysis;

namespace {

using Rows = std::vector<std::vector<double>>;

Rows rows_of(const torch::Tensor& t) {
  auto d = t.to(torch::kFloat64).contiguous();
  Rows r(static_cast<size_t>(d.size(0)));
  for (int64_t i = 0; i < d.size(0); ++i) r[i].assign(d[i].data_ptr<double>(), d[i].data_ptr<double>() + d.size(1));
  return r;
}

double sq_dist(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t k = 0; k < a.size(); ++k) s += (a[k] - b[k]) * (a[k] - b[k]);
  return s;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t k = 0; k < a.size(); ++k) s += a[k] * b[k];
  return s;
}

torch::Tensor unit_rows(int64_t n, int64_t r, uint64_t seed) {
  torch::manual_seed(seed);
  auto x = torch::randn({n, r}, torch::kFloat64);
  return x / x.norm(2, 1, true);
}

// An [n, r] matrix with the given singular values: U diag(s) V^T with orthonormal U, V.
torch::Tensor with_singular_values(int64_t n, int64_t r, const std::vector<double>& s, uint64_t seed) {
  torch::manual_seed(seed);
  const auto k = static_cast<int64_t>(s.size());
  auto u = std::get<0>(torch::linalg::qr(torch::randn({n, k}, torch::kFloat64)));
  auto v = std::get<0>(torch::linalg::qr(torch::randn({r, k}, torch::kFloat64)));
  return torch::matmul(u * torch::tensor(s, torch::kFloat64), v.t());
}

}  // namespace

class TestRepresentationHealth : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void effectiveRankOfRankK() {
    for (int64_t k : {1, 3, 5}) {
      auto u = with_singular_values(16, 8, std::vector<double>(static_cast<size_t>(k), 2.5), 10 + k);
      QVERIFY2(std::abs(an::effective_rank(u) - double(k)) < 1e-3, qPrintable(QString::number(an::effective_rank(u))));
      // Rank k after the L2 normalisation the model applies too (rows rescaled, span unchanged).
      QVERIFY(an::effective_rank(u / u.norm(2, 1, true)) <= double(k) + 1e-6);
    }
    // Unequal singular values: exp(-sum p log p) with p = s / sum(s), by hand.
    auto u = with_singular_values(16, 8, {3, 2, 1}, 7);
    const double p[] = {0.5, 1.0 / 3.0, 1.0 / 6.0};
    const double expected = std::exp(-(p[0] * std::log(p[0]) + p[1] * std::log(p[1]) + p[2] * std::log(p[2])));
    QVERIFY(std::abs(an::effective_rank(u) - expected) < 1e-9);
  }

  void alignmentAndUniformityMatchLoops() {
    const int64_t n = 6;
    auto u1 = unit_rows(n, 5, 1), u2 = unit_rows(n, 5, 2);
    auto a = rows_of(u1), b = rows_of(u2);
    double align = 0;
    for (int64_t i = 0; i < n; ++i) align += sq_dist(a[i], b[i]);
    align /= double(n);
    Rows all = a;
    all.insert(all.end(), b.begin(), b.end());
    double sum = 0;
    int64_t pairs = 0;
    for (size_t i = 0; i < all.size(); ++i)
      for (size_t j = i + 1; j < all.size(); ++j, ++pairs) sum += std::exp(-2.0 * sq_dist(all[i], all[j]));
    const double unif = std::log(sum / double(pairs));

    auto h = an::representation_health(u1.to(torch::kFloat32), u2.to(torch::kFloat32));
    QVERIFY(std::abs(an::alignment(u1, u2) - align) < 1e-12);
    QVERIFY(std::abs(an::uniformity(torch::cat({u1, u2})) - unif) < 1e-12);
    QVERIFY(std::abs(h.alignment - align) < 1e-6);  // float32 inputs
    QVERIFY(std::abs(h.uniformity - unif) < 1e-6);
  }

  void cosinePairsAndHistograms() {
    const int64_t n = 7, bins = 10;
    auto u1 = unit_rows(n, 4, 3), u2 = unit_rows(n, 4, 4);
    auto a = rows_of(u1), b = rows_of(u2);
    double pos = 0, neg = 0;
    std::vector<int64_t> neg_counts(bins, 0);
    int64_t neg_pairs = 0;
    for (int64_t i = 0; i < n; ++i) pos += dot(a[i], b[i]);
    Rows all = a;
    all.insert(all.end(), b.begin(), b.end());
    for (int64_t i = 0; i < 2 * n; ++i)
      for (int64_t j = i + 1; j < 2 * n; ++j) {
        if (i % n == j % n) continue;  // the same image's two views: a positive pair
        const double c = dot(all[i], all[j]);
        neg += c;
        ++neg_pairs;
        ++neg_counts[static_cast<size_t>(std::min<int64_t>(bins - 1, int64_t(std::floor((c + 1) / 2 * bins))))];
      }
    auto h = an::representation_health(u1, u2, bins);
    QCOMPARE(neg_pairs, 2 * n * (n - 1));
    QCOMPARE(h.positive_cos.total(), n);
    QCOMPARE(h.negative_cos.total(), neg_pairs);
    QCOMPARE(int64_t(h.negative_cos.counts.size()), bins);
    QCOMPARE(h.negative_cos.counts, neg_counts);
    QVERIFY(std::abs(h.positive_cos_mean - pos / double(n)) < 1e-12);
    QVERIFY(std::abs(h.negative_cos_mean - neg / double(neg_pairs)) < 1e-12);
    // The end points: -1 in the first bin, +1 in the last.
    auto e = an::histogram(torch::tensor({-1.0, 1.0, 0.0}), 4);
    QCOMPARE(e.counts, (std::vector<int64_t>{1, 0, 1, 1}));
  }

  void standardDeviationByHand() {
    // Four unit vectors in R^2: every dimension takes 1, 0, -1, 0: mean 0, variance 2/4.
    auto u1 = torch::tensor({{1.0, 0.0}, {0.0, 1.0}}, torch::kFloat64);
    auto u2 = torch::tensor({{-1.0, 0.0}, {0.0, -1.0}}, torch::kFloat64);
    auto h = an::representation_health(u1, u2, 4);
    QCOMPARE(h.dim_std.size(), size_t(2));
    QVERIFY(std::abs(h.dim_std[0] - std::sqrt(0.5)) < 1e-12 && std::abs(h.dim_std[1] - std::sqrt(0.5)) < 1e-12);
    QVERIFY(std::abs(h.uniform_std - 1 / std::sqrt(2.0)) < 1e-12);
    QVERIFY(std::abs(h.std_ratio - 1.0) < 1e-12);
    QVERIFY(std::abs(h.alignment - 4.0) < 1e-12);  // each positive pair is antipodal
    QVERIFY(std::abs(h.positive_cos_mean + 1.0) < 1e-12);
    // A collapsed embedding: every vector the same, std 0, effective rank 1.
    auto same = torch::tensor({{0.6, 0.8}, {0.6, 0.8}}, torch::kFloat64);
    auto c = an::representation_health(same, same);
    QVERIFY(c.mean_dim_std < 1e-12);
    QVERIFY(std::abs(c.effective_rank - 1.0) < 1e-9);
    QCOMPARE(c.alignment, 0.0);
    QVERIFY(std::abs(c.uniformity) < 1e-12);  // every distance is 0: log mean exp(0)
  }

  void refusesBadShapes() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             an::representation_health(torch::zeros({3, 4}), torch::zeros({2, 4})));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             an::representation_health(torch::zeros({1, 4}), torch::zeros({1, 4})));
  }
};

QTEST_APPLESS_MAIN(TestRepresentationHealth)
#include "tst_representation_health.moc"
