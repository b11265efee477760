// Export (docs/method.md "Evaluation and interchange"): the encoder file holds exactly timm's
// VisionTransformer keys with timm's shapes and our values; the JSON beside it describes
// the architecture; the full-model file holds every parameter and buffer.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/io/export.h"
#include "core/io/safetensors.h"
#include "tiny_model.h"

namespace {

std::string tmp_dir() {
  const char* env = std::getenv("CAN_TEST_TMP");
  std::string dir = (env && *env) ? env : std::filesystem::temp_directory_path().string();
  dir += "/export";
  std::filesystem::create_directories(dir);
  return dir;
}

// timm's VisionTransformer(depth=2, num_classes=0, global_pool="avg", fc_norm=False)
// state_dict keys, written out from timm's module names.
std::set<std::string> timm_keys(int depth, bool class_token) {
  std::set<std::string> keys = {"pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias",
                                "norm.weight", "norm.bias"};
  if (class_token) keys.insert("cls_token");
  for (int i = 0; i < depth; ++i)
    for (const char* m : {"norm1", "attn.qkv", "attn.proj", "norm2", "mlp.fc1", "mlp.fc2"})
      for (const char* p : {"weight", "bias"})
        keys.insert("blocks." + std::to_string(i) + "." + m + "." + p);
  return keys;
}

}  // namespace

class TestExport : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  void encoderHasTimmKeysAndValues_data() {
    QTest::addColumn<bool>("class_token");
    QTest::newRow("class token") << true;
    QTest::newRow("no class token") << false;
  }
  void encoderHasTimmKeysAndValues() {
    QFETCH(bool, class_token);
    torch::manual_seed(1);
    auto cfg = can::test::tiny_model_config(1);  // d=32, depth 2, p=4, 16x16 -> T=16
    cfg.class_token = class_token;
    can::CanModel model(cfg, can::Objectives{}, 0.05);
    const std::string stem = tmp_dir() + (class_token ? "/encoder" : "/encoder_no_cls");
    const std::string path = stem + ".safetensors";
    can::io::export_encoder(model, path);

    auto file = can::io::read_safetensors(path);
    auto names = file.names();
    QCOMPARE(std::set<std::string>(names.begin(), names.end()), timm_keys(2, class_token));
    QCOMPARE(file.metadata.at("format"), std::string("pt"));
    for (auto& e : file.entries) QCOMPARE(e.dtype, std::string("F32"));

    const int64_t d = 32, tokens = 16 + (class_token ? 1 : 0);
    QCOMPARE(file.tensor("patch_embed.proj.weight").sizes().vec(), (std::vector<int64_t>{d, 1, 4, 4}));
    QCOMPARE(file.tensor("pos_embed").sizes().vec(), (std::vector<int64_t>{1, tokens, d}));
    QCOMPARE(file.tensor("blocks.1.attn.qkv.weight").sizes().vec(), (std::vector<int64_t>{3 * d, d}));
    QCOMPARE(file.tensor("blocks.0.mlp.fc1.weight").sizes().vec(), (std::vector<int64_t>{4 * d, d}));
    for (const auto& item : model->encoder->named_parameters())
      QVERIFY2(torch::equal(file.tensor(item.key()), item.value()), item.key().c_str());

    // Loading the file into a differently initialised model reproduces the features.
    torch::manual_seed(99);
    can::CanModel other(cfg, can::Objectives{}, 0.05);
    {
      torch::NoGradGuard no_grad;
      for (auto& item : other->encoder->named_parameters()) item.value().copy_(file.tensor(item.key()));
    }
    model->eval();
    other->eval();
    torch::NoGradGuard no_grad;
    auto x = torch::randn({3, 1, 16, 16});
    auto feats = model->features(x);
    QVERIFY(torch::equal(feats, other->features(x)));
    // Inputs and features for the manual cross-check against a timm-style forward in
    // Python (scripts/timm_forward_check.py).
    can::io::write_safetensors(stem + "_io.safetensors", {{"x", x}, {"features", feats}});
  }

  void architectureJsonDescribesTimmModel() {
    auto cfg = can::test::tiny_model_config(3);
    can::CanModel model(cfg, can::Objectives{}, 0.05);
    const std::string path = tmp_dir() + "/rgb_encoder.safetensors";
    can::io::export_encoder(model, path);
    QCOMPARE(can::io::architecture_json_path(path), tmp_dir() + "/rgb_encoder.json");
    std::ifstream in(tmp_dir() + "/rgb_encoder.json");
    QVERIFY(in.good());
    auto j = nlohmann::json::parse(in);
    QCOMPARE(j.at("architecture").get<std::string>(), std::string("vit_custom"));
    QCOMPARE(j.at("global_pool").get<std::string>(), std::string("avg"));
    QCOMPARE(j.at("num_classes").get<int>(), 0);
    QCOMPARE(j.at("in_chans").get<int>(), 3);
    const auto& kw = j.at("timm_create_model_kwargs");
    QCOMPARE(kw.at("embed_dim").get<int>(), 32);
    QCOMPARE(kw.at("depth").get<int>(), 2);
    QCOMPARE(kw.at("num_heads").get<int>(), 2);
    QCOMPARE(kw.at("img_size").get<int>(), 16);
    QCOMPARE(kw.at("patch_size").get<int>(), 4);
    QCOMPARE(kw.at("mlp_ratio").get<double>(), 4.0);
    QCOMPARE(kw.at("class_token").get<bool>(), true);
    QCOMPARE(kw.at("fc_norm").get<bool>(), false);  // final norm before pooling, as ours
    QCOMPARE(kw.at("global_pool").get<std::string>(), std::string("avg"));
    auto file = can::io::read_safetensors(path);
    QVERIFY(nlohmann::json::parse(file.metadata.at("can_architecture")) == j);
    QCOMPARE(file.tensor("patch_embed.proj.weight").sizes().vec(), (std::vector<int64_t>{32, 3, 4, 4}));
  }

  void fullModelHasEveryTensor() {
    torch::manual_seed(2);
    can::CanModel model(can::test::tiny_model_config(1), can::Objectives{}, 0.05);
    const std::string path = tmp_dir() + "/full.safetensors";
    can::io::export_full_model(model, path);
    auto file = can::io::read_safetensors(path);
    std::set<std::string> expected;
    for (const auto& item : model->named_parameters()) {
      expected.insert(item.key());
      QVERIFY2(torch::equal(file.tensor(item.key()), item.value()), item.key().c_str());
    }
    for (const auto& item : model->named_buffers()) {
      expected.insert(item.key());
      QVERIFY2(torch::equal(file.tensor(item.key()), item.value().to(torch::kFloat32)), item.key().c_str());
    }
    auto names = file.names();
    QCOMPARE(std::set<std::string>(names.begin(), names.end()), expected);
    QVERIFY(expected.count("encoder.blocks.1.mlp.fc2.bias"));
    QVERIFY(expected.count("projector.fc1.weight"));
    QVERIFY(expected.count("decoder.mask_token"));
    auto cfg = nlohmann::json::parse(file.metadata.at("can_model_config"));
    QCOMPARE(cfg.at("embed_dim").get<int>(), 32);
  }
};

QTEST_MAIN(TestExport)
#include "tst_export.moc"
