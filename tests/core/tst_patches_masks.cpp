// Patches, masks and position embeddings (docs/method.md steps 3-4).
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <cmath>
#include <set>

#include "core/model/can_model.h"
#include "core/model/patchify.h"
#include "core/model/pos_embed.h"
#include "core/model/vit.h"
#include "tiny_model.h"

class TestPatchesMasks : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void patchifyOrderIsRowColumnChannel() {
    torch::manual_seed(0);
    const int64_t p = 2, c = 3;
    auto img = torch::randn({2, c, 4, 6});
    auto x = can::patchify(img, p);  // [2, 6, 12]
    QCOMPARE(x.size(1), 6);
    for (int64_t n = 0; n < 2; ++n)
      for (int64_t gh = 0; gh < 2; ++gh)
        for (int64_t gw = 0; gw < 3; ++gw)
          for (int64_t r = 0; r < p; ++r)
            for (int64_t col = 0; col < p; ++col)
              for (int64_t ch = 0; ch < c; ++ch) {
                const float expected = img[n][ch][gh * p + r][gw * p + col].item<float>();
                const float got = x[n][gh * 3 + gw][(r * p + col) * c + ch].item<float>();
                QCOMPARE(got, expected);
              }
  }

  void unpatchifyRoundTrips() {
    auto img = torch::randn({3, 2, 12, 12});
    QVERIFY(torch::equal(can::unpatchify(can::patchify(img, 4), 4, 2), img));
    QVERIFY(torch::equal(can::unpatchify(can::patchify(img, 3), 3, 2), img));
  }

  void keepsExactlyFloorOfT() {
    QCOMPARE(can::num_keep(49, 0.5), 24);
    QCOMPARE(can::num_keep(64, 0.75), 16);
    QCOMPARE(can::num_keep(196, 0.75), 49);
    QCOMPARE(can::num_keep(49, 0.0), 49);
    QCOMPARE(can::num_keep(10, 0.33), 6);  // floor(6.7)
    auto m = can::random_masking(8, 49, 0.5, torch::kCPU);
    QVERIFY(torch::equal(m.mask.sum(1), torch::full({8}, 25.0f)));  // 49 - 24 masked per sample
    // ids_keep are exactly the unmasked positions
    for (int64_t i = 0; i < 8; ++i) {
      std::set<int64_t> kept;
      for (int64_t k = 0; k < 24; ++k) kept.insert(m.ids_keep[i][k].item<int64_t>());
      QCOMPARE(int(kept.size()), 24);
      for (int64_t t = 0; t < 49; ++t) QCOMPARE(m.mask[i][t].item<float>() == 0.f, kept.count(t) == 1);
    }
  }

  void encoderSequenceLength_data() {
    QTest::addColumn<double>("ratio");
    QTest::addColumn<bool>("classToken");
    QTest::newRow("m=0.5 cls") << 0.5 << true;
    QTest::newRow("m=0.75 cls") << 0.75 << true;
    QTest::newRow("m=0.3 no cls") << 0.3 << false;
  }
  void encoderSequenceLength() {
    QFETCH(double, ratio);
    QFETCH(bool, classToken);
    auto cfg = can::test::tiny_model_config();
    cfg.class_token = classToken;
    can::LossParams params;
    params.mask_ratio = ratio;
    can::CanModel model(cfg, can::Objectives{}, params.sigma_max);
    torch::NoGradGuard g;
    auto out = model->forward(torch::randn({4, 1, 16, 16}), torch::randn({4, 1, 16, 16}), params);
    const int64_t expected = static_cast<int64_t>(std::floor(16 * (1 - ratio))) + (classToken ? 1 : 0);
    QCOMPARE(out.z.size(1), expected);
  }

  void masksDifferBetweenSamplesAndViews() {
    can::LossParams params;
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{}, params.sigma_max);
    torch::NoGradGuard g;
    auto img = torch::randn({6, 1, 16, 16});
    auto out = model->forward(img, img, params);  // same images in both views
    std::set<std::vector<float>> distinct;
    for (int64_t i = 0; i < 12; ++i) {
      auto row = out.mask[i].contiguous();
      distinct.insert(std::vector<float>(row.data_ptr<float>(), row.data_ptr<float>() + 16));
    }
    // 12 masks of C(16, 8) = 12870 possibilities: all distinct but with vanishing odds.
    QVERIFY2(distinct.size() >= 11, qPrintable(QString("only %1 distinct masks").arg(distinct.size())));
    QVERIFY(!torch::equal(out.mask.narrow(0, 0, 6), out.mask.narrow(0, 6, 6)));
  }

  void patchEmbedEqualsTheConvolution() {
    torch::manual_seed(2);
    can::PatchEmbed pe(3, 8, 4);
    auto img = torch::randn({2, 3, 8, 8});
    auto conv = pe->proj->forward(img).flatten(2).transpose(1, 2);  // timm: [N, T, d]
    QVERIFY(torch::allclose(pe->forward(can::patchify(img, 4)), conv, 1e-5, 1e-5));
  }

  void sincosPositionEmbeddingFormula() {
    const int64_t dim = 8, grid = 3;
    auto pe = can::sincos_pos_embed_2d(dim, grid, true);  // [1 + 9, 8]
    QCOMPARE(pe.size(0), 10);
    QVERIFY(torch::equal(pe[0], torch::zeros({dim})));  // class token row
    // Patch at row 2, column 1 (index 7): first half embeds the column, second the row;
    // each half is [sin(pos*w_0), sin(pos*w_1), cos(pos*w_0), cos(pos*w_1)], w_k = 10000^(-k/2).
    const double w[2] = {1.0, 1.0 / 100.0};
    const double col = 1, row = 2;
    const double expected[8] = {std::sin(col * w[0]), std::sin(col * w[1]), std::cos(col * w[0]),
                                std::cos(col * w[1]), std::sin(row * w[0]), std::sin(row * w[1]),
                                std::cos(row * w[0]), std::cos(row * w[1])};
    for (int k = 0; k < 8; ++k) QVERIFY(std::abs(pe[1 + 7][k].item<double>() - expected[k]) < 1e-6);
  }

  void sinusoidalEmbeddingOfSigma() {
    auto e = can::sinusoidal_embedding(torch::tensor({0.0f, 500.0f}), 4);
    // w = (1, 1/100): value 500 -> sin(500), sin(5), cos(500), cos(5)
    QVERIFY(std::abs(e[1][0].item<double>() - std::sin(500.0)) < 1e-4);
    QVERIFY(std::abs(e[1][1].item<double>() - std::sin(5.0)) < 1e-6);
    QVERIFY(std::abs(e[1][3].item<double>() - std::cos(5.0)) < 1e-6);
    QVERIFY(torch::equal(e[0], torch::tensor({0.f, 0.f, 1.f, 1.f})));
  }
};

QTEST_MAIN(TestPatchesMasks)
#include "tst_patches_masks.moc"
