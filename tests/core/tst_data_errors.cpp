// Bad input: malformed IDX/CIFAR files and missing/empty paths are DataErrors at open
// time; unusable image files in folders are skipped by the loader and reported.
#include <filesystem>

#include <opencv2/imgcodecs.hpp>

#include "core/data/cifar_dataset.h"
#include "core/data/data_config.h"
#include "core/data/data_error.h"
#include "core/data/idx_dataset.h"
#include "core/data/image_folder_dataset.h"
#include "core/data/loader.h"
#include "data_fixtures.h"

using namespace can::data;
using namespace can_test;

class TestDataErrors : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string dir(const std::string& name) { return make_subdir(tmp_.path().toStdString(), name); }
  // Opens the IDX split in d and returns the DataError message ("" when it opened).
  static std::string idx_error(const std::string& d) {
    try {
      IdxDataset ds(d, Split::Train);
    } catch (const DataError& e) {
      return e.what();
    }
    return "";
  }
  static bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

 private Q_SLOTS:
  void idxTruncatedHeader() {
    const std::string d = dir("trunc_header");
    write_idx_split(d, "train", 4, 3, 3, false);
    auto b = idx_images(4, 3, 3);
    b.resize(9);  // magic + 5 bytes of the count
    write_bytes(d + "/train-images-idx3-ubyte", b);
    const std::string msg = idx_error(d);
    QVERIFY2(contains(msg, "train-images-idx3-ubyte") && contains(msg, "truncated header"), msg.c_str());
  }

  void idxWrongMagic() {
    const std::string d = dir("magic");
    write_idx_split(d, "train", 4, 3, 3, true);
    auto b = idx_images(4, 3, 3);
    b[3] = 0x01;  // a label file's magic where images belong
    write_gzip(d + "/train-images-idx3-ubyte.gz", b);
    const std::string msg = idx_error(d);
    QVERIFY2(contains(msg, "train-images-idx3-ubyte.gz") && contains(msg, "wrong magic number 0x00000801"), msg.c_str());
  }

  void idxCountLargerThanFile() {
    const std::string d = dir("count");
    write_idx_split(d, "train", 4, 3, 3, false);
    auto b = idx_images(4, 3, 3);
    b[7] = 200;  // header says 200 images
    write_bytes(d + "/train-images-idx3-ubyte", b);
    const std::string msg = idx_error(d);
    QVERIFY2(contains(msg, "promises 200 items") && contains(msg, "holds only 36 bytes"), msg.c_str());
    // A garbage count near 2^32 must not overflow into a pass.
    b[4] = b[5] = b[6] = b[7] = 0xFF;
    write_bytes(d + "/train-images-idx3-ubyte", b);
    QVERIFY(contains(idx_error(d), "truncated?"));
  }

  void idxLabelCountMismatchAndTruncatedGzip() {
    const std::string d = dir("labels");
    write_idx_split(d, "train", 4, 3, 3, false);
    write_bytes(d + "/train-labels-idx1-ubyte", idx_labels(3));
    QVERIFY(contains(idx_error(d), "holds 3 labels but"));
    const std::string g = dir("gz_cut");
    write_idx_split(g, "train", 50, 8, 8, true);
    auto gz = std::filesystem::path(g + "/train-images-idx3-ubyte.gz");
    std::filesystem::resize_file(gz, std::filesystem::file_size(gz) / 2);
    QVERIFY(contains(idx_error(g), "train-images-idx3-ubyte.gz"));
  }

  // An IDX file must hold exactly what its header promises, raw or gzip: trailing bytes, a
  // row count that is too small or too large, and a cut file are refused naming the file.
  void idxSizeMustMatchHeaderExactly_data() {
    QTest::addColumn<bool>("gz");
    QTest::addColumn<QString>("file");    // images or labels
    QTest::addColumn<int>("count");       // the count written into the header (true: 4)
    QTest::addColumn<int>("extra");       // bytes added (> 0) or removed (< 0) at the end
    QTest::addColumn<QString>("problem");
    for (const bool gz : {false, true}) {
      const QString k = gz ? "gzip " : "raw ";
      QTest::newRow(qPrintable(k + "exact")) << gz << "images" << 4 << 0 << "";
      QTest::newRow(qPrintable(k + "trailing bytes")) << gz << "images" << 4 << 5
          << "holds 5 bytes after the 36 its header promises (4 items): trailing bytes, or a wrong count in the header";
      QTest::newRow(qPrintable(k + "count too small")) << gz << "images" << 3 << 0
          << "holds 9 bytes after the 27 its header promises (3 items)";
      QTest::newRow(qPrintable(k + "count too large")) << gz << "images" << 5 << 0
          << "header promises 5 items (45 bytes) but the file holds only 36 bytes of data (truncated?)";
      QTest::newRow(qPrintable(k + "truncated")) << gz << "images" << 4 << -2
          << "header promises 4 items (36 bytes) but the file holds only 34 bytes of data (truncated?)";
      QTest::newRow(qPrintable(k + "label trailing byte")) << gz << "labels" << 4 << 1
          << "holds 1 bytes after the 4 its header promises (4 items)";
      QTest::newRow(qPrintable(k + "label count too small")) << gz << "labels" << 2 << 0
          << "holds 2 bytes after the 2 its header promises (2 items)";
    }
  }
  void idxSizeMustMatchHeaderExactly() {
    QFETCH(bool, gz);
    QFETCH(QString, file);
    QFETCH(int, count);
    QFETCH(int, extra);
    QFETCH(QString, problem);
    const std::string d = dir(std::string("exact_") + QTest::currentDataTag());
    write_idx_split(d, "train", 4, 3, 3, gz);
    std::vector<uint8_t> b = file == "images" ? idx_images(4, 3, 3) : idx_labels(4);
    b[7] = static_cast<uint8_t>(count);  // low byte of the item count
    if (extra > 0) b.insert(b.end(), static_cast<size_t>(extra), 0xAB);
    else b.resize(b.size() - static_cast<size_t>(-extra));
    const std::string path = d + "/train-" + (file == "images" ? "images-idx3" : "labels-idx1") + "-ubyte" + (gz ? ".gz" : "");
    (gz ? write_gzip : write_bytes)(path, b);
    const std::string msg = idx_error(d);
    if (problem.isEmpty()) {
      QCOMPARE(msg, std::string());
      IdxDataset ds(d, Split::Train);
      QCOMPARE(ds.size(), 4);
      QCOMPARE(int(ds.get(3).pixels[4]), (3 * 31 + 1 * 7 + 1 * 3) % 256);  // image 3, row 1, column 1
      QCOMPARE(ds.label(3), 3);
    } else {
      QVERIFY2(msg.rfind(path + ": " + problem.toStdString(), 0) == 0, msg.c_str());  // names the file first
    }
  }

  void cifarTruncatedAndWrongFiles() {
    const std::string d = dir("cifar");
    auto b = cifar_records(3, 100);
    b.resize(b.size() - 10);
    write_bytes(d + "/train.bin", b);
    try {
      CifarDataset ds(d, Split::Train, 100);
      QFAIL("truncated CIFAR opened");
    } catch (const DataError& e) {
      QVERIFY2(contains(e.what(), "train.bin") && contains(e.what(), "not a whole number"), e.what());
    }
    write_bytes(d + "/test_batch.bin", std::vector<uint8_t>(3073, 200));  // label 200 in CIFAR-10
    try {
      CifarDataset ds(d, Split::Test, 10);
      QFAIL("bad label opened");
    } catch (const DataError& e) {
      QVERIFY2(contains(e.what(), "label 200"), e.what());
    }
  }

  void missingPathAndEmptyFolder() {
    DataConfig cfg;
    cfg.path = tmp_.path().toStdString() + "/nowhere";
    for (const char* name : {"fashion-mnist", "cifar10", "folder"}) {
      cfg.dataset = name;
      try {
        open_dataset(cfg, Split::Train);
        QFAIL("missing path opened");
      } catch (const DataError& e) {
        QVERIFY2(contains(e.what(), "nowhere") && contains(e.what(), "no such"), e.what());
      }
    }
    cfg.dataset = "folder";
    cfg.path = dir("empty");
    write_bytes(cfg.path + "/notes.txt", {1, 2});
    try {
      open_dataset(cfg, Split::Train);
      QFAIL("empty folder opened");
    } catch (const DataError& e) {
      QVERIFY2(contains(e.what(), "holds no image files"), e.what());
    }
  }

  void tooSmallFixedSizeImagesFailAtOpen() {
    const std::string d = dir("small_idx");
    write_idx_split(d, "train", 4, 3, 3, false);
    DataConfig cfg;
    cfg.dataset = "mnist";
    cfg.path = d;
    cfg.min_image_side = 4;
    try {
      open_dataset(cfg, Split::Train);
      QFAIL("3x3 images passed min_image_side 4");
    } catch (const DataError& e) {
      QVERIFY2(contains(e.what(), "smaller than data.min_image_side 4"), e.what());
    }
  }

  // Garbage named .jpg, a zero-byte .png and a 1x1 image among good files: the loader
  // skips them, reports each file once, and still delivers full batches of good images.
  void badImageFilesAreSkippedAndReported() {
    const std::string d = dir("bad_folder");
    cv::Mat good(16, 16, CV_8UC3, cv::Scalar(0, 128, 255));
    for (int i = 0; i < 6; ++i) cv::imwrite(d + "/good" + std::to_string(i) + ".png", good);
    write_bytes(d + "/garbage.jpg", std::vector<uint8_t>(500, 0x5A));
    write_bytes(d + "/zero.png", {});
    cv::imwrite(d + "/tiny.png", cv::Mat(1, 1, CV_8UC3, cv::Scalar(1, 2, 3)));

    DataConfig cfg;
    cfg.dataset = "folder";
    cfg.path = d;
    cfg.min_image_side = 4;
    std::shared_ptr<const Dataset> ds = open_dataset(cfg, Split::Train);
    QCOMPARE(ds->size(), 9);
    LoaderOptions o = make_loader_options(cfg, *ds, 3, 8, 1);
    o.num_workers = 2;
    Loader loader(ds, o);
    for (int epoch = 0; epoch < 2; ++epoch) {
      loader.start_epoch(epoch);
      Batch b;
      int batches = 0;
      while (loader.next(b)) {
        ++batches;
        QCOMPARE(b.view1.size(0), 3);
        QVERIFY(torch::isfinite(b.view1).all().item<bool>());
        for (int64_t i = 0; i < 3; ++i) {
          const std::string f = static_cast<const ImageFolderDataset&>(*ds).file(b.index[i].item<int64_t>());
          QVERIFY2(contains(f, "/good"), f.c_str());
        }
      }
      QCOMPARE(batches, 3);
    }
    const auto skipped = loader.skipped_files();
    QCOMPARE(skipped.size(), size_t(3));
    // Every failed read counts: each bad file at least once per epoch, more when a
    // substitute is itself bad (tiny.png -> zero.png -> garbage.jpg -> good0.png).
    QVERIFY(loader.skipped_count() >= 6);
    std::map<std::string, std::string> why;
    for (const auto& s : skipped) why[std::filesystem::path(s.file).filename().string()] = s.reason;
    QVERIFY(contains(why["garbage.jpg"], "not a decodable image"));
    QVERIFY(contains(why["zero.png"], "zero-byte"));
    QVERIFY(contains(why["tiny.png"], "1x1, smaller than the minimum side 4"));
  }

  void folderOfOnlyGarbageFailsAtOpen() {
    const std::string d = dir("all_bad");
    write_bytes(d + "/a.jpg", std::vector<uint8_t>(100, 1));
    write_bytes(d + "/b.jpg", {});
    try {
      ImageFolderDataset ds(d, Split::Train);
      QFAIL("garbage folder opened");
    } catch (const DataError& e) {
      QVERIFY2(contains(e.what(), "can be decoded"), e.what());
    }
  }
};

QTEST_MAIN(TestDataErrors)
#include "tst_data_errors.moc"
