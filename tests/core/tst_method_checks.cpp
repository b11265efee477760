// Checks that fail when the method of docs/method.md is implemented wrong: what the encoder
// sees, where the decoder puts the tokens, how the noise level conditions the decoder, and
// one overfit test per objective whose success needs that objective to be right. Expected
// values come from tests/core/method_by_hand.h (loops over single values), never from the
// function under test.
#include <QtTest/QtTest>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/model/can_model.h"
#include "method_by_hand.h"
#include "tiny_model.h"

namespace {

QString max_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return QString::number((a - b).abs().max().item<double>());
}

// The sinusoid of step 6 from its formula: [sin(v w_k), cos(v w_k)], w_k = 10000^(-k/half),
// v = scale * sigma. v is rounded to float32 as the model's float32 tensors are; with v up
// to 1000 a float32 argument is only good to ~1e-4, hence the tests' 1e-3 tolerances.
torch::Tensor sinusoid_by_hand(const torch::Tensor& sigma, double scale, int64_t dim) {
  const int64_t half = dim / 2;
  auto out = torch::zeros({sigma.size(0), dim});
  for (int64_t i = 0; i < sigma.size(0); ++i) {
    const double v = static_cast<float>(sigma[i].item<float>() * static_cast<float>(scale));
    for (int64_t k = 0; k < half; ++k) {
      const double w = std::pow(10000.0, -static_cast<double>(k) / half);
      out[i][k] = std::sin(v * w);
      out[i][half + k] = std::cos(v * w);
    }
  }
  return out;
}

// The decoder of steps 6-7 composed from its parts: the encoder tokens put back by a loop
// (x[i][ids[i][j]] = z[i][j]), [M] everywhere else, the noise-level MLP of the hand-made
// sinusoid added to every one of the T tokens (when the decoder has the MLP), then
// decoder_embed + fixed positions, the blocks, the norm and the prediction.
torch::Tensor decoder_by_hand(can::CanDecoderImpl& dec, const torch::Tensor& z, const torch::Tensor& ids,
                              const torch::Tensor& sigma, double scale) {
  const int64_t n = z.size(0), d = z.size(2), t = dec.decoder_pos_embed.size(1);
  auto x = torch::zeros({n, t, d});
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t pos = 0; pos < t; ++pos) x[i][pos] = dec.mask_token[0][0];
    for (int64_t j = 0; j < ids.size(1); ++j) x[i][ids[i][j].item<int64_t>()] = z[i][j];
  }
  if (dec.noise_embed) {
    auto& mlp = *dec.noise_embed;
    auto e = sinusoid_by_hand(sigma, scale, d);
    e = torch::relu(e.matmul(mlp.fc1->weight.t()) + mlp.fc1->bias).matmul(mlp.fc2->weight.t()) + mlp.fc2->bias;
    x = x + e.unsqueeze(1);  // every token, [M] included
  }
  x = dec.decoder_embed->forward(x) + dec.decoder_pos_embed;
  for (const auto& block : *dec.decoder_blocks) x = block->as<can::Block>()->forward(x);
  return dec.decoder_pred->forward(dec.decoder_norm->forward(x));
}

// Makes every decoder block the identity (attention and MLP outputs zero), so that each
// output token depends on its own input token only.
void make_decoder_blocks_identity(can::CanDecoderImpl& dec) {
  torch::NoGradGuard no_grad;
  for (const auto& block : *dec.decoder_blocks) {
    auto* b = block->as<can::Block>();
    for (auto* lin : {&b->attn->proj, &b->mlp->fc2}) {
      (*lin)->weight.zero_();
      (*lin)->bias.zero_();
    }
  }
}

std::vector<torch::Tensor> learnable(can::CanModel& model) {
  std::vector<torch::Tensor> out;
  for (auto& p : model->parameters())
    if (p.requires_grad()) out.push_back(p);
  return out;
}

// `steps` AdamW steps of one view's loss on fresh draws from a fixed generator (the A-alone
// and N-alone tests).
void train_one_view(can::CanModel& model, const torch::Tensor& v, const can::LossParams& lp, int steps) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
  torch::optim::AdamW opt(learnable(model), torch::optim::AdamWOptions(3e-3).weight_decay(0.0));
  for (int step = 0; step < steps; ++step) {
    opt.zero_grad();
    model->forward(v, torch::Tensor(), lp, gen).loss.backward();
    opt.step();
  }
}

}  // namespace

