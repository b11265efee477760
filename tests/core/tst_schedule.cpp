// The lr schedule against its closed form worked by hand, AdamW's parameter groups by
// exact name, one optimizer step reaching every trainable parameter, and the multi-tensor
// AdamW step against LibTorch's AdamW::step() and the update formula.

#include "core/train/adamw_step.h"
#include "core/train/param_groups.h"
#include "core/train/schedule.h"
#include "core/train/trainer.h"
#include "tests/core/synthetic_dataset.h"

#include <QtTest/QtTest>

#include <set>

using namespace can;

class TestSchedule : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void warmupAndCosineMatchTheClosedForm() {
    // base 1.5e-4, batch 512 -> peak 3e-4; W = 4, S = 14, min 1e-5.
    auto s = make_lr_schedule(1.5e-4, 512, 1e-5, 4, 14);
    QCOMPARE(s.peak_lr, 3e-4);
    // Warmup: peak * (s+1)/W.
    QVERIFY(std::abs(s.lr_at(0) - 0.75e-4) < 1e-15);
    QVERIFY(std::abs(s.lr_at(1) - 1.5e-4) < 1e-15);
    QVERIFY(std::abs(s.lr_at(3) - 3e-4) < 1e-15);
    // Cosine over S - W = 10 steps: s=4 -> peak; s=9 -> halfway: (peak+min)/2;
    // s=14 (past the end) -> min. s=6: cos(pi*0.2) = 0.80901699437.
    QVERIFY(std::abs(s.lr_at(4) - 3e-4) < 1e-15);
    QVERIFY(std::abs(s.lr_at(9) - (3e-4 + 1e-5) / 2) < 1e-15);
    QVERIFY(std::abs(s.lr_at(6) - (1e-5 + 2.9e-4 * 0.5 * (1 + 0.80901699437494745))) < 1e-15);
    QVERIFY(std::abs(s.lr_at(14) - 1e-5) < 1e-15);
  }

  void noWarmup() {
    auto s = make_lr_schedule(1e-3, 256, 0.0, 0, 4);
    QCOMPARE(s.lr_at(0), 1e-3);
    QVERIFY(std::abs(s.lr_at(2) - 0.5e-3) < 1e-15);
  }

  void decayGroupsHoldExactlyTheWeightMatrices() {
    RunConfig c = test::tiny_run_config();
    CanModel model(c.model, c.objectives, c.loss.sigma_max);
    ParamGroups g = split_param_groups(*model);
    const std::set<std::string> decay(g.decay_names.begin(), g.decay_names.end());
    const std::set<std::string> no_decay(g.no_decay_names.begin(), g.no_decay_names.end());
    // Weight matrices (and the patch conv) decay.
    for (const char* name : {"encoder.patch_embed.proj.weight", "encoder.blocks.0.attn.qkv.weight",
                             "encoder.blocks.1.mlp.fc2.weight", "projector.fc1.weight", "projector.fc2.weight",
                             "decoder.decoder_embed.weight", "decoder.decoder_pred.weight",
                             "decoder.noise_embed.fc1.weight", "decoder.decoder_blocks.0.attn.proj.weight"})
      QVERIFY2(decay.count(name), name);
    // Biases, norms and tokens do not.
    for (const char* name : {"encoder.cls_token", "decoder.mask_token", "encoder.norm.weight", "encoder.norm.bias",
                             "encoder.blocks.0.norm1.weight", "encoder.blocks.0.attn.qkv.bias",
                             "projector.fc2.bias", "decoder.decoder_norm.weight", "decoder.noise_embed.fc2.bias"})
      QVERIFY2(no_decay.count(name), name);
    // Fixed sin-cos position embeddings are not trainable, so in neither group.
    for (const char* name : {"encoder.pos_embed", "decoder.decoder_pos_embed"}) {
      QVERIFY2(!decay.count(name) && !no_decay.count(name), name);
    }
    // Exactly the matrices decay: every decay param is >= 2-D and not a token.
    for (size_t i = 0; i < g.decay.size(); ++i) QVERIFY(g.decay[i].dim() >= 2);
    for (size_t i = 0; i < g.no_decay.size(); ++i)
      QVERIFY(g.no_decay[i].dim() <= 1 || g.no_decay_names[i].find("token") != std::string::npos);
    // Together they are every trainable parameter.
    size_t trainable = 0;
    for (const auto& p : model->parameters()) trainable += p.requires_grad() ? 1 : 0;
    QCOMPARE(decay.size() + no_decay.size(), trainable);
  }

  void optimizerGroupsCarryTheirWeightDecay() {
    RunConfig c = test::tiny_run_config();
    CanModel model(c.model, c.objectives, c.loss.sigma_max);
    auto opt = make_adamw(split_param_groups(*model), 0.05, 0.9, 0.95);
    QCOMPARE(opt->param_groups().size(), size_t(2));
    auto& o0 = static_cast<torch::optim::AdamWOptions&>(opt->param_groups()[0].options());
    auto& o1 = static_cast<torch::optim::AdamWOptions&>(opt->param_groups()[1].options());
    QCOMPARE(o0.weight_decay(), 0.05);
    QCOMPARE(o1.weight_decay(), 0.0);
    QCOMPARE(std::get<1>(o0.betas()), 0.95);
  }

  void everyTrainableParameterMovesInOneStep() {
    RunConfig c = test::tiny_run_config();
    c.train.steps = 1;
    c.train.warmup_steps = 0;
    Trainer trainer(c, "", std::make_shared<test::SyntheticDataset>(32));
    std::map<std::string, torch::Tensor> before;
    for (const auto& p : trainer.model()->named_parameters())
      if (p.value().requires_grad()) before[p.key()] = p.value().detach().clone();
    // Projector and the noise-level MLP are in the optimizer.
    std::set<torch::TensorImpl*> in_opt;
    for (const auto& g : trainer.optimizer().param_groups())
      for (const auto& p : g.params()) in_opt.insert(p.unsafeGetTensorImpl());
    QCOMPARE(in_opt.size(), before.size());
    auto result = trainer.run();
    QCOMPARE(int(result.status), int(TrainResult::Status::Finished));
    QVERIFY(before.count("projector.fc1.weight") && before.count("decoder.noise_embed.fc1.weight"));
    for (const auto& p : trainer.model()->named_parameters()) {
      if (!p.value().requires_grad()) continue;
      QVERIFY2(in_opt.count(p.value().unsafeGetTensorImpl()), p.key().c_str());
      QVERIFY2(!torch::equal(before.at(p.key()), p.value().detach()), p.key().c_str());
    }
  }

  // adamw_step (the _foreach_ kernels) must be AdamW::step() bit for bit on the CPU: same
  // parameters, moments and step counts after several steps with two weight-decay groups.
  void foreachAdamWIsAdamWStep() {
    torch::manual_seed(2);
    std::vector<std::vector<int64_t>> shapes{{8, 4}, {4}, {3, 5, 2}, {1, 1, 6}};
    auto make = [&] {
      std::vector<torch::Tensor> decay, no_decay;
      torch::manual_seed(2);
      for (size_t i = 0; i < shapes.size(); ++i)
        (i % 2 ? no_decay : decay).push_back(torch::randn(shapes[i]).requires_grad_(true));
      ParamGroups g;
      g.decay = decay;
      g.no_decay = no_decay;
      return g;
    };
    ParamGroups a = make(), b = make();
    auto opt_a = make_adamw(a, 0.05, 0.9, 0.95), opt_b = make_adamw(b, 0.05, 0.9, 0.95);
    for (int step = 1; step <= 4; ++step) {
      set_lr(*opt_a, 1e-2 * step);
      set_lr(*opt_b, 1e-2 * step);
      for (size_t i = 0; i < 2; ++i) {
        for (auto* groups : {&a, &b}) {
          auto& list = i == 0 ? groups->decay : groups->no_decay;
          torch::manual_seed(100 * step + i);
          for (auto& p : list) p.mutable_grad() = torch::randn(p.sizes());
        }
      }
      opt_a->step();
      adamw_step(*opt_b);
      for (size_t i = 0; i < a.decay.size(); ++i) QVERIFY(torch::equal(a.decay[i], b.decay[i]));
      for (size_t i = 0; i < a.no_decay.size(); ++i) QVERIFY(torch::equal(a.no_decay[i], b.no_decay[i]));
    }
    QCOMPARE(opt_a->state().size(), opt_b->state().size());
    for (size_t i = 0; i < shapes.size(); ++i) {
      const auto& pa = i % 2 ? a.no_decay[i / 2] : a.decay[i / 2];
      const auto& pb = i % 2 ? b.no_decay[i / 2] : b.decay[i / 2];
      auto* r = adamw_state(*opt_a, pa);
      auto* s = adamw_state(*opt_b, pb);
      QVERIFY(r && s);
      QCOMPARE(s->step(), int64_t{4});
      QCOMPARE(r->step(), int64_t{4});
      QVERIFY(torch::equal(s->exp_avg(), r->exp_avg()) && torch::equal(s->exp_avg_sq(), r->exp_avg_sq()));
    }
  }

  // The first step by hand, in double: p1 = p0 (1 - lr wd) - lr * g / (|g| + eps), since
  // m_hat = g and sqrt(v_hat) = |g| at step 1.
  void foreachAdamWFirstStepByHand() {
    torch::manual_seed(5);
    auto w = torch::randn({6, 3}).requires_grad_(true);
    auto bias = torch::randn({6}).requires_grad_(true);
    ParamGroups g;
    g.decay = {w};
    g.no_decay = {bias};
    const auto w0 = w.detach().to(torch::kFloat64), b0 = bias.detach().to(torch::kFloat64);
    w.mutable_grad() = torch::randn({6, 3});
    bias.mutable_grad() = torch::randn({6});
    const auto gw = w.grad().to(torch::kFloat64), gb = bias.grad().to(torch::kFloat64);
    auto opt = make_adamw(g, 0.05, 0.9, 0.95);
    const double lr = 0.1, eps = 1e-8;
    set_lr(*opt, lr);
    adamw_step(*opt);
    auto expect_w = w0 * (1 - lr * 0.05) - lr * gw / (gw.abs() + eps);
    auto expect_b = b0 - lr * gb / (gb.abs() + eps);
    QVERIFY((w.detach().to(torch::kFloat64) - expect_w).abs().max().item<double>() < 1e-6);
    QVERIFY((bias.detach().to(torch::kFloat64) - expect_b).abs().max().item<double>() < 1e-6);
  }
};

QTEST_MAIN(TestSchedule)
#include "tst_schedule.moc"
