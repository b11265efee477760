// InfoNCE (docs/method.md step 5) against a naive double loop and a hand-computed case.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <cmath>

#include "core/objectives/info_nce.h"
#include "core/util/autocast.h"

namespace {

// The spec's formula written as loops, in double precision.
double naive_info_nce(const torch::Tensor& u1_in, const torch::Tensor& u2_in, double tau) {
  auto u1 = u1_in.to(torch::kFloat64), u2 = u2_in.to(torch::kFloat64);
  const int64_t n = u1.size(0);
  auto dot = [](const torch::Tensor& a, const torch::Tensor& b) { return (a * b).sum().item<double>(); };
  const torch::Tensor views[2] = {u1, u2};
  double total = 0.0;
  for (int v = 0; v < 2; ++v) {
    for (int64_t i = 0; i < n; ++i) {
      auto anchor = views[v][i];
      const double pos = std::exp(dot(u1[i], u2[i]) / tau);
      double denom = pos;
      for (int64_t j = 0; j < n; ++j) {
        if (j == i) continue;  // negatives: both views of every other image (2n - 2)
        denom += std::exp(dot(anchor, u1[j]) / tau);
        denom += std::exp(dot(anchor, u2[j]) / tau);
      }
      total += -std::log(pos / denom);
    }
  }
  return total / (2.0 * n);
}

torch::Tensor unit_rows(torch::Tensor x) { return x / x.norm(2, 1, true); }

}  // namespace

class TestInfoNce : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void matchesNaiveLoop_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("r");
    QTest::addColumn<double>("tau");
    QTest::newRow("n2 r4 tau0.1") << 2 << 4 << 0.1;
    QTest::newRow("n5 r8 tau0.5") << 5 << 8 << 0.5;
    QTest::newRow("n16 r32 tau0.07") << 16 << 32 << 0.07;
  }
  void matchesNaiveLoop() {
    QFETCH(int, n);
    QFETCH(int, r);
    QFETCH(double, tau);
    torch::manual_seed(n * 100 + r);
    auto u1 = unit_rows(torch::randn({n, r}));
    auto u2 = unit_rows(torch::randn({n, r}));
    const double expected = naive_info_nce(u1, u2, tau);
    const double got = can::info_nce(u1, u2, tau).item<double>();
    QVERIFY2(std::abs(got - expected) < 1e-4 * std::max(1.0, std::abs(expected)),
             qPrintable(QString("got %1 expected %2").arg(got).arg(expected)));
  }

  void handComputedTwoImages() {
    // Image 1: a = (1, 0), a' = (0.6, 0.8); image 2: b = (0, 1), b' = (0.8, 0.6); tau = 1.
    // Dot products: a.a' = 0.6, b.b' = 0.6, a.b = 0, a.b' = 0.8, a'.b = 0.8, a'.b' = 0.96.
    // Anchors a and b: -log(e^.6 / (e^.6 + e^0 + e^.8)) = log(5.0476597) - 0.6 = 1.0189247
    // Anchors a' and b': -log(e^.6 / (e^.6 + e^.8 + e^.96)) = log(6.6593562) - 0.6 = 1.2960228
    // L = (2 * 1.0189247 + 2 * 1.2960228) / 4 = 1.1574738
    auto u1 = torch::tensor({1.0f, 0.0f, 0.0f, 1.0f}).view({2, 2});  // a, b
    auto u2 = torch::tensor({0.6f, 0.8f, 0.8f, 0.6f}).view({2, 2});  // a', b'
    QCOMPARE(std::round(can::info_nce(u1, u2, 1.0).item<double>() * 1e5) / 1e5, 1.15747);
  }

  void gradientMatchesNaiveFiniteDifference() {
    // The loss is differentiable through the -inf diagonal (no NaN gradients).
    torch::manual_seed(3);
    auto u1 = unit_rows(torch::randn({4, 6})).requires_grad_(true);
    auto u2 = unit_rows(torch::randn({4, 6})).detach();
    can::info_nce(u1, u2, 0.2).backward();
    QVERIFY(torch::isfinite(u1.grad()).all().item<bool>());
    const double h = 1e-3;
    auto bumped = u1.detach().clone();
    bumped[1][2] += h;
    const double fd = (naive_info_nce(bumped, u2, 0.2) - naive_info_nce(u1.detach(), u2, 0.2)) / h;
    QVERIFY2(std::abs(fd - u1.grad()[1][2].item<double>()) < 1e-2,
             qPrintable(QString("fd %1 autograd %2").arg(fd).arg(u1.grad()[1][2].item<double>())));
  }

  void top1CountsPositivesFoundFirst() {
    // Views identical: every anchor's nearest other embedding is its positive.
    auto u = unit_rows(torch::eye(3));
    QCOMPARE(can::info_nce_top1(u, u), 1.0);
    // Swap image 0's and 1's second views: anchors 0, 1 and their second views miss (4 of 6).
    auto swapped = u.index_select(0, torch::tensor({1, 0, 2}));
    QCOMPARE(can::info_nce_top1(u, swapped), 2.0 / 6.0);
  }

  // Under bf16 autocast (train.precision = bf16) the logits u u^T / tau must still be float32:
  // a bf16 matmul rounds logits near 1/tau = 10 to steps of 0.06, which moves the loss by
  // ~1e-3 here. The value must equal the float32 one and the double-precision naive loop.
  void bf16AutocastKeepsFloat32Logits() {
    torch::manual_seed(3);
    auto u1 = unit_rows(torch::randn({32, 16})), u2 = unit_rows(torch::randn({32, 16}));
    const double fp32 = can::info_nce(u1, u2, 0.1).item<double>();
    double under_autocast = 0.0;
    {
      can::AutocastScope bf16(c10::DeviceType::CPU, true);
      QVERIFY(can::autocast_enabled(c10::DeviceType::CPU));
      auto loss = can::info_nce(u1, u2, 0.1);
      QCOMPARE(loss.scalar_type(), torch::kFloat32);
      under_autocast = loss.item<double>();
    }
    QVERIFY(!can::autocast_enabled(c10::DeviceType::CPU));  // the scope restored the state
    QVERIFY2(std::abs(under_autocast - fp32) <= 1e-5,
             qPrintable(QString("autocast %1 vs fp32 %2").arg(under_autocast, 0, 'g', 10).arg(fp32, 0, 'g', 10)));
    QVERIFY(std::abs(under_autocast - naive_info_nce(u1, u2, 0.1)) <= 1e-5);
  }
};

QTEST_MAIN(TestInfoNce)
#include "tst_info_nce.moc"
