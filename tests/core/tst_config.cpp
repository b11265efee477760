// RunConfig: keys by name, errors that name the key, the mode rule, JSON round trip.

#include "core/config/run_config.h"

#include <QtTest/QtTest>

#include <fstream>

using namespace can;

namespace {
// The message of the std::invalid_argument fn throws ("" when it throws none).
template <class F>
std::string error_of(F fn) {
  try {
    fn();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
bool starts_with(const std::string& s, const std::string& head) { return s.rfind(head, 0) == 0; }
std::string tmp_dir() {
  const QString dir = qEnvironmentVariable("CAN_TEST_TMP", QDir::tempPath()) + "/config";
  QDir().mkpath(dir);
  return dir.toStdString();
}
}  // namespace

class TestConfig : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void defaults() {
    RunConfig c;
    QCOMPARE(c.train.batch_size, int64_t(128));
    QCOMPARE(c.train.base_lr, 1.5e-4);
    QCOMPARE(c.train.weight_decay, 0.05);
    QCOMPARE(c.train.betas, (std::vector<double>{0.9, 0.95}));
    QCOMPARE(c.loss.mask_ratio, 0.5);
    QCOMPARE(c.loss.tau, 0.1);
    QCOMPARE(c.mode, std::string("can"));
    c.validate();
  }

  void setKeyReachesEverySection() {
    RunConfig c;
    c.set_key("loss.tau", "0.2");
    c.set_key("loss.w_infonce", "0.5");
    c.set_key("loss.norm_pix", "false");
    c.set_key("model.patch_size", "7");
    c.set_key("data.dataset", "mnist");
    c.set_key("data.path", "/data/mnist");
    c.set_key("data.augment.hflip_prob", "0");
    c.set_key("data.mean", "0.1");
    c.set_key("data.std", "[0.3]");
    c.set_key("train.batch_size", "64");
    c.set_key("train.betas", "0.8,0.99");
    c.set_key("train.device", "cpu");
    QCOMPARE(c.loss.tau, 0.2);
    QCOMPARE(c.loss.lambda_c, 0.5);
    QCOMPARE(c.loss.norm_pix, false);
    QCOMPARE(c.model.patch_size, int64_t(7));
    QCOMPARE(c.data.dataset, std::string("mnist"));
    QCOMPARE(c.data.augment.hflip_prob, 0.0);
    QCOMPARE(c.data.mean, std::vector<float>{0.1f});
    QCOMPARE(c.data.std, std::vector<float>{0.3f});
    QCOMPARE(c.train.batch_size, int64_t(64));
    QCOMPARE(c.train.betas, (std::vector<double>{0.8, 0.99}));
    c.validate();
  }

  void presetSetsSizesAndLaterKeysOverride() {
    RunConfig c;
    c.set_key("model.preset", "small");
    QCOMPARE(c.model.embed_dim, int64_t(384));
    c.set_key("model.depth", "6");
    QCOMPARE(c.model.depth, int64_t(6));
    QCOMPARE(c.model.embed_dim, int64_t(384));
  }

  void unknownKeysNameTheKey() {
    RunConfig c;
    QCOMPARE(error_of([&] { c.set_key("loss.temperature", "0.2"); }), std::string("loss.temperature: unknown key"));
    QCOMPARE(error_of([&] { c.set_key("nosuch.key", "1"); }), std::string("nosuch.key: unknown key"));
    QCOMPARE(error_of([&] { c.set_key("train", "1"); }).substr(0, 7), std::string("train: "));
    QVERIFY(starts_with(error_of([&] { c.set_key("data.augment.nope", "1"); }), "data.augment.nope: unknown key"));
    nlohmann::json j = {{"train", {{"batchsize", 3}}}};
    QCOMPARE(error_of([&] { j.get<RunConfig>(); }), std::string("train.batchsize: unknown key"));
  }

  void wrongTypesNameTheKey() {
    RunConfig c;
    QVERIFY(starts_with(error_of([&] { c.set_key("train.batch_size", "many"); }), "train.batch_size: expected an integer"));
    QVERIFY(starts_with(error_of([&] { c.set_key("train.batch_size", "2.5"); }), "train.batch_size: expected an integer"));
    QVERIFY(starts_with(error_of([&] { c.set_key("loss.norm_pix", "maybe"); }), "loss.norm_pix: expected true or false"));
    QVERIFY(starts_with(error_of([&] { c.set_key("train.seed", "-1"); }), "train.seed: must be >= 0"));
    nlohmann::json j = {{"loss", {{"tau", "hot"}}}};
    QVERIFY(starts_with(error_of([&] { j.get<RunConfig>(); }), "loss.tau: expected a number"));
  }

  void impossibleValuesNameTheKey_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("tau") << "loss.tau" << "0" << "loss.tau: must be > 0";
    QTest::newRow("mask") << "loss.mask_ratio" << "1" << "loss.mask_ratio:";
    QTest::newRow("weight") << "loss.w_rec" << "-1" << "loss.w_rec:";
    QTest::newRow("patch") << "model.patch_size" << "5" << "model.patch_size:";
    QTest::newRow("mode") << "objectives.mode" << "byol" << "objectives.mode:";
    QTest::newRow("lr") << "train.base_lr" << "0" << "train.base_lr:";
    QTest::newRow("device") << "train.device" << "tpu" << "train.device:";
    QTest::newRow("batch") << "train.batch_size" << "1" << "train.batch_size: must be >= 2 with the contrastive";
    QTest::newRow("accum") << "train.accum_steps" << "0" << "train.accum_steps:";
    QTest::newRow("betas") << "train.betas" << "0.9" << "train.betas:";
    QTest::newRow("channels") << "data.channels" << "3" << "model.in_chans:";
    QTest::newRow("dataset") << "data.dataset" << "imagenet" << "data.dataset:";
  }
  void impossibleValuesNameTheKey() {
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const std::string msg = error_of([&] {
      RunConfig c;
      c.set_key(key.toStdString(), value.toStdString());
      c.validate();
    });
    QVERIFY2(starts_with(msg, expected.toStdString()), msg.c_str());
  }

