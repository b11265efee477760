// io/atomic_file: a write replaces the file whole through a temporary file (the default one
// beside it, or the one given), leaves no temporary behind, and refuses what it cannot do
// naming the path; fsync_path syncs files and directories and names what it cannot open.
#include <QtTest/QtTest>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/io/atomic_file.h"

namespace fs = std::filesystem;
using can::io::AtomicWriteOptions;
using can::io::fsync_path;
using can::io::write_file_atomic;

namespace {

std::string fresh(const std::string& name) {
  const std::string dir = qEnvironmentVariable("CAN_TEST_TMP", QDir::tempPath()).toStdString() + "/atomic_file/" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> names(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

class TestAtomicFile : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void replacesWholeAndLeavesNoTemporary() {
    const std::string dir = fresh("default");
    write_file_atomic(dir + "/a.txt", std::string("first\n"));
    write_file_atomic(dir + "/a.txt", std::string("second, longer\n"));
    QCOMPARE(read(dir + "/a.txt"), std::string("second, longer\n"));
    QCOMPARE(names(dir), std::vector<std::string>{"a.txt"});
  }

  // The temporary given is the one used: a stale one (a writer killed before its rename)
  // is overwritten and renamed away, never published as it was.
  void givenTemporaryIsUsed() {
    const std::string dir = fresh("temp_path");
    std::ofstream(dir + "/.latest.tmp") << "stale, from a killed writer";
    AtomicWriteOptions o;
    o.temp_path = dir + "/.latest.tmp";
    o.sync_directory = true;
    write_file_atomic(dir + "/latest", std::string("step_000007\n"), o);
    QCOMPARE(read(dir + "/latest"), std::string("step_000007\n"));
    QCOMPARE(names(dir), std::vector<std::string>{"latest"});
  }

  void failuresNameThePath() {
    const std::string dir = fresh("failures");
    // The target is a directory: the rename fails, the temporary is removed.
    fs::create_directories(dir + "/taken");
    const std::string e = error_of([&] { write_file_atomic(dir + "/taken", std::string("x")); });
    QVERIFY2(e.rfind(dir + "/taken: rename from ", 0) == 0, e.c_str());
    QCOMPARE(names(dir), std::vector<std::string>{"taken"});
    // A missing directory: the temporary cannot be created.
    const std::string m = error_of([&] { write_file_atomic(dir + "/missing/x", std::string("x")); });
    QVERIFY2(m.rfind(dir + "/missing/x: cannot create ", 0) == 0, m.c_str());
  }

  void fsyncOfFilesAndDirectories() {
    const std::string dir = fresh("fsync");
    write_file_atomic(dir + "/f", std::string("x"));
    fsync_path(dir + "/f");
    fsync_path(dir);
    const std::string e = error_of([&] { fsync_path(dir + "/nothing"); });
    QVERIFY2(e.rfind(dir + "/nothing: cannot open to sync: ", 0) == 0, e.c_str());
  }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomic_file.moc"
