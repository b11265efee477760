// safetensors writer and the hostile-file reader: round trips, the exact bytes of a
// hand-built file, and one rejected corruption per rule the reader enforces.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/io/safetensors.h"

using can::io::SafetensorsError;

namespace {

std::string tmp_dir() {
  const char* env = std::getenv("CAN_TEST_TMP");
  std::string dir = (env && *env) ? env : std::filesystem::temp_directory_path().string();
  dir += "/safetensors";
  std::filesystem::create_directories(dir);
  return dir;
}

std::vector<uint8_t> le64(uint64_t v) {
  std::vector<uint8_t> b;
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return b;
}

// A file from its parts: 8-byte length (the header's own unless given), header, data.
std::vector<uint8_t> make_file(const std::string& header, size_t data_bytes, int64_t length = -1) {
  auto b = le64(length < 0 ? header.size() : static_cast<uint64_t>(length));
  b.insert(b.end(), header.begin(), header.end());
  for (size_t i = 0; i < data_bytes; ++i) b.push_back(static_cast<uint8_t>(i));
  return b;
}

void write_raw(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// The message of the SafetensorsError reading `bytes` throws ("" if none is thrown).
std::string rejection(const std::vector<uint8_t>& bytes, const std::string& path) {
  write_raw(path, bytes);
  try {
    can::io::read_safetensors(path);
  } catch (const SafetensorsError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

Q_DECLARE_METATYPE(std::vector<uint8_t>)

class TestSafetensors : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void roundTripIsIdentical() {
    torch::manual_seed(3);
    can::io::NamedTensors tensors = {
        {"blocks.0.attn.qkv.weight", torch::randn({6, 2})},
        {"scalar", torch::tensor(3.25, torch::kFloat64)},
        {"ids", torch::tensor(std::vector<int64_t>{-1, 0, int64_t{1} << 40})},
        {"half", torch::randn({2, 2}).to(torch::kHalf)},
        {"brain", torch::randn({3}).to(torch::kBFloat16)},
        {"bytes", torch::tensor({0, 7, 255}, torch::kUInt8)},
        {"flags", torch::tensor({true, false, true})},
        {"empty", torch::zeros({0, 3}, torch::kInt32)},
        {"transposed", torch::arange(6, torch::kFloat32).reshape({2, 3}).t()},  // non-contiguous
    };
    const std::map<std::string, std::string> meta = {{"format", "pt"}, {"note", "é ü"}};
    const std::string path = tmp_dir() + "/roundtrip.safetensors";
    can::io::write_safetensors(path, tensors, meta);

    auto file = can::io::read_safetensors(path);
    QCOMPARE(file.metadata, meta);
    std::vector<std::string> names;
    for (auto& [name, t] : tensors) names.push_back(name);
    QCOMPARE(file.names(), names);  // stored in the order given
    for (auto& [name, t] : tensors) {
      auto back = file.tensor(name);
      QCOMPARE(back.scalar_type(), t.scalar_type());
      QCOMPARE(back.sizes().vec(), t.sizes().vec());
      QVERIFY2(torch::equal(back, t), name.c_str());
    }
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(path).parent_path()))
      QVERIFY2(entry.path().string().rfind(path + ".tmp.", 0) != 0, "temporary file left behind");
    // The data section starts 8-byte aligned (header padded with spaces).
    QCOMPARE((std::filesystem::file_size(path) - file.data.size()) % 8, uintmax_t{0});
  }

  // Two tensors a = F32 [1, 2], b = I64 [7]: the bytes written by hand.
  void headerBytesMatchHandBuilt() {
    const std::string json =
        R"({"a":{"data_offsets":[0,8],"dtype":"F32","shape":[2]},"b":{"data_offsets":[8,16],"dtype":"I64","shape":[1]}})";
    QCOMPARE(json.size(), size_t{108});
    std::vector<uint8_t> expected = {112, 0, 0, 0, 0, 0, 0, 0};  // 108 + 4 spaces of padding
    expected.insert(expected.end(), json.begin(), json.end());
    for (int i = 0; i < 4; ++i) expected.push_back(' ');
    for (uint8_t b : {0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40}) expected.push_back(b);  // 1.0f, 2.0f
    for (uint8_t b : {7, 0, 0, 0, 0, 0, 0, 0}) expected.push_back(b);                        // 7LL
    auto got = can::io::serialize_safetensors(
        {{"a", torch::tensor({1.0f, 2.0f})}, {"b", torch::tensor(std::vector<int64_t>{7})}});
    QCOMPARE(got, expected);
    auto back = can::io::parse_safetensors(got, "mem");
    QCOMPARE(back.entry("b").begin, uint64_t{8});
    QCOMPARE(back.tensor("b").item<int64_t>(), int64_t{7});
  }

  void rejectsCorruptFiles_data() {
    QTest::addColumn<std::vector<uint8_t>>("bytes");
    QTest::addColumn<QString>("problem");
    const std::string ok = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    const auto valid = make_file(ok, 8);
    QTest::newRow("empty file") << std::vector<uint8_t>{} << "too small";
    QTest::newRow("truncated length") << std::vector<uint8_t>{8, 0, 0, 0, 0} << "too small";
    QTest::newRow("header length larger than file") << make_file(ok, 8, 1000) << "larger than";
    QTest::newRow("header length 2^62") << make_file(ok, 8, int64_t{1} << 62) << "larger than";
    QTest::newRow("truncated data") << std::vector<uint8_t>(valid.begin(), valid.end() - 3) << "out of range";
    QTest::newRow("invalid JSON") << make_file(R"({"a":{"dtype":"F32",)", 8) << "not valid JSON";
    QTest::newRow("not UTF-8") << make_file("{\"\xff\":1}", 0) << "not valid JSON";
    QTest::newRow("not an object") << make_file("[1, 2]", 0) << "not a JSON object";
    QTest::newRow("offsets out of range")
        << make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 4) << "out of range";
    QTest::newRow("overlapping tensors")
        << make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12)
        << "overlap";
    QTest::newRow("shape/offset mismatch")
        << make_file(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8) << "does not match";
    QTest::newRow("unknown dtype")
        << make_file(R"({"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}})", 8) << "unknown dtype";
    QTest::newRow("bytes not covered at end")
        << make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 12) << "not covered";
    QTest::newRow("bytes not covered at start")
        << make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12) << "not covered";
    QTest::newRow("begin after end")
        << make_file(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", 8) << "> end";
    QTest::newRow("negative dimension")
        << make_file(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8) << "negative";
    QTest::newRow("fractional dimension")
        << make_file(R"({"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})", 8) << "non-negative integer";
    QTest::newRow("shape overflows")
        << make_file(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,2],"data_offsets":[0,8]}})", 8) << "overflows";
    QTest::newRow("bytes overflow")
        << make_file(R"({"a":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,8]}})", 8) << "overflows";
    QTest::newRow("duplicate names")
        << make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8)
        << "duplicate";
    QTest::newRow("missing field") << make_file(R"({"a":{"shape":[2],"data_offsets":[0,8]}})", 8) << "needs dtype";
    QTest::newRow("unknown field")
        << make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}})", 8) << "unknown field";
    QTest::newRow("offsets not a pair")
        << make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", 8) << "data_offsets";
    QTest::newRow("metadata not strings")
        << make_file(R"({"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 8)
        << "not a string";
    QTest::newRow("empty name") << make_file(R"({"":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 8) << "empty tensor name";
    // A shape nested 100,000 levels deep: the message that rejected it dumped it whole,
    // recursively, and overflowed the stack. Refused at level 65 while parsing.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    QTest::newRow("shape nested 100000 deep")
        << make_file("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + deep + "],\"data_offsets\":[0,8]}}", 8)
        << "header: nests arrays and objects more than 64 levels deep";
    // 62 levels pass the parser; the dimension is then quoted by its first 40 characters.
    const std::string d60 = std::string(60, '[') + std::string(60, ']');
    QTest::newRow("shape nested 63 deep")
        << make_file("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + d60 + "],\"data_offsets\":[0,8]}}", 8)
        << "shape[0] is not a non-negative integer (" + QString(40, '[') + "...)";
    // Found by fuzz/fuzz_safetensors: nlohmann's out_of_range 406 escaped the reader.
    QTest::newRow("number beyond a double")
        << make_file("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + std::string(1000, '7') + "e999],\"data_offsets\":[0,8]}}", 8)
        << "header: not valid JSON here (a number too large for a double)";
    QTest::newRow("long string dimension")
        << make_file("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"" + std::string(100000, 'x') + "\"],\"data_offsets\":[0,8]}}", 8)
        << "shape[0] is not a non-negative integer (\"" + QString(39, 'x') + "...)";
  }
  void rejectsCorruptFiles() {
    QFETCH(std::vector<uint8_t>, bytes);
    QFETCH(QString, problem);
    const std::string path = tmp_dir() + "/corrupt.safetensors";
    const std::string msg = rejection(bytes, path);
    QVERIFY2(msg.find(problem.toStdString()) != std::string::npos, msg.c_str());
    QVERIFY2(msg.size() < path.size() + 200, msg.c_str());  // a message, never a dump of the header
    QVERIFY2(msg.find(path) != std::string::npos, msg.c_str());  // names the file
  }

  void rejectsMissingFile() {
    QVERIFY_THROWS_EXCEPTION(SafetensorsError, can::io::read_safetensors(tmp_dir() + "/does-not-exist"));
  }

  // Every truncation and every single-byte corruption of a valid file is either read or
  // rejected with SafetensorsError: nothing else escapes, nothing crashes.
  void survivesEveryTruncationAndByteFlip() {
    auto good = can::io::serialize_safetensors(
        {{"w", torch::arange(6, torch::kFloat32).reshape({2, 3})}, {"b", torch::tensor({1, 2}, torch::kInt64)}},
        {{"format", "pt"}});
    for (size_t n = 0; n < good.size(); ++n) {
      std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
      QVERIFY_THROWS_EXCEPTION(SafetensorsError, can::io::parse_safetensors(cut, "cut"));
    }
    const uint8_t replacements[] = {0, '"', '}', ']', '-', '9', 0xff};
    const size_t header_end = 8 + (good[0] | (good[1] << 8));
    for (size_t i = 0; i < header_end; ++i)
      for (uint8_t r : replacements) {
        auto bad = good;
        bad[i] = r;
        try {
          auto f = can::io::parse_safetensors(bad, "flip");
          for (auto& e : f.entries) f.tensor(e.name);
        } catch (const SafetensorsError&) {
        }
      }
  }

  void writerRejectsBadInput() {
    auto t = torch::zeros({1});
    QVERIFY_THROWS_EXCEPTION(SafetensorsError, can::io::serialize_safetensors({{"a", t}, {"a", t}}));
    QVERIFY_THROWS_EXCEPTION(SafetensorsError, can::io::serialize_safetensors({{"__metadata__", t}}));
    QVERIFY_THROWS_EXCEPTION(SafetensorsError, can::io::serialize_safetensors({{"", t}}));
    QVERIFY_THROWS_EXCEPTION(SafetensorsError,
                             can::io::serialize_safetensors({{"c", torch::zeros({1}, torch::kComplexFloat)}}));
  }

  // A failed write leaves the previous file as it was.
  void failedWriteKeepsPreviousFile() {
    const std::string path = tmp_dir() + "/keep.safetensors";
    can::io::write_safetensors(path, {{"a", torch::ones({2})}});
    QVERIFY_THROWS_EXCEPTION(SafetensorsError, can::io::write_safetensors(path, {{"a", torch::ones({2})}, {"a", torch::ones({1})}}));
    QVERIFY_THROWS_EXCEPTION(SafetensorsError, can::io::write_safetensors(tmp_dir() + "/no/such/dir/x.safetensors", {{"a", torch::ones({2})}}));
    QVERIFY(torch::equal(can::io::load_safetensors(path).at("a"), torch::ones({2})));
  }
};

QTEST_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
