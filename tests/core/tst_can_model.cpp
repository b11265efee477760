// The assembled CAN model: timm names, objective switches, conditioning, gradients, learning.
#include <QtTest/QtTest>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <set>
#include <vector>

#include "core/model/can_model.h"
#include "core/model/model_copy.h"
#include "core/model/patchify.h"
#include "core/util/autocast.h"
#include "method_by_hand.h"
#include "tiny_model.h"

namespace {

std::set<std::string> names_of(const torch::nn::Module& m) {
  std::set<std::string> s;
  for (const auto& p : m.named_parameters()) s.insert(p.key());
  return s;
}

std::vector<std::vector<double>> rows_of(const torch::Tensor& t) {
  auto d = t.detach().to(torch::kFloat64).contiguous();
  std::vector<std::vector<double>> rows(d.size(0));
  for (int64_t i = 0; i < d.size(0); ++i) rows[i].assign(d[i].data_ptr<double>(), d[i].data_ptr<double>() + d.size(1));
  return rows;
}

// docs/method.md step 5 written as loops over plain numbers, in double precision: image i of
// view 1 (v1[i]) and of view 2 (v2[i]) are each other's positive; every other row of either
// view is a negative. Shares no code with core/objectives.
double naive_info_nce(const std::vector<std::vector<double>>& v1, const std::vector<std::vector<double>>& v2,
                      double tau) {
  auto dot = [](const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (size_t k = 0; k < a.size(); ++k) s += a[k] * b[k];
    return s;
  };
  const size_t n = v1.size();
  double total = 0;
  for (int v = 0; v < 2; ++v) {
    const auto& anchors = v == 0 ? v1 : v2;
    const auto& positives = v == 0 ? v2 : v1;
    for (size_t i = 0; i < n; ++i) {
      const auto& anchor = anchors[i];
      const double pos = std::exp(dot(anchor, positives[i]) / tau);
      double denom = pos;
      for (size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        denom += std::exp(dot(anchor, v1[j]) / tau) + std::exp(dot(anchor, v2[j]) / tau);
      }
      total -= std::log(pos / denom);
    }
  }
  return total / (2.0 * static_cast<double>(n));
}

}  // namespace

