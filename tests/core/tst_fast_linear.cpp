// can::linear (oneDNN GEMMs on CPU when built with them) against LibTorch's own linear.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include "core/util/fast_linear.h"

class TestFastLinear : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void forwardAndGradientsMatchTorch_data() {
    QTest::addColumn<bool>("withBias");
    QTest::addColumn<bool>("threeD");
    QTest::newRow("bias 3D") << true << true;
    QTest::newRow("no bias 2D") << false << false;
  }
  void forwardAndGradientsMatchTorch() {
    QFETCH(bool, withBias);
    QFETCH(bool, threeD);
    torch::manual_seed(4);
    auto x = (threeD ? torch::randn({3, 7, 24}) : torch::randn({13, 24})).requires_grad_(true);
    auto w = torch::randn({10, 24}).requires_grad_(true);
    auto b = withBias ? torch::randn({10}).requires_grad_(true) : torch::Tensor();
    auto g = torch::randn(threeD ? std::vector<int64_t>{3, 7, 10} : std::vector<int64_t>{13, 10});

    auto y = can::linear(x, w, b);
    auto grads = torch::autograd::grad({y}, withBias ? std::vector<torch::Tensor>{x, w, b}
                                                       : std::vector<torch::Tensor>{x, w}, {g});
    // Reference: the plain definitions, y = x W^T + b, dx = g W, dW = g^T x, db = sum g.
    auto x2 = x.detach().reshape({-1, 24});
    auto g2 = g.reshape({-1, 10});
    auto y_ref = torch::matmul(x2, w.detach().t());
    if (withBias) y_ref = y_ref + b.detach();
    QVERIFY(torch::allclose(y.reshape({-1, 10}), y_ref, 1e-4, 1e-5));
    QVERIFY(torch::allclose(grads[0].reshape({-1, 24}), torch::matmul(g2, w.detach()), 1e-4, 1e-5));
    QVERIFY(torch::allclose(grads[1], torch::matmul(g2.t(), x2), 1e-4, 1e-5));
    if (withBias) QVERIFY(torch::allclose(grads[2], g2.sum(0), 1e-4, 1e-5));
  }

  void transposedAndStridedInputs() {
    // A non-contiguous input (a transposed view) gives the same result.
    torch::manual_seed(5);
    auto x = torch::randn({24, 9}).t();  // [9, 24], strides (1, 9)
    auto w = torch::randn({6, 24});
    QVERIFY(torch::allclose(can::linear(x, w, torch::Tensor()), torch::matmul(x, w.t()), 1e-4, 1e-5));
  }

  void canBeSwitchedOff() {
    can::set_fast_linear_enabled(false);
    QVERIFY(!can::fast_linear_available());
    auto x = torch::randn({4, 8}), w = torch::randn({3, 8});
    QVERIFY(torch::allclose(can::linear(x, w, torch::Tensor()), torch::matmul(x, w.t()), 1e-5, 1e-6));
    can::set_fast_linear_enabled(true);
  }
};

QTEST_MAIN(TestFastLinear)
#include "tst_fast_linear.moc"
