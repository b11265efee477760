// RunConfig: keys by name, errors that name the key, the mode rule, JSON round trip.

#include "core/config/run_config.h"
#include "core/config/settings_schema.h"

#include <QtTest/QtTest>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "core/util/json_limits.h"

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
std::string write_file(const std::string& name, const std::string& text) {
  const QString dir = qEnvironmentVariable("CAN_TEST_TMP", QDir::tempPath()) + "/config";
  QDir().mkpath(dir);
  const std::string path = dir.toStdString() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}
// A config whose model.img_size is `arrays` arrays nested in each other: the file nests
// arrays + 2 levels (the root object and "model").
std::string nested_img_size(size_t arrays) {
  return R"({"model": {"img_size": )" + std::string(arrays, '[') + std::string(arrays, ']') + "}}";
}
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
    // A near miss names the key meant (core/util/cli_options.h's nearest).
    QCOMPARE(error_of([&] { j.get<RunConfig>(); }),
             std::string("train.batchsize: unknown key (did you mean train.batch_size?)"));
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

  // A value nested a million levels deep crashed can-train --config (SIGSEGV: the message
  // dumped it recursively). That file (2 MB) is now refused by its size; one nested 400,000
  // levels (800 KB) by the parser at level 65, before anything deeper is built.
  void millionDeepValueIsRefused() {
    const std::string path = write_file("deep.json", nested_img_size(1000000));
    QCOMPARE(error_of([&] { load_run_config_file(path); }), path + ": larger than 1048576 bytes, the limit for a config file");
    const std::string path2 = write_file("deep400k.json", nested_img_size(400000));
    QCOMPARE(error_of([&] { load_run_config_file(path2); }),
             path2 + ": nests arrays and objects more than 64 levels deep (the limit for JSON files)");
  }

  // The limit is exactly 64 levels: 64 pass the parser (and then fail as a wrong type, the
  // value quoted by its first 40 characters), 65 are refused naming the file and the limit.
  void depthLimitIsSixtyFour() {
    const std::string at_limit = write_file("depth64.json", nested_img_size(62));
    QCOMPARE(error_of([&] { load_run_config_file(at_limit); }),
             "model.img_size: expected an integer, got " + std::string(40, '[') + "...");
    const std::string over = write_file("depth65.json", nested_img_size(63));
    QCOMPARE(error_of([&] { load_run_config_file(over); }),
             over + ": nests arrays and objects more than 64 levels deep (the limit for JSON files)");
    // The same bound through parse_json_bounded itself, on a bare array.
    const std::string a64 = std::string(64, '[') + std::string(64, ']');
    QCOMPARE(parse_json_bounded(a64.data(), a64.data() + a64.size()).dump(), a64);
    const std::string a65 = "[" + a64 + "]";
    QVERIFY_THROWS_EXCEPTION(JsonTextError, parse_json_bounded(a65.data(), a65.data() + a65.size()));
    // --set parses lists with the same bound.
    RunConfig c;
    QCOMPARE(error_of([&] { c.set_key("train.betas", std::string(100000, '[')); }),
             "train.betas: expected a list, got '" + std::string(40, '[') + "... (100000 bytes)'");
  }

  // 1 MiB is the most a config file may hold: padded with spaces to exactly that size it
  // loads, one byte more is refused before parsing.
  void sizeLimitIsOneMebibyte() {
    const std::string body = R"({"loss": {"tau": 0.25}})";
    std::string text = body + std::string(kMaxConfigFileBytes - body.size(), ' ');
    QCOMPARE(text.size(), size_t(1048576));
    const std::string ok = write_file("1mib.json", text);
    QCOMPARE(load_run_config_file(ok).loss.tau, 0.25);
    const std::string big = write_file("1mib_plus_1.json", text + " ");
    QCOMPARE(error_of([&] { load_run_config_file(big); }), big + ": larger than 1048576 bytes, the limit for a config file");
  }

  void normalConfigStillLoads() {
    const std::string path = write_file("normal.json", R"({
      "objectives": {"mode": "mae"},
      "model": {"preset": "custom", "embed_dim": 64, "depth": 3, "num_heads": 4, "img_size": 32, "patch_size": 8},
      "data": {"dataset": "folder", "path": "/data/images", "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25],
               "augment": {"preset": "mae", "hflip_prob": 0.25}},
      "train": {"batch_size": 16, "betas": [0.8, 0.9]} })");
    const RunConfig c = load_run_config_file(path);
    QCOMPARE(c.mode, std::string("mae"));
    QCOMPARE(c.loss.mask_ratio, 0.75);
    QCOMPARE(c.model.embed_dim, int64_t(64));
    QCOMPARE(c.model.img_size, int64_t(32));
    QCOMPARE(c.data.path, std::string("/data/images"));
    QCOMPARE(c.data.std, (std::vector<float>{0.25f, 0.25f, 0.25f}));
    QCOMPARE(c.data.augment.crop_scale_min, 0.2);
    QCOMPARE(c.data.augment.hflip_prob, 0.25);
    QCOMPARE(c.train.betas, (std::vector<double>{0.8, 0.9}));
    c.validate();
  }

  // A hostile value is quoted by its first 40 characters and its length, whichever module
  // writes the message (data_config, model_config, run_config) and whether it came from a
  // file or --set.
  void longBadValuesAreQuotedShort() {
    const std::string x(100000, 'x');
    const std::string x40 = std::string(40, 'x') + "... (100000 bytes)";
    const std::string quoted = "\"" + std::string(39, 'x') + "...";  // JSON text: the quote counts
    std::string ones = "1";
    for (int i = 0; i < 50; ++i) ones += ",1";
    const struct {
      std::string json, message;
    } cases[] = {
        {"{\"loss\": {\"tau\": \"" + x + "\"}}", "loss.tau: expected a number, got " + quoted},
        {"{\"train\": {\"betas\": [\"" + x + "\"]}}", "train.betas: expected a list, got [" + quoted.substr(0, 39) + "..."},
        {"{\"objectives\": {\"mode\": \"" + x + "\"}}", "objectives.mode: longer than 40 bytes: '" + x40 + "'"},
        {"{\"model\": {\"preset\": \"" + x + "\"}}", "model.preset: longer than 40 bytes: '" + x40 + "'"},
        {"{\"data\": {\"path\": \"" + x + "\"}}", "data.path: longer than 4096 bytes: '" + x40 + "'"},
        {"{\"data\": {\"" + x + "\": 1}}", "data." + std::string(35, 'x') + "... (100005 bytes): unknown key"},
        {"{\"model\": [" + ones + "]}", "model: expected an object, got " + ("[" + ones).substr(0, 40) + "..."},
    };
    for (const auto& c : cases) {
      const std::string path = write_file("long.json", c.json);
      QCOMPARE(error_of([&] { load_run_config_file(path); }), c.message);
    }
    // Not JSON: the position, not nlohmann's message (which quotes the whole last token).
    const std::string path = write_file("long.json", "{\"model\": " + x + "}");
    QCOMPARE(error_of([&] { load_run_config_file(path); }), path + ": not valid JSON (syntax error at byte 11)");
    RunConfig r;
    QCOMPARE(error_of([&] { r.set_key("train.batch_size", x); }), "train.batch_size: expected an integer, got '" + x40 + "'");
    QCOMPARE(error_of([&] { r.set_key("data.dataset", x); }), "data.dataset: longer than 40 bytes: '" + x40 + "'");
    QCOMPARE(error_of([&] { r.set_key("loss." + x, "1"); }), "loss." + std::string(35, 'x') + "... (100005 bytes): unknown key");
    // Values that are short enough still reach the module's own check, quoted whole.
    QVERIFY(starts_with(error_of([&] { r.set_key("model.preset", "enormous"); }),
                        "model.preset: unknown value 'enormous'"));
    // Programmatic configs (the studio's) never pass check_keys: validate() quotes short too.
    RunConfig p;
    p.data.dataset = x;
    QCOMPARE(error_of([&] { p.validate(); }).substr(0, 80),
             ("data.dataset: unknown value '" + x40 + "' (expected").substr(0, 80));
    p = RunConfig{};
    p.train.device = "\x1b[2J" + x;
    QVERIFY(starts_with(error_of([&] { p.validate(); }), "train.device: unknown value '\\x1b[2Jxxx"));
  }

  // clip_json never recurses through the whole value: a million-deep array (built by
  // nlohmann's iterative parser, which the limit does not guard here) is quoted safely.
  void clipHelpers() {
    const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
    const nlohmann::json j = nlohmann::json::parse(deep);
    QCOMPARE(clip_json(j), std::string(40, '[') + "...");
    QCOMPARE(clip_json(nlohmann::json{{"a", 1}}), std::string(R"({"a":1})"));
    QCOMPARE(clip_text("short"), std::string("short"));
    QCOMPARE(clip_text("tab\there\n"), std::string("tab\\there\\n"));
    // A cut never splits a UTF-8 character: 39 ASCII bytes + a 2-byte character cut after 40.
    const std::string utf8 = std::string(39, 'a') + "\xc3\xa9" + "tail";
    QCOMPARE(clip_text(utf8), std::string(39, 'a') + "... (45 bytes)");
    // Bytes that are not UTF-8 are escaped, so a message can itself be written as JSON.
    QCOMPARE(clip_text("caf\xe9 caf\xc3\xa9"), std::string("caf\\xe9 caf\xc3\xa9"));
    QVERIFY(is_utf8("") && is_utf8("caf\xc3\xa9") && is_utf8("\xf0\x9f\x98\x80") && is_utf8("\xed\x9f\xbf"));
    for (const char* bad : {"\xe9", "\xc3", "\xc0\x80", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff", "a\x80"})
      QVERIFY2(!is_utf8(bad), bad);
  }

  // Found by fuzz/fuzz_run_config: model.preset=bogus was refused, but apply_preset had
  // already stored the name, so the config kept it, passed validate() and every checkpoint
  // of the run was unloadable (or, with bytes that are not UTF-8, could not be written).
  void refusedSetKeyLeavesConfigUnchanged() {
    for (const std::string value : {"bogus", "sm\xc3" "all"}) {
      RunConfig c;
      const nlohmann::json before = c;
      QVERIFY(starts_with(error_of([&] { c.set_key("model.preset", value); }), "model.preset: "));
      QCOMPARE(c.model.preset, std::string("tiny"));
      QVERIFY(nlohmann::json(c) == before);
      c.validate();
    }
    RunConfig c;
    c.set_key("model.preset", "small");
    QVERIFY(!error_of([&] { c.set_key("data.augment.preset", "nope"); }).empty());
    QCOMPARE(c.model.preset, std::string("small"));
    QCOMPARE(c.data.augment.preset, std::string("simclr"));
  }

  // Found by fuzz/fuzz_run_config: a string that is not UTF-8 (a Linux folder name in
  // Latin-1, from --set) passed validate(), then writing config.json threw nlohmann's
  // type_error 316. Now it is refused where it enters, naming the key.
  void stringsMustBeUtf8() {
    RunConfig c;
    const std::string msg = error_of([&] { c.set_key("data.path", "/data/caf\xe9"); });
    QVERIFY2(starts_with(msg, "data.path: is not UTF-8 text: '/data/caf\\xe9' "), msg.c_str());
    QVERIFY(c.data.path.empty());
    c.data.path = "/data/caf\xe9";  // set in code: validate() catches it
    QVERIFY(starts_with(error_of([&] { c.validate(); }), "data.path: is not UTF-8 text"));
    c.data.path = "/data/caf\xc3\xa9";
    c.validate();
    const std::string path = write_file("utf8.json", nlohmann::json(c).dump(2));
    QCOMPARE(load_run_config_file(path).data.path, c.data.path);
  }

  // Found by fuzz/fuzz_run_config (UBSan): train.batch_size=77777779699999999997 parses as
  // the double 7.8e19, which check_keys took for an integer; converting it to int64 is
  // undefined behaviour. Its siblings changed values silently: an integer beyond int64
  // wrapped (warmup_steps 2^64 - 1 became -1, "use warmup_epochs"), one beyond int wrapped
  // (threads 2^32 + 1 became 1), a number beyond float became inf (data.std passed
  // validate()). Each is now refused, naming the key and the range.
  void numbersOutsideTheirFieldAreRefused() {
    QVERIFY(starts_with(error_of([] { RunConfig().set_key("train.batch_size", "77777779699999999997"); }),
                        "train.batch_size: out of range (-2^63 to 2^63 - 1), got 7.7"));
    const std::vector<std::pair<std::string, std::string>> files = {
        {R"({"train": {"batch_size": 1e19}})", "train.batch_size: out of range (-2^63 to 2^63 - 1), got 1"},
        {R"({"train": {"warmup_steps": 18446744073709551615}})",
         "train.warmup_steps: out of range (-2^63 to 2^63 - 1), got 18446744073709551615"},
        {R"({"train": {"seed": 1e20}})", "train.seed: out of range (0 to 2^64 - 1), got 1"},
        {R"({"train": {"threads": 4294967297}})", "train.threads: out of range (-2^31 to 2^31 - 1), got 4294967297"},
        {R"({"data": {"num_workers": -2147483649}})", "data.num_workers: out of range (-2^31 to 2^31 - 1)"},
        {R"({"data": {"std": [0.5, 1e300, 0.5], "mean": [0, 0, 0]}})", "data.std: out of range (a float), got [0.5,1"},
    };
    for (const auto& [text, message] : files) {
      const std::string msg = error_of([&] { parse_run_config_text(text, "f.json"); });
      QVERIFY2(starts_with(msg, message), (text + " -> " + msg).c_str());
    }
    // The edges still load.
    const RunConfig c = parse_run_config_text(
        R"({"train": {"seed": 18446744073709551615, "threads": 2147483647, "batch_size": 9.2e18},
            "data": {"std": [3.4e38], "mean": [0.5]}})", "edges.json");
    QCOMPARE(c.train.seed, std::numeric_limits<uint64_t>::max());
    QCOMPARE(c.train.threads, std::numeric_limits<int>::max());
    QCOMPARE(c.train.batch_size, int64_t(9200000000000000000));
    QVERIFY(std::isfinite(c.data.std[0]));
  }

  // Found by fuzz/fuzz_safetensors: a number beyond a double (1e999) made nlohmann throw
  // out_of_range 406, which escaped the readers (not an invalid_argument or
  // SafetensorsError) and quoted the whole number, however long.
  // The schema has one row per key of the config, no more, no fewer: a key added to a
  // struct but not to the table (or the reverse) fails here.
  void schemaListsEveryKeyOfTheConfig() {
    std::set<std::string> config_keys;
    std::function<void(const nlohmann::json&, const std::string&)> walk = [&](const nlohmann::json& j,
                                                                              const std::string& prefix) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
        if (it.value().is_object())
          walk(it.value(), key);
        else
          config_keys.insert(key);
      }
    };
    walk(nlohmann::json(RunConfig{}), "");
    std::set<std::string> schema_keys;
    for (const SettingSpec& s : settings_schema()) QVERIFY2(schema_keys.insert(s.key).second, s.key.c_str());
    std::string differ;
    for (const auto& k : config_keys)
      if (!schema_keys.count(k)) differ += " config-only:" + k;
    for (const auto& k : schema_keys)
      if (!config_keys.count(k)) differ += " schema-only:" + k;
    QVERIFY2(differ.empty(), differ.c_str());
    // Defaults come from the structs: a few read by hand from their initialisers.
    QCOMPARE(find_setting("loss.tau")->default_text, std::string("0.1"));
    QCOMPARE(find_setting("objectives.mode")->default_text, std::string("can"));
    QCOMPARE(find_setting("train.betas")->default_text, std::string("[0.9,0.95]"));
    QCOMPARE(find_setting("data.augment.random_crop")->default_text, std::string("true"));
    // The live keys are exactly those TrainerControl changes between steps (control.h).
    QVERIFY(live_setting_keys() == (std::vector<std::string>{"loss.mask_ratio", "loss.sigma_max", "loss.w_infonce",
                                                             "loss.w_rec", "loss.w_denoise"}));
    RunConfig{}.validate();  // the defaults pass their own table
  }

  // Every bound of the table is enforced by validate(), naming the key; every default lies
  // inside its range. A row whose bound is never checked fails here.
  void everySchemaRangeIsEnforced() {
    int bounds = 0;
    for (const SettingSpec& spec : settings_schema()) {
      if (spec.type == SettingType::kChoice) {
        RunConfig c;
        const std::string error = error_of([&] {
          c.set_key(spec.key, "bogus");
          c.validate();
        });
        QVERIFY2(starts_with(error, spec.key + ": unknown value 'bogus'"), (spec.key + " -> " + error).c_str());
        ++bounds;
        continue;
      }
      if (spec.type != SettingType::kInteger && spec.type != SettingType::kNumber &&
          spec.type != SettingType::kNumberList)
        continue;
      std::vector<double> outside;
      // Just outside each bound: the bound itself when open, one step beyond when closed.
      const double step = spec.type == SettingType::kInteger ? 1.0 : 1e-3;
      if (spec.min) outside.push_back(spec.min->inclusive ? spec.min->value - step : spec.min->value);
      if (spec.max) outside.push_back(spec.max->inclusive ? spec.max->value + step : spec.max->value);
      for (double v : outside) {
        RunConfig c;
        std::ostringstream text;
        text << v;
        const std::string error = error_of([&] {
          c.set_key(spec.key, text.str());
          c.validate();
        });
        QVERIFY2(starts_with(error, spec.key + ": "), (spec.key + "=" + text.str() + " -> '" + error + "'").c_str());
        ++bounds;
      }
      if (spec.type != SettingType::kNumberList)
        QVERIFY2(range_problem(spec, std::stod(spec.default_text)).empty(), spec.key.c_str());
    }
    QVERIFY(bounds > 60);  // the table has bounds at all
    // The message states the range as the table does, with its special values.
    RunConfig c;
    c.set_key("train.knn_every", "-1");
    QCOMPARE(error_of([&] { c.validate(); }), std::string("train.knn_every: must be >= 0 (0 = off), got -1"));
    c = RunConfig{};
    c.set_key("loss.mask_ratio", "1");
    QCOMPARE(error_of([&] { c.validate(); }), std::string("loss.mask_ratio: must be in [0, 1), got 1"));
  }

  // Baselines as their papers run them: the mode selects its augmentation preset unless the
  // augmentation was given; values by hand from MAE (crop scale 0.2-1, flip, no colour) and
  // SimCLR (crop 0.08-1, jitter 0.8, blur 0.5).
  void modeSelectsItsAugmentation() {
    RunConfig mae;
    mae.set_key("objectives.mode", "mae");
    QCOMPARE(mae.data.augment.preset, std::string("mae"));
    QCOMPARE(mae.data.augment.crop_scale_min, 0.2);
    QCOMPARE(mae.data.augment.jitter_prob, 0.0);
    QCOMPARE(mae.data.augment.blur_prob, 0.0);
    QCOMPARE(mae.data.augment.hflip_prob, 0.5);
    mae.set_key("objectives.mode", "simclr");
    QCOMPARE(mae.data.augment.preset, std::string("simclr"));
    QCOMPARE(mae.data.augment.crop_scale_min, 0.08);
    QCOMPARE(mae.data.augment.jitter_prob, 0.8);
    // An explicit preset, before or after the mode, wins.
    RunConfig kept;
    kept.set_key("data.augment.preset", "none");
    kept.set_key("objectives.mode", "mae");
    QCOMPARE(kept.data.augment.preset, std::string("none"));
    QCOMPARE(kept.data.augment.random_crop, false);
    // An explicit augmentation key keeps the preset the mode would replace, and its value.
    RunConfig flip;
    flip.set_key("data.augment.hflip_prob", "0");
    flip.set_key("objectives.mode", "mae");
    QCOMPARE(flip.data.augment.preset, std::string("simclr"));
    QCOMPARE(flip.data.augment.hflip_prob, 0.0);
    // In a file, the mode applies first and the file's own keys on top of it.
    nlohmann::json j = {{"objectives", {{"mode", "mae"}}}, {"data", {{"augment", {{"blur_prob", 0.25}}}}}};
    const RunConfig f = j.get<RunConfig>();
    QCOMPARE(f.data.augment.blur_prob, 0.25);
    QCOMPARE(f.loss.mask_ratio, 0.75);
    nlohmann::json k = {{"objectives", {{"mode", "mae"}}}};
    QCOMPARE(k.get<RunConfig>().data.augment.crop_scale_min, 0.2);
    // A saved config reloads as it was, whatever its mode would set.
    RunConfig saved;
    saved.set_key("objectives.mode", "mae");
    saved.set_key("data.augment.preset", "simclr");
    const RunConfig back = nlohmann::json(saved).get<RunConfig>();
    QCOMPARE(nlohmann::json(back).dump(), nlohmann::json(saved).dump());
    QCOMPARE(back.data.augment.preset, std::string("simclr"));
  }

  // docs/config.md's tables are the schema's (scripts/update-config-docs writes them).
  void docsListTheSchema() {
    const QString root = qEnvironmentVariable("CAN_SOURCE_DIR");
    if (root.isEmpty()) QSKIP("CAN_SOURCE_DIR not set (run through ctest)");
    std::ifstream f(root.toStdString() + "/docs/config.md");
    QVERIFY(f.good());
    const std::string docs((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    for (const std::string& section : schema_sections()) {
      const std::string open = "<!-- schema:" + section + " -->\n";
      const size_t at = docs.find(open);
      QVERIFY2(at != std::string::npos, ("docs/config.md has no " + open).c_str());
      const size_t from = at + open.size();
      const size_t to = docs.find("<!-- /schema -->", from);
      QVERIFY(to != std::string::npos);
      QVERIFY2(
          docs.substr(from, to - from) == config_reference_markdown(section),
          ("docs/config.md's " + section + " table differs from the schema: run scripts/update-config-docs").c_str());
    }
  }

  void numberBeyondDoubleIsRefused() {
    const std::string digits(100000, '9');
    const std::string path = write_file("huge_number.json", R"({"loss": {"tau": )" + digits + "e999}}");
    const std::string msg = error_of([&] { load_run_config_file(path); });
    QVERIFY2(starts_with(msg, path + ": not valid JSON here (a number too large for a double)"), msg.c_str());
    QVERIFY(msg.size() < path.size() + 100);
    QCOMPARE(error_of([&] { RunConfig().set_key("loss.tau", "1e999"); }),
             std::string("loss.tau: expected a number, got '1e999'"));
  }
};

QTEST_MAIN(TestConfig)
#include "tst_config.moc"