class TestCanModel : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void encoderHasTimmParameterNames() {
    auto cfg = can::test::tiny_model_config();
    can::VisionTransformer vit(cfg);
    std::set<std::string> expected = {"cls_token", "pos_embed", "patch_embed.proj.weight",
                                      "patch_embed.proj.bias", "norm.weight", "norm.bias"};
    for (int i = 0; i < 2; ++i) {
      for (const char* leaf : {"norm1", "attn.qkv", "attn.proj", "norm2", "mlp.fc1", "mlp.fc2"}) {
        expected.insert("blocks." + std::to_string(i) + "." + leaf + ".weight");
        expected.insert("blocks." + std::to_string(i) + "." + leaf + ".bias");
      }
    }
    QVERIFY(names_of(*vit) == expected);
    QCOMPARE(vit->pos_embed.sizes().vec(), (std::vector<int64_t>{1, 17, 32}));  // (1, 1+T, d)
    QCOMPARE(vit->blocks[0]->named_parameters()["attn.qkv.weight"].sizes().vec(),
             (std::vector<int64_t>{96, 32}));
  }

  void presetsHaveTimmSizes() {
    can::ModelConfig c;
    const std::vector<std::tuple<std::string, int64_t, int64_t, int64_t>> sizes = {
        {"tiny", 192, 12, 3}, {"small", 384, 12, 6}, {"base", 768, 12, 12},
        {"large", 1024, 24, 16}, {"huge", 1280, 32, 16}};
    for (const auto& [name, d, depth, heads] : sizes) {
      c.apply_preset(name);
      QCOMPARE(c.embed_dim, d);
      QCOMPARE(c.depth, depth);
      QCOMPARE(c.num_heads, heads);
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, c.apply_preset("gigantic"));
  }

  void impossibleConfigsNameTheKey() {
    auto c = can::test::tiny_model_config();
    c.patch_size = 5;  // does not divide 16
    try {
      c.validate();
      QFAIL("patch 5 on 16 px accepted");
    } catch (const std::invalid_argument& e) {
      QVERIFY(QString(e.what()).startsWith("model.patch_size"));
    }
    can::LossParams lp;
    lp.mask_ratio = 1.0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, lp.validate(can::Objectives{}));
  }

  void simclrBuildsNoDecoder() {
    can::Objectives o;
    can::LossParams lp;
    can::apply_mode("simclr", o, lp);
    QCOMPARE(lp.mask_ratio, 0.0);
    can::CanModel model(can::test::tiny_model_config(), o, lp.sigma_max);
    QVERIFY(!model->decoder);
    for (const auto& name : names_of(*model)) QVERIFY(name.rfind("decoder", 0) != 0);
    torch::NoGradGuard g;
    auto out = model->forward(torch::randn({3, 1, 16, 16}), torch::randn({3, 1, 16, 16}), lp);
    QVERIFY(!out.x_hat.defined());
    QCOMPARE(out.z.size(1), 17);  // m = 0: every patch plus the class token
    QCOMPARE(out.sigma.abs().sum().item<double>(), 0.0);  // N off: no noise
    // The loss is lambda_c times the doc's InfoNCE, summed by hand ("> 0" would hold for any
    // InfoNCE, right or wrong).
    const double by_hand = 0.03 * can::test::info_nce_by_hand(out.u, lp.tau);
    QVERIFY2(std::abs(out.loss.item<double>() - by_hand) <= 1e-5 * by_hand,
             qPrintable(QString("loss %1, by hand %2").arg(out.loss.item<double>()).arg(by_hand)));
  }

  void maeUsesOneViewAndNoNoiseEmbedding() {
    can::Objectives o;
    can::LossParams lp;
    can::apply_mode("mae", o, lp);
    can::CanModel model(can::test::tiny_model_config(), o, lp.sigma_max);
    QVERIFY(model->decoder && !model->decoder->noise_embed && !model->projector);
    torch::NoGradGuard g;
    auto out = model->forward(torch::randn({3, 1, 16, 16}), torch::Tensor(), lp);
    QCOMPARE(out.num_views, 1);
    QCOMPARE(out.mask.size(0), 3);
    QCOMPARE(out.mask.sum(1)[0].item<float>(), 12.f);  // 16 - floor(16 * 0.25)
    QVERIFY(std::abs(out.loss.item<double>() - 0.67 * out.loss_rec.item<double>()) < 1e-6);
    QCOMPARE(out.loss_info_nce.item<double>(), 0.0);
  }

  void sigmaConditionsTheDecoder() {
    torch::manual_seed(5);
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{}, 0.05);
    QCOMPARE(model->noise_embed_scale(), 1000.0 / 0.05);
    torch::NoGradGuard g;
    auto z = torch::randn({2, 8, 32});
    auto ids = torch::arange(8).repeat({2, 1});
    auto a = model->decoder->forward(z, ids, torch::tensor({0.0f, 0.0f}));
    auto b = model->decoder->forward(z, ids, torch::tensor({0.03f, 0.0f}));
    QVERIFY((a[0] - b[0]).abs().max().item<double>() > 1e-4);  // sample 0's sigma changed
    QVERIFY(torch::allclose(a[1], b[1]));                     // sample 1's did not
  }

  void everyLearnableParameterGetsAGradient() {
    torch::manual_seed(11);
    can::LossParams lp;
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{}, lp.sigma_max);
    auto out = model->forward(torch::randn({4, 1, 16, 16}), torch::randn({4, 1, 16, 16}), lp);
    out.loss.backward();
    int learnable = 0;
    for (const auto& p : model->named_parameters()) {
      if (!p.value().requires_grad()) {
        QVERIFY2(p.key().find("pos_embed") != std::string::npos, p.key().c_str());
        continue;
      }
      ++learnable;
      QVERIFY2(p.value().grad().defined() && p.value().grad().abs().sum().item<double>() > 0,
               p.key().c_str());
    }
    QVERIFY(learnable > 30);
  }

  // The draws seam (StepDraws): draw() takes sigma, e and the mask noise from the generator
  // in the trainer's order, and forward() with those draws is the step forward(gen) runs.
  void drawsComeInTheGeneratorOrder() {
    torch::manual_seed(21);
    can::LossParams lp;
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{}, lp.sigma_max);
    auto v1 = torch::randn({3, 1, 16, 16}), v2 = torch::randn({3, 1, 16, 16});
    auto gen = at::make_generator<at::CPUGeneratorImpl>(7);
    auto d = model->draw(3, v1.options(), gen);
    auto by_hand = at::make_generator<at::CPUGeneratorImpl>(7);
    QVERIFY(torch::equal(d.sigma_unit, at::rand({6}, by_hand)));
    QVERIFY(torch::equal(d.e, at::randn({6, 1, 16, 16}, by_hand)));
    QVERIFY(torch::equal(d.mask_noise, at::rand({6, 16}, by_hand)));

    torch::NoGradGuard no_grad;
    auto a = model->forward(v1, v2, lp, at::make_generator<at::CPUGeneratorImpl>(7));
    auto b = model->forward(v1, v2, lp, d);
    QCOMPARE(a.loss.item<double>(), b.loss.item<double>());
    QVERIFY(torch::equal(a.noise, d.e * (d.sigma_unit * lp.sigma_max).view({-1, 1, 1, 1})));
  }

  // Data-parallel InfoNCE is computed in forward(): the gather it is given supplies the
  // other processes' projections as negatives. A stand-in for rank 1 of 2 puts fixed rows
  // ahead of this process's (rank order); the term and the total must be the loss over all
  // 2 x 2n rows, computed here by loops, not the loss over this process's 2n alone.
  void forwardGathersEmbeddingsAcrossProcesses() {
    torch::manual_seed(31);
    can::LossParams lp;
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{}, lp.sigma_max);
    const int64_t n = 3, r = model->config().proj_dim;
    auto v1 = torch::randn({n, 1, 16, 16}), v2 = torch::randn({n, 1, 16, 16});
    auto d = model->draw(n, v1.options(), at::make_generator<at::CPUGeneratorImpl>(2));
    auto unit = [](torch::Tensor x) { return x / x.norm(2, 1, true); };
    const torch::Tensor other[2] = {unit(torch::randn({n, r})), unit(torch::randn({n, r}))};  // "rank 0"'s views
    std::vector<torch::Tensor> seen;
    can::EmbeddingGather gather = [&](const torch::Tensor& u_view) {
      seen.push_back(u_view.detach().clone());
      return torch::cat({other[seen.size() - 1], u_view}, 0);
    };
    auto out = model->forward(v1, v2, lp, d, gather);
    QCOMPARE(int(seen.size()), 2);  // once per view, view 1 first
    QVERIFY(torch::equal(seen[0], out.u.narrow(0, 0, n).detach()));
    QVERIFY(torch::equal(seen[1], out.u.narrow(0, n, n).detach()));

    auto mine = rows_of(out.u), g1 = rows_of(other[0]), g2 = rows_of(other[1]);
    g1.insert(g1.end(), mine.begin(), mine.begin() + n);
    g2.insert(g2.end(), mine.begin() + n, mine.end());
    const double expected = naive_info_nce(g1, g2, lp.tau);
    const double alone = naive_info_nce({mine.begin(), mine.begin() + n}, {mine.begin() + n, mine.end()}, lp.tau);
    const double got = out.loss_info_nce.item<double>();
    QVERIFY2(std::abs(got - expected) < 1e-5, qPrintable(QString("InfoNCE %1, expected %2 (this process alone: %3)")
                                                             .arg(got, 0, 'g', 9)
                                                             .arg(expected, 0, 'g', 9)
                                                             .arg(alone, 0, 'g', 9)));
    QVERIFY(std::abs(expected - alone) > 1e-2);  // the extra negatives do change the loss
    const double total = lp.lambda_c * expected + lp.lambda_a * out.loss_rec.item<double>() +
                         lp.lambda_n * out.loss_denoise.item<double>();
    QVERIFY2(std::abs(out.loss.item<double>() - total) < 1e-5, qPrintable(QString::number(out.loss.item<double>())));

    // Without a gather, the same draws give this process's loss alone.
    torch::NoGradGuard no_grad;
    QVERIFY(std::abs(model->forward(v1, v2, lp, d).loss_info_nce.item<double>() - alone) < 1e-5);
  }

  // train.precision = bf16: the noisy pixels enter the patch embedding in float32. Cast to
  // bf16 first they would be rounded by up to 2^-8 relative, ~0.008 near 2: as large as
  // small noise levels. Under autocast the embedding must equal the float32 one.
  void patchEmbeddingStaysFloat32UnderAutocast() {
    torch::manual_seed(4);
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{}, 0.05);
    torch::NoGradGuard no_grad;
    auto patches = can::patchify(1.5 + 0.01 * torch::randn({2, 1, 16, 16}), 4);
    auto fp32 = model->encoder->patch_embed->forward(patches);
    torch::Tensor mixed;
    {
      can::AutocastScope bf16(c10::DeviceType::CPU, true);
      mixed = model->encoder->patch_embed->forward(patches);
    }
    QCOMPARE(mixed.scalar_type(), torch::kFloat32);
    QVERIFY2(torch::allclose(mixed, fp32, 0, 1e-6),
             qPrintable(QString::number((mixed - fp32).abs().max().item<double>())));
  }

  // The whole step under CPU bf16 autocast stays within bf16's error of the float32 step,
  // and its losses are float32 (the reductions are not done in bf16).
  void bf16StepIsCloseToFloat32() {
    torch::manual_seed(8);
    can::LossParams lp;
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{}, lp.sigma_max);
    auto v1 = torch::randn({4, 1, 16, 16}), v2 = torch::randn({4, 1, 16, 16});
    auto d = model->draw(4, v1.options(), at::make_generator<at::CPUGeneratorImpl>(1));
    torch::NoGradGuard no_grad;
    auto fp32 = model->forward(v1, v2, lp, d);
    can::CanOutput bf16;
    {
      can::AutocastScope on(c10::DeviceType::CPU, true);
      bf16 = model->forward(v1, v2, lp, d);
    }
    for (auto [a, b] : {std::pair{fp32.loss_info_nce, bf16.loss_info_nce}, {fp32.loss_rec, bf16.loss_rec},
                        {fp32.loss_denoise, bf16.loss_denoise}}) {
      QCOMPARE(b.scalar_type(), torch::kFloat32);
      const double x = a.item<double>(), y = b.item<double>();
      QVERIFY2(std::abs(x - y) <= 2e-2 * std::max(1.0, std::abs(x)), qPrintable(QString("%1 vs %2").arg(x).arg(y)));
    }
    QVERIFY(!torch::equal(fp32.x_hat, bf16.x_hat));  // autocast did run the GEMMs in bf16
  }

  void overfitsOneBatch() {
    torch::manual_seed(123);
    can::LossParams lp;
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{}, lp.sigma_max);
    auto v1 = torch::randn({8, 1, 16, 16}), v2 = v1.flip({3});
    std::vector<torch::Tensor> learnable;
    for (auto& p : model->parameters())
      if (p.requires_grad()) learnable.push_back(p);
    torch::optim::AdamW opt(learnable, torch::optim::AdamWOptions(2e-3).weight_decay(0.0));
    // The loss on the same draws of noise and masks (a fixed generator) before and after.
    auto loss_on_fixed_draws = [&] {
      torch::NoGradGuard g;
      auto gen = at::detail::createCPUGenerator(99);
      return model->forward(v1, v2, lp, gen).loss.item<double>();
    };
    const double before = loss_on_fixed_draws();
    for (int step = 0; step < 50; ++step) {
      opt.zero_grad();
      model->forward(v1, v2, lp).loss.backward();
      opt.step();
    }
    const double after = loss_on_fixed_draws();
    QVERIFY2(after < 0.7 * before, qPrintable(QString("loss %1 -> %2").arg(before).arg(after)));
  }

  // The studio's live weights (core/model/model_copy): a copy equal to the source, sharing
  // no storage with it (a change to the source leaves it as it was), its noise scale the
  // source's even when the sigma_max it is built with differs, and building it leaves the
  // default CPU generator where it was (a copy mid-run must not change the run's draws).
  void copyIsDeepAndLeavesTheGeneratorAlone() {
    can::CanModel source(can::test::tiny_model_config(), can::Objectives{}, 0.05);
    auto generator = at::detail::getDefaultCPUGenerator();
    torch::manual_seed(7);
    const torch::Tensor expected = torch::rand({4});
    torch::manual_seed(7);
    can::CanModel copy = can::copy_model(source);
    QVERIFY(torch::equal(torch::rand({4}), expected));
    QCOMPARE(copy->noise_embed_scale(), source->noise_embed_scale());
    QVERIFY(!copy->is_training());
    const auto a = source->named_parameters(true), b = copy->named_parameters(true);
    QCOMPARE(a.size(), b.size());
    for (const auto& item : a) {
      const torch::Tensor& other = b[item.key()];
      QVERIFY(torch::equal(item.value(), other));
      QVERIFY(item.value().data_ptr() != other.data_ptr());
    }
    for (const auto& item : source->named_buffers(true))
      QVERIFY(torch::equal(item.value(), copy->named_buffers(true)[item.key()]));
    {
      torch::NoGradGuard no_grad;
      for (auto& p : source->parameters()) p.add_(1.0);
    }
    for (const auto& item : a) QVERIFY(!torch::equal(item.value(), b[item.key()]));
  }
};

QTEST_MAIN(TestCanModel)
#include "tst_can_model.moc"