class TestMethodChecks : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // Steps 2-4: the encoder embeds the visible patches of clean + sigma*e. With fixed draws and
  // large noise levels, its output must be the encoder on patches cut by hand out of the
  // noisy view computed by hand, at the positions chosen by hand; the clean view must give
  // something clearly different (so the comparison can tell them apart).
  void encoderSeesTheNoisyView() {
    torch::manual_seed(31);
    can::LossParams lp;
    lp.sigma_max = 0.5;  // large noise: clean and noisy inputs give clearly different z
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{}, lp.sigma_max);
    auto v1 = torch::randn({3, 1, 16, 16}), v2 = torch::randn({3, 1, 16, 16});
    auto draws = model->draw(3, v1.options(), at::make_generator<at::CPUGeneratorImpl>(5));
    draws.sigma_unit = torch::linspace(0.4, 1.0, 6);  // sigma from 0.2 to 0.5
    torch::NoGradGuard no_grad;
    auto out = model->forward(v1, v2, lp, draws);

    auto clean = torch::cat({v1, v2});
    auto noisy = clean.clone();
    for (int64_t i = 0; i < 6; ++i) noisy[i] += lp.sigma_max * draws.sigma_unit[i].item<double>() * draws.e[i];
    auto [ids, mask] = can::test::keep_by_hand(draws.mask_noise, lp.mask_ratio);
    auto expected = model->encoder->forward(can::test::patches_by_hand(noisy, 4), ids);
    auto from_clean = model->encoder->forward(can::test::patches_by_hand(clean, 4), ids);
    QVERIFY(torch::equal(out.mask, mask));
    QVERIFY2(torch::allclose(out.z, expected, 1e-5, 1e-5),
             qPrintable("z vs encoder(noisy): " + max_diff(out.z, expected)));
    QVERIFY2((out.z - from_clean).abs().max().item<double>() > 1e-2,
             qPrintable("z vs encoder(clean): " + max_diff(out.z, from_clean)));
  }

  // Step 6: encoder token j of sample i goes back to patch position ids_keep[i][j]. A
  // hand-built shuffled ids_keep (not sorted, different per sample) and distinct tokens; the
  // expected output puts them back with a loop. MAE's decoder (no noise embedding) so that
  // only the scatter is under test.
  void decoderPutsTokensBackAtTheirPositions() {
    torch::manual_seed(32);
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{false, true, false}, 0.05);
    QVERIFY(!model->decoder->noise_embed);
    auto ids = torch::tensor({5, 0, 12, 3, 9, 14, 1, 7, 15, 2, 8, 4, 11, 6, 10, 13}, torch::kLong).view({2, 8});
    auto z = torch::randn({2, 8, 32});
    torch::NoGradGuard no_grad;
    auto got = model->decoder->forward(z, ids, torch::Tensor());
    auto expected = decoder_by_hand(*model->decoder, z, ids, torch::Tensor(), 0.0);
    QVERIFY2(torch::allclose(got, expected, 1e-5, 1e-5), qPrintable("x_hat vs by hand: " + max_diff(got, expected)));
  }

  // Step 6: the noise level enters the sinusoid as 1000 * sigma / sigma_max. The embedding
  // MLP's output and the decoder's x_hat must equal the hand-made sinusoid of that product
  // (scale written here as 1000 / 0.05, not read from the model) through the same MLP; a
  // model built with noise_embed_scale 1 and the same weights must give the x_hat computed
  // by hand with scale 1, and a different one.
  void sigmaScaleReachesTheEmbedding() {
    torch::manual_seed(33);
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{}, 0.05);
    auto cfg1 = can::test::tiny_model_config();
    cfg1.noise_embed_scale = 1.0;
    can::CanModel unscaled(cfg1, can::Objectives{}, 0.05);
    torch::NoGradGuard no_grad;
    for (auto& p : unscaled->named_parameters()) p.value().copy_(model->named_parameters()[p.key()]);

    auto sigma = torch::tensor({0.0f, 0.004f, 0.021f, 0.049f});
    auto z = torch::randn({4, 8, 32});
    auto ids = torch::stack({torch::randperm(16).narrow(0, 0, 8), torch::randperm(16).narrow(0, 0, 8),
                             torch::randperm(16).narrow(0, 0, 8), torch::randperm(16).narrow(0, 0, 8)});
    auto& mlp = *model->decoder->noise_embed;
    auto e = sinusoid_by_hand(sigma, 1000.0 / 0.05, 32);
    auto emb = torch::relu(e.matmul(mlp.fc1->weight.t()) + mlp.fc1->bias).matmul(mlp.fc2->weight.t()) + mlp.fc2->bias;
    auto got_emb = mlp.forward(sigma);
    QVERIFY2(torch::allclose(got_emb, emb, 0, 1e-3), qPrintable("embedding vs by hand: " + max_diff(got_emb, emb)));

    auto got = model->decoder->forward(z, ids, sigma);
    auto expected = decoder_by_hand(*model->decoder, z, ids, sigma, 1000.0 / 0.05);
    QVERIFY2(torch::allclose(got, expected, 0, 1e-3), qPrintable("x_hat vs by hand: " + max_diff(got, expected)));
    auto got1 = unscaled->decoder->forward(z, ids, sigma);
    auto expected1 = decoder_by_hand(*unscaled->decoder, z, ids, sigma, 1.0);
    QVERIFY2(torch::allclose(got1, expected1, 0, 1e-3),
             qPrintable("scale 1 x_hat vs by hand: " + max_diff(got1, expected1)));
    // The comparison can tell the scales apart (sigma = 0 gives the same embedding at any scale).
    QVERIFY((got.narrow(0, 1, 3) - got1.narrow(0, 1, 3)).abs().max().item<double>() > 1e-2);
  }

  // Step 6: the noise-level embedding is added to all T tokens, the [M] tokens too. With the
  // decoder blocks made the identity each output depends on its own token only, so the
  // masked positions' outputs must change with sigma, exactly as the hand composition says.
  // (Through attention they would change even if [M] never got the embedding.)
  void sigmaEmbeddingReachesTheMaskTokens() {
    torch::manual_seed(34);
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{}, 0.05);
    make_decoder_blocks_identity(*model->decoder);
    torch::NoGradGuard no_grad;
    auto z = torch::randn({2, 8, 32});
    auto ids = torch::tensor({5, 0, 12, 3, 9, 14, 1, 7, 15, 2, 8, 4, 11, 6, 10, 13}, torch::kLong).view({2, 8});
    auto masked = torch::tensor({2, 4, 6, 8, 10, 11, 13, 15, 0, 1, 3, 5, 7, 9, 12, 14}, torch::kLong).view({2, 8});
    auto at_masked = [&](const torch::Tensor& x_hat) {
      return torch::stack({x_hat[0].index({masked[0]}), x_hat[1].index({masked[1]})});
    };
    auto sigma = torch::tensor({0.03f, 0.011f});
    auto got = at_masked(model->decoder->forward(z, ids, sigma));
    auto at_zero = at_masked(model->decoder->forward(z, ids, torch::zeros({2})));
    auto expected = at_masked(decoder_by_hand(*model->decoder, z, ids, sigma, 1000.0 / 0.05));
    QVERIFY2((got - at_zero).abs().max().item<double>() > 1e-2,
             qPrintable("masked outputs moved by " + max_diff(got, at_zero) + " when sigma changed"));
    QVERIFY2(torch::allclose(got, expected, 0, 1e-3),
             qPrintable("masked outputs vs by hand: " + max_diff(got, expected)));
  }

  // C alone (SimCLR, m = 0) on views paired arbitrarily (view 2 of image i is an unrelated
  // random image): the pairing can only be learnt from the positives of step 5. After
  // training, every embedding's nearest other embedding must be its own pair's, which the
  // untrained model is far from; with wrong positives the model learns the wrong pairs.
  void contrastiveAloneLearnsThePairs() {
    torch::manual_seed(41);
    can::LossParams lp;
    lp.mask_ratio = 0.0;
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{true, false, false}, lp.sigma_max);
    auto v1 = torch::randn({8, 1, 16, 16}), v2 = torch::randn({8, 1, 16, 16});
    auto draws = model->draw(8, v1.options(), at::make_generator<at::CPUGeneratorImpl>(3));
    auto embed = [&] {
      torch::NoGradGuard no_grad;
      return model->forward(v1, v2, lp, draws);
    };
    auto untrained = embed();
    const double before = can::test::positive_top1_by_hand(untrained.u);
    torch::optim::AdamW opt(learnable(model), torch::optim::AdamWOptions(3e-3).weight_decay(0.0));
    for (int step = 0; step < 100; ++step) {
      opt.zero_grad();
      model->forward(v1, v2, lp, draws).loss.backward();
      opt.step();
    }
    const double after = can::test::positive_top1_by_hand(embed().u);
    QVERIFY2(before < 0.5 && after == 1.0, qPrintable(QString("pairs found: %1 -> %2").arg(before).arg(after)));
    // The loss that was minimised is the doc's sum, on the untrained model (loss ~ log 15,
    // where float32 is good to 1e-5 relative; after training it is ~1e-3).
    const double by_hand = can::test::info_nce_by_hand(untrained.u, lp.tau);
    QVERIFY2(std::abs(untrained.loss_info_nce.item<double>() - by_hand) < 1e-5 * by_hand,
             qPrintable(QString("InfoNCE %1, by hand %2").arg(untrained.loss_info_nce.item<double>()).arg(by_hand)));
  }

  // A alone (MAE) on images a_i * pattern + b_i with one shared pattern and very different
  // offsets b_i: the norm_pix target of a masked patch is the same for every image (its
  // position's normalised pattern patch), while the raw patch is not. Trained on fresh
  // masks, the masked patches of held-out draws must be predicted well against the target
  // built by hand; a wrong target (raw pixels, visible patches) leaves that error high.
  void reconstructionAloneLearnsTheNormalisedMaskedPatches() {
    torch::manual_seed(42);
    can::LossParams lp;
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{false, true, false}, lp.sigma_max);
    auto pattern = torch::randn({1, 1, 16, 16});
    auto v = (0.5 + 1.5 * torch::rand({8, 1, 1, 1})) * pattern + (6 * torch::rand({8, 1, 1, 1}) - 3);
    auto target = can::test::normalize_by_hand(can::test::patches_by_hand(v, 4));
    auto held_out = model->draw(8, v.options(), at::make_generator<at::CPUGeneratorImpl>(99));
    auto mask = can::test::keep_by_hand(held_out.mask_noise, lp.mask_ratio).second;
    // The error by hand on the held-out draws, and the model's own loss_rec there.
    auto error = [&] {
      torch::NoGradGuard no_grad;
      auto out = model->forward(v, torch::Tensor(), lp, held_out);
      return std::pair{can::test::masked_mse_by_hand(out.x_hat, target, mask, true), out.loss_rec.item<double>()};
    };
    const auto [before, model_loss] = error();
    train_one_view(model, v, lp, 300);
    const double after = error().first;
    QVERIFY2(before > 0.5 && after < 0.05,
             qPrintable(QString("masked-patch error by hand %1 -> %2").arg(before).arg(after)));
    // The loss that was minimised is that error (on the untrained model, where it is large).
    QVERIFY2(std::abs(model_loss - before) <= 1e-5 * before,
             qPrintable(QString("L_rec %1, by hand %2").arg(model_loss).arg(before)));
  }

  // N alone on piecewise-constant images (one value per patch) with large noise
  // (sigma_max 1): trained on fresh draws, the model must predict the noise sigma*e added
  // to the visible patches of held-out draws far better than predicting no noise does.
  // That needs the encoder to see the noisy view and the target to be sigma*e on the
  // visible patches; with e, the noisy view, or the masked patches instead it cannot.
  void denoisingAloneLearnsTheAddedNoise() {
    torch::manual_seed(43);
    can::LossParams lp;
    lp.sigma_max = 1.0;
    can::CanModel model(can::test::tiny_model_config(), can::Objectives{false, false, true}, lp.sigma_max);
    auto v = (2 * torch::rand({16, 1, 4, 4}) - 1).repeat_interleave(4, 2).repeat_interleave(4, 3);
    auto held_out = model->draw(16, v.options(), at::make_generator<at::CPUGeneratorImpl>(99));
    auto added = torch::zeros_like(v);
    for (int64_t i = 0; i < 16; ++i) added[i] = lp.sigma_max * held_out.sigma_unit[i].item<double>() * held_out.e[i];
    auto target = can::test::patches_by_hand(added, 4);
    auto mask = can::test::keep_by_hand(held_out.mask_noise, lp.mask_ratio).second;
    const double no_noise = can::test::masked_mse_by_hand(torch::zeros_like(target), target, mask, false);
    // The error by hand on the held-out draws, and the model's own loss_denoise there.
    auto error = [&] {
      torch::NoGradGuard no_grad;
      auto out = model->forward(v, torch::Tensor(), lp, held_out);
      return std::pair{can::test::masked_mse_by_hand(out.x_hat, target, mask, false), out.loss_denoise.item<double>()};
    };
    const auto [before, model_loss] = error();
    train_one_view(model, v, lp, 300);
    const double after = error().first;
    QVERIFY2(before > no_noise && after < 0.3 * no_noise,
             qPrintable(QString("visible-patch noise error by hand %1 -> %2 (predicting no noise: %3)")
                            .arg(before)
                            .arg(after)
                            .arg(no_noise)));
    QVERIFY2(std::abs(model_loss - before) <= 1e-5 * before,
             qPrintable(QString("L_denoise %1, by hand %2").arg(model_loss).arg(before)));
  }
};

QTEST_MAIN(TestMethodChecks)
#include "tst_method_checks.moc"