  void modeSetsObjectivesAndMaskRatio() {
    RunConfig c;
    c.set_key("objectives.mode", "mae");
    QVERIFY(!c.objectives.contrastive && c.objectives.reconstruction && !c.objectives.denoise);
    QCOMPARE(c.loss.mask_ratio, 0.75);
    c.set_key("objectives.mode", "simclr");
    QCOMPARE(c.loss.mask_ratio, 0.0);
    QVERIFY(c.objectives.contrastive && !c.objectives.needs_decoder());
    // An explicit mask ratio wins over the mode, before or after it.
    RunConfig d;
    d.set_key("loss.mask_ratio", "0.6");
    d.set_key("objectives.mode", "mae");
    QCOMPARE(d.loss.mask_ratio, 0.6);
    nlohmann::json j = {{"loss", {{"mask_ratio", 0.4}}}, {"objectives", {{"mode", "mae"}}}};
    QCOMPARE(j.get<RunConfig>().loss.mask_ratio, 0.4);
    // Changing an objective flag makes the mode custom.
    RunConfig e;
    e.set_key("objectives.denoise", "false");
    QCOMPARE(e.mode, std::string("custom"));
    QVERIFY(e.objectives.contrastive && e.objectives.reconstruction && !e.objectives.denoise);
  }

  void jsonRoundTrip() {
    RunConfig c;
    c.set_key("objectives.mode", "mae");
    c.set_key("loss.sigma_max", "0.1");
    c.set_key("model.preset", "small");
    c.set_key("data.augment.preset", "mae");
    c.set_key("train.steps", "123");
    c.set_key("train.seed", "42");
    const std::string path = tmp_dir() + "/tst_config.json";
    save_run_config_file(c, path);
    RunConfig back = load_run_config_file(path);
    QCOMPARE(nlohmann::json(back).dump(), nlohmann::json(c).dump());
    QCOMPARE(back.mode, std::string("mae"));
    QCOMPARE(back.loss.mask_ratio, 0.75);
    QCOMPARE(back.train.seed, uint64_t(42));
  }

  void badFileNamesTheFile() {
    const std::string path = tmp_dir() + "/bad.json";
    std::ofstream(path) << "{ not json";
    QVERIFY(starts_with(error_of([&] { load_run_config_file(path); }), path + ": not valid JSON"));
    QVERIFY(starts_with(error_of([&] { load_run_config_file(path + ".missing"); }), path + ".missing: cannot open"));
  }
};

QTEST_MAIN(TestConfig)
#include "tst_config.moc"
