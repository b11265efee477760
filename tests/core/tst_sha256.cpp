// SHA-256 against known digests: NIST's examples (FIPS 180-2 appendix B and the
// SHA-256 example files: "", "abc", the 448- and 896-bit messages, a million 'a'), and
// messages whose lengths sit on the padding boundaries (55, 56, 63, 64, 65, 119, 120, 128
// bytes), digests computed with Python's hashlib (OpenSSL). Split updates give the same digest,
// and the file digest equals the in-memory one.

#include "core/util/sha256.h"

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace can;

namespace {

// Bytes i % 251 for i in [0, n): no period of 64, so a misplaced block shows.
std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(i % 251);
  return s;
}

}  // namespace

class TestSha256 : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void nistVectors_data() {
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("digest");
    QTest::newRow("empty") << QByteArray() << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QTest::newRow("abc") << QByteArray("abc") << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("448 bits") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                              << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    QTest::newRow("896 bits") << QByteArray("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
                              << "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1";
    QTest::newRow("million a") << QByteArray(1000000, 'a')
                               << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  }
  void nistVectors() {
    QFETCH(QByteArray, message);
    QFETCH(QString, digest);
    QCOMPARE(QString::fromStdString(sha256_hex(std::string_view(message.constData(), message.size()))), digest);
  }

  // The padding's edge cases: the length field fits in the last block (55), just does not
  // (56), the message fills a block exactly (64) or two (128).
  void paddingBoundaries_data() {
    QTest::addColumn<int>("length");
    QTest::addColumn<QString>("digest");
    QTest::newRow("55") << 55 << "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59";
    QTest::newRow("56") << 56 << "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562";
    QTest::newRow("63") << 63 << "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488";
    QTest::newRow("64") << 64 << "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108";
    QTest::newRow("65") << 65 << "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781";
    QTest::newRow("119") << 119 << "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6";
    QTest::newRow("120") << 120 << "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c";
    QTest::newRow("128") << 128 << "471fb943aa23c511f6f72f8d1652d9c880cfa392ad80503120547703e56a2be5";
    QTest::newRow("1000") << 1000 << "4e4c294b331f7a2099a379bec34b9f9fc03dc46ab465d998f4d683da53487e6d";
  }
  void paddingBoundaries() {
    QFETCH(int, length);
    QFETCH(QString, digest);
    QCOMPARE(QString::fromStdString(sha256_hex(pattern(static_cast<size_t>(length)))), digest);
  }

  // Any split of the message into updates (across and inside blocks) gives one digest, and
  // finish() leaves the object ready for a new message.
  void splitUpdatesAgree() {
    const std::string m = pattern(1000);
    const std::string whole = "4e4c294b331f7a2099a379bec34b9f9fc03dc46ab465d998f4d683da53487e6d";
    Sha256 h;
    for (size_t chunk : {1, 3, 63, 64, 65, 127, 500, 999}) {
      for (size_t at = 0; at < m.size(); at += chunk) h.update(m.data() + at, std::min(chunk, m.size() - at));
      QCOMPARE(to_hex(h.finish()), whole);
    }
    h.update(std::string_view("abc"));
    QCOMPARE(to_hex(h.finish()), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  }

  void fileDigestEqualsMemoryDigest() {
    const QString dir = qEnvironmentVariable("CAN_TEST_TMP", QDir::tempPath()) + "/sha256";
    QDir().mkpath(dir);
    const std::string path = (dir + "/blob").toStdString();
    const std::string m = pattern(3 * (1 << 20) + 17);  // more than one 1 MiB read, not a multiple
    std::ofstream(path, std::ios::binary) << m;
    uint64_t size = 0;
    QCOMPARE(sha256_file_hex(path, &size), sha256_hex(m));
    QCOMPARE(size, uint64_t(m.size()));
    std::ofstream(path, std::ios::binary | std::ios::trunc);
    QCOMPARE(sha256_file_hex(path, &size), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(size, uint64_t(0));
    QVERIFY_EXCEPTION_THROWN(sha256_file_hex(path + ".missing"), std::runtime_error);
  }
};

QTEST_MAIN(TestSha256)
#include "tst_sha256.moc"
