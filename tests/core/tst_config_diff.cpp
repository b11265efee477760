// The compare view's settings table (core/experiments/config_diff): three hand-written
// configs against the rows expected by hand, and run_config_diff's errors naming the file.
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "core/experiments/config_diff.h"

namespace fs = std::filesystem;
using can::runs::DiffRow;
using nlohmann::json;

namespace {

using Values = std::vector<std::optional<std::string>>;

std::string describe(const std::vector<DiffRow>& rows) {
  std::string s;
  for (const DiffRow& r : rows) {
    s += r.key + ":";
    for (const auto& v : r.values) s += " " + v.value_or("<absent>");
    s += "\n";
  }
  return s;
}

}  // namespace

class TestConfigDiff : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void threeConfigsGiveTheRowsThatDiffer() {
    const json a = json::parse(R"({"loss": {"sigma_max": 0.25, "tau": 0.2},
                                   "train": {"betas": [0.9, 0.95], "steps": 100, "seed": 0},
                                   "data": {"dataset": "fashion-mnist", "augment": {"flip": true}}})");
    const json b = json::parse(R"({"loss": {"sigma_max": 1.0, "tau": 0.2},
                                   "train": {"betas": [0.9, 0.999], "steps": 100, "seed": 0},
                                   "data": {"dataset": "fashion-mnist", "augment": {"flip": true}}})");
    const json c = json::parse(R"({"loss": {"sigma_max": 0.25, "tau": 0.2},
                                   "train": {"betas": [0.9, 0.95], "steps": 100},
                                   "data": {"dataset": "cifar10", "augment": {"flip": true}},
                                   "extra": {"k": "v"}})");
    const auto rows = can::runs::config_diff({a, b, c});
    // By hand: sorted by dotted key, equal keys (loss.tau, train.steps, data.augment.flip) left out.
    const std::vector<DiffRow> expected = {
        {"data.dataset", Values{"\"fashion-mnist\"", "\"fashion-mnist\"", "\"cifar10\""}},
        {"extra.k", Values{std::nullopt, std::nullopt, "\"v\""}},
        {"loss.sigma_max", Values{"0.25", "1.0", "0.25"}},
        {"train.betas", Values{"[0.9,0.95]", "[0.9,0.999]", "[0.9,0.95]"}},
        {"train.seed", Values{"0", "0", std::nullopt}},
    };
    QCOMPARE(rows.size(), expected.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      QVERIFY2(rows[i].key == expected[i].key && rows[i].values == expected[i].values, describe(rows).c_str());
    }
    QVERIFY(can::runs::config_diff({a, a}).empty());
    QVERIFY(can::runs::config_diff({}).empty());
  }

  void runConfigDiffReadsTheFolders() {
    const char* env = std::getenv("CAN_TEST_TMP");
    const fs::path root = fs::path((env && *env) ? env : fs::temp_directory_path().string()) / "config_diff";
    fs::remove_all(root);
    fs::create_directories(root / "r1");
    fs::create_directories(root / "r2");
    std::ofstream(root / "r1" / "config.json") << R"({"loss": {"tau": 0.1}})";
    std::ofstream(root / "r2" / "config.json") << R"({"loss": {"tau": 0.2}})";
    const auto rows = can::runs::run_config_diff({(root / "r1").string(), (root / "r2").string()});
    QCOMPARE(rows.size(), size_t(1));
    QCOMPARE(rows[0].key, std::string("loss.tau"));
    QVERIFY(rows[0].values == (Values{"0.1", "0.2"}));
    std::ofstream(root / "r2" / "config.json") << "{";
    try {
      can::runs::run_config_diff({(root / "r1").string(), (root / "r2").string(), (root / "r3").string()});
      QFAIL("no error");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).rfind((root / "r2" / "config.json").string() + ": ", 0) == 0, e.what());
    }
  }
};

QTEST_MAIN(TestConfigDiff)
#include "tst_config_diff.moc"
