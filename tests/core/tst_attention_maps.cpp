// Attention maps (core/analysis/attention_maps) on a tiny model: the weights the encoder
// reports reproduce its attention output (weights x V, then proj), every row sums to 1 over
// the tokens the encoder saw, and the rollout equals its formula written out by hand.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include "core/analysis/attention_maps.h"
#include "core/model/patchify.h"
#include "tiny_model.h"

namespace an = can::analysis;

namespace {

can::CanModel tiny(bool class_token) {
  auto cfg = can::test::tiny_model_config(1);
  cfg.class_token = class_token;
  torch::manual_seed(11);
  can::CanModel m(cfg, can::Objectives{}, 0.05);
  m->eval();
  return m;
}

bool close(const torch::Tensor& a, const torch::Tensor& b, double tol = 1e-5) {
  return torch::allclose(a.to(torch::kFloat64), b.to(torch::kFloat64), 0, tol);
}

}  // namespace

class TestAttentionMaps : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  void weightsReproduceTheAttentionOutput() {
    torch::NoGradGuard no_grad;
    auto m = tiny(true);
    auto& attn = m->encoder->blocks[1]->as<can::Block>()->attn;
    const int64_t n = 3, l = 9, d = 32, h = attn->num_heads, dh = d / h;
    torch::manual_seed(5);
    auto x = torch::randn({n, l, d});
    auto w = attn->weights(x);  // [N, H, L, L]
    QCOMPARE(w.sizes(), (c10::IntArrayRef{n, h, l, l}));
    // V written out from the fused qkv weights: rows [2d, 3d) of the matrix.
    auto v = torch::matmul(x, attn->qkv->weight.narrow(0, 2 * d, d).t()) + attn->qkv->bias.narrow(0, 2 * d, d);
    v = v.view({n, l, h, dh}).permute({0, 2, 1, 3});  // [N, H, L, Dh]
    auto mixed = torch::matmul(w, v).permute({0, 2, 1, 3}).reshape({n, l, d});
    auto by_hand = torch::matmul(mixed, attn->proj->weight.t()) + attn->proj->bias;
    QVERIFY(close(by_hand, attn->forward(x)));
  }

  void rowsSumToOneOverVisiblePatches() {
    torch::NoGradGuard no_grad;
    for (bool cls : {true, false}) {
      auto m = tiny(cls);
      torch::manual_seed(6);
      auto images = torch::randn({2, 1, 16, 16});
      auto mask = can::random_masking(2, 16, 0.5, torch::kCPU);
      auto a = an::encoder_attention(m, images, mask.ids_keep);
      QCOMPARE(int64_t(a.weights.size()), int64_t(2));
      const int64_t l = (cls ? 1 : 0) + 8;  // the class token and the T' = 8 visible patches
      for (const auto& w : a.weights) {
        QCOMPARE(w.size(-1), l);
        QVERIFY(close(w.sum(-1), torch::ones({2, 2, l})));
      }
      // The tokens reach every block as in forward(): the last block's weights from the
      // encoder equal those of its own input, rebuilt block by block.
      auto x = m->encoder->embed(can::patchify(images, 4), mask.ids_keep);
      x = m->encoder->blocks[0]->as<can::Block>()->forward(x);
      auto* last = m->encoder->blocks[1]->as<can::Block>();
      QVERIFY(close(a.weights[1], last->attn->weights(last->norm1->forward(x)), 1e-6));

      for (int64_t head : {-1, 0, 1}) {
        torch::Tensor self;
        auto map = an::layer_map(a, 1, head, &self);  // [N, T']
        QCOMPARE(map.size(1), int64_t(8));
        QVERIFY(close(map.sum(1), torch::ones({2})));
        // Before the class token's own weight is dropped, the query's row sums to 1.
        auto row = an::query_row(a.weights[1], head, a.prefix);
        QVERIFY(close(row.narrow(1, a.prefix, 8).sum(1) + self, torch::ones({2})));
        if (!cls) QVERIFY(close(self, torch::zeros({2})));
      }
      auto grid = an::to_grid(an::rollout_map(a), a.ids_keep, 16);
      QVERIFY(close(grid.sum(1), torch::ones({2})));
      QVERIFY(close((grid * mask.mask).sum(), torch::zeros({})));  // nothing on masked patches
    }
  }

  void rolloutMatchesTheFormula() {
    // Two layers of hand-made weights for one image, two heads, L = 3.
    auto w1 = torch::tensor({0.2, 0.3, 0.5, 0.1, 0.8, 0.1, 0.6, 0.2, 0.2,   // head 0
                             0.4, 0.4, 0.2, 0.3, 0.3, 0.4, 0.0, 0.5, 0.5},  // head 1
                            torch::kFloat64)
                  .view({1, 2, 3, 3});
    auto w2 = w1.flip(-1);
    // One layer: (mean_h W + I) / 2, entry by entry.
    auto r1 = an::rollout_matrix({w1});
    double a1[3][3];
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) {
        const double mean = (w1[0][0][i][j].item<double>() + w1[0][1][i][j].item<double>()) / 2;
        a1[i][j] = (mean + (i == j ? 1.0 : 0.0)) / 2;
        QVERIFY(std::abs(r1[0][i][j].item<double>() - a1[i][j]) < 1e-12);
      }
    // Two layers: A2 A1 as a triple loop.
    auto r2 = an::rollout_matrix({w1, w2});
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) {
        double s = 0;
        for (int k = 0; k < 3; ++k) {
          const double mean2 = (w2[0][0][i][k].item<double>() + w2[0][1][i][k].item<double>()) / 2;
          s += (mean2 + (i == k ? 1.0 : 0.0)) / 2 * a1[k][j];
        }
        QVERIFY(std::abs(r2[0][i][j].item<double>() - s) < 1e-12);
      }
    // With a class token the map is row 0 over the patch tokens, renormalised.
    an::EncoderAttention a;
    a.weights = {w1};
    a.prefix = 1;
    a.num_patches = 2;
    a.ids_keep = torch::tensor({{0, 1}}, torch::kLong);
    auto map = an::rollout_map(a);
    const double z = a1[0][1] + a1[0][2];
    QVERIFY(std::abs(map[0][0].item<double>() - a1[0][1] / z) < 1e-6);
    QVERIFY(std::abs(map[0][1].item<double>() - a1[0][2] / z) < 1e-6);
  }
};

QTEST_APPLESS_MAIN(TestAttentionMaps)
#include "tst_attention_maps.moc"
