// Bad input: malformed IDX/CIFAR files and missing/empty paths are DataErrors at open
// time; unusable image files in folders are skipped by the loader and reported.
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/data/cifar_dataset.h"
#include "core/data/data_config.h"
#include "core/data/data_error.h"
#include "core/data/idx_dataset.h"
#include "core/data/image_file.h"
#include "core/data/image_folder_dataset.h"
#include "core/data/loader.h"
#include "core/data/skip_report.h"
#include "data_fixtures.h"

using namespace can::data;
using namespace can_test;

namespace {

// Captures what the process writes on file descriptor 2 while it lives: libpng and libjpeg
// print with fprintf(stderr), OpenCV with std::cerr, so only the descriptor sees them all.
class StderrCapture {
 public:
  explicit StderrCapture(std::string file) : file_(std::move(file)) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~StderrCapture() { restore(); }
  std::string text() {
    restore();
    std::ifstream in(file_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::cerr.flush();
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }
  std::string file_;
  int saved_ = -1;
};

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::vector<uint8_t> encode(const std::string& ext, const cv::Mat& m) {
  std::vector<uint8_t> b;
  cv::imencode(ext, m, b);
  return b;
}

// PNG chunks, to rebuild a file with chunks added, removed or damaged.
struct PngChunk {
  std::string type;
  std::vector<uint8_t> data;
  bool bad_crc = false;
};
std::vector<PngChunk> png_chunks(const std::vector<uint8_t>& png) {
  std::vector<PngChunk> out;
  for (size_t pos = 8; pos + 12 <= png.size();) {
    const size_t len = (size_t(png[pos]) << 24) | (size_t(png[pos + 1]) << 16) | (size_t(png[pos + 2]) << 8) | png[pos + 3];
    out.push_back({std::string(png.begin() + pos + 4, png.begin() + pos + 8),
                   std::vector<uint8_t>(png.begin() + pos + 8, png.begin() + pos + 8 + len)});
    pos += 12 + len;
  }
  return out;
}
std::vector<uint8_t> png_file(const std::vector<PngChunk>& chunks) {
  std::vector<uint8_t> b = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  for (const PngChunk& c : chunks) {
    put_be32(b, static_cast<uint32_t>(c.data.size()));
    const size_t at = b.size();
    b.insert(b.end(), c.type.begin(), c.type.end());
    b.insert(b.end(), c.data.begin(), c.data.end());
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), b.data() + at, static_cast<uInt>(b.size() - at));
    put_be32(b, static_cast<uint32_t>(crc) ^ (c.bad_crc ? 1u : 0u));
  }
  return b;
}
// A 4x4 palette PNG with `plte_chunks` copies of its PLTE chunk.
// The 154 bytes fuzz/fuzz_image_file found (fuzz/corpus/image_file/regress-dicm-webp): a
// RIFF/WEBP/VP8L header libwebp refuses, filler, and "DICM" at byte 128.
std::vector<uint8_t> dicom_signature_webp() {
  std::vector<uint8_t> b = {'R', 'I', 'F', 'F', 0x2a, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L', 0x1e, 0, 0, 0,
                            0x2f, 0x07, 0xc0, 0x01};
  b.resize(128, 0xa8);
  for (char c : std::string("DICM")) b.push_back(uint8_t(c));
  b.resize(154, 0x36);
  return b;
}

std::vector<uint8_t> palette_png(int plte_chunks) {
  std::vector<uint8_t> raw;
  for (int y = 0; y < 4; ++y) {
    raw.push_back(0);  // filter: none
    for (int x = 0; x < 4; ++x) raw.push_back(static_cast<uint8_t>((x + y) % 3));
  }
  std::vector<uint8_t> z(compressBound(static_cast<uLong>(raw.size())));
  uLongf zn = static_cast<uLongf>(z.size());
  compress(z.data(), &zn, raw.data(), static_cast<uLong>(raw.size()));
  z.resize(zn);
  std::vector<PngChunk> chunks = {{"IHDR", {0, 0, 0, 4, 0, 0, 0, 4, 8, 3, 0, 0, 0}}};
  for (int i = 0; i < plte_chunks; ++i) chunks.push_back({"PLTE", {255, 0, 0, 0, 255, 0, 0, 0, 255}});
  chunks.push_back({"IDAT", z});
  chunks.push_back({"IEND", {}});
  return png_file(chunks);
}
// A BMP with the 32-bit little-endian field at `at` set to v.
std::vector<uint8_t> bmp_with(std::vector<uint8_t> b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
  return b;
}
std::vector<uint8_t> cut(std::vector<uint8_t> b, double keep) {
  b.resize(static_cast<size_t>(static_cast<double>(b.size()) * keep));
  return b;
}

}  // namespace

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
    QVERIFY(contains(why["garbage.jpg"], "is not a JPEG, PNG, BMP or WebP file"));
    QVERIFY(contains(why["zero.png"], "zero-byte"));
    QVERIFY(contains(why["tiny.png"], "1x1, smaller than the minimum side 4"));
  }

  // Damaged files are refused in the project's words, naming the file, and the decoders
  // print nothing: the old path (cv::imread on the file) printed "libpng error: Read
  // Error", "libpng error: IDAT: CRC error", OpenCV's "imdecode_(''): can't read data"...
  void damagedImagesAreRefusedQuietly() {
    const std::string d = dir("quiet");
    cv::Mat m(24, 20, CV_8UC3);
    cv::randu(m, 0, 255);
    cv::Mat gray(24, 20, CV_8UC1);
    cv::randu(gray, 0, 255);
    const auto png = encode(".png", m);
    std::vector<PngChunk> chunks = png_chunks(png);
    QCOMPARE(chunks.front().type, std::string("IHDR"));
    QCOMPARE(chunks[1].type, std::string("IDAT"));
    QCOMPARE(chunks.back().type, std::string("IEND"));
    auto with = [&](auto edit) {
      std::vector<PngChunk> c = chunks;
      edit(c);
      return png_file(c);
    };
    const std::vector<std::pair<std::string, std::vector<uint8_t>>> files = {
        {"zero.png", {}},
        {"text.jpg", std::vector<uint8_t>({'h', 'e', 'l', 'l', 'o', ',', ' ', 't', 'e', 'x', 't', '\n'})},
        {"cut.png", cut(png, 0.6)},
        {"crc.png", with([](auto& c) { c[1].bad_crc = true; })},  // as a flipped bit in IDAT would be
        {"no_iend.png", with([](auto& c) { c.pop_back(); })},
        {"huge.png", with([](auto& c) { c[0].data[0] = 0x01; })},  // width 2^24 + 20
        {"cut.jpg", cut(encode(".jpg", m), 0.6)},
        {"cut.bmp", cut(encode(".bmp", m), 0.6)},
        {"cut.webp", cut(encode(".webp", m), 0.6)},
        {"two_plte.png", palette_png(2)},
        {"rle9.bmp", bmp_with(encode(".bmp", gray), 30, 9)},         // compression 9
        {"colors.bmp", bmp_with(encode(".bmp", gray), 46, 1000)},    // 1000 palette colours
        {"dicm.webp", dicom_signature_webp()},
    };
    const std::map<std::string, std::string> problem = {
        {"zero.png", "is a zero-byte file"},
        {"text.jpg", "is not a JPEG, PNG, BMP or WebP file (unknown signature)"},
        {"cut.png", "truncated PNG: chunk IDAT at byte 33 needs"},
        {"crc.png", "damaged PNG: chunk IDAT at byte 33 fails its CRC check"},
        {"no_iend.png", "truncated PNG: the file ends at byte"},
        {"huge.png", "image is 16777236x24, larger than the decoder's limit"},
        {"cut.jpg", "truncated JPEG: the file ends at byte"},
        {"cut.bmp", "truncated BMP: its pixels need 1494 bytes, the file has 896"},
        {"cut.webp", "truncated WebP: its RIFF header declares"},
        // Found by fuzzing: these passed the checks and libpng / OpenCV's BMP reader printed
        // "libpng error: PLTE: duplicate", "imdecode_(''): can't read header ... Assertion
        // failed) m_rle_code_ >= ..." and "... clrused >= 0 && clrused <= 256".
        {"two_plte.png", "corrupt PNG: a second PLTE chunk"},
        {"rle9.bmp", "unsupported BMP: compression 9"},
        {"colors.bmp", "corrupt BMP: 1000 palette colours"},
        // Found by fuzzing: libwebp refused the header, OpenCV then gave the file to its
        // DICOM reader, which aborted the process (gdcmReader.cxx:385: is.good()).
        {"dicm.webp", "has a DICOM signature at byte 128"},
    };
    for (const auto& [name, bytes] : files) write_bytes(d + "/" + name, bytes);
    StderrCapture capture(d + "/stderr.txt");
    std::map<std::string, std::string> got;
    for (const auto& [name, bytes] : files) {
      try {
        read_image_file(d + "/" + name);
        got[name] = "(decoded)";
      } catch (const CorruptSampleError& e) {
        got[name] = e.file() == d + "/" + name ? e.problem() : "(names " + e.file() + ")";
      }
    }
    const std::string printed = capture.text();
    QVERIFY2(printed.empty(), printed.c_str());
    for (const auto& [name, bytes] : files)
      QVERIFY2(got[name].rfind(problem.at(name), 0) == 0, (name + ": " + got[name]).c_str());
    // The same files with one PLTE chunk, or the BMP fields untouched, decode.
    write_bytes(d + "/one_plte.png", palette_png(1));
    QCOMPARE(read_image_file(d + "/one_plte.png").c, 3);
    write_bytes(d + "/gray.bmp", encode(".bmp", gray));
    QCOMPARE(read_image_file(d + "/gray.bmp").w, 20);
  }

  // Found by fuzz/fuzz_image_file: a header that claims a large image over a few bytes of
  // data. A 652-byte JPEG whose frame header said 30000x30000 made OpenCV allocate 2.7 GB;
  // one that said 12000x12000 decoded for 19 s (under ASan) into a 432 MB grey image. Now
  // such files are refused from their bytes, before the decoder allocates anything: by the
  // size limit (2^28 pixels) or, below it, because their data cannot hold that many pixels.
  void headersThatLieAboutTheSizeAreRefused() {
    const std::string d = dir("lying_headers");
    cv::Mat m(24, 20, CV_8UC3);
    cv::randu(m, 0, 255);
    // A JPEG's SOFn: FF Cn, length (2), precision (1), height (2), width (2).
    auto with_jpeg_size = [](std::vector<uint8_t> b, unsigned marker, unsigned h, unsigned w) {
      for (size_t i = 2; i + 9 < b.size(); ++i)
        if (b[i] == 0xFF && b[i + 1] == marker) {
          b[i + 5] = uint8_t(h >> 8), b[i + 6] = uint8_t(h), b[i + 7] = uint8_t(w >> 8), b[i + 8] = uint8_t(w);
          return b;
        }
      return std::vector<uint8_t>{};
    };
    const auto jpg = encode(".jpg", m);
    std::vector<uint8_t> progressive;
    cv::imencode(".jpg", m, progressive, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
    std::vector<PngChunk> chunks = png_chunks(encode(".png", m));
    for (int i = 0; i < 8; ++i) chunks[0].data[i] = std::vector<uint8_t>{0, 0, 0x3A, 0x98, 0, 0, 0x3A, 0x98}[i];  // 15000x15000
    // An extended WebP (VP8X) whose canvas is 20000x20000.
    std::vector<uint8_t> webp = {'R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0,
                                 0, 0, 0, 0, 0x1F, 0x4E, 0, 0x1F, 0x4E, 0};
    const std::vector<std::pair<std::string, std::vector<uint8_t>>> files = {
        {"12000.jpg", with_jpeg_size(jpg, 0xC0, 12000, 12000)},
        {"16000.jpg", with_jpeg_size(jpg, 0xC0, 16000, 16000)},
        {"60000.jpg", with_jpeg_size(jpg, 0xC0, 60000, 60000)},
        {"progressive.jpg", with_jpeg_size(progressive, 0xC2, 4000, 3000)},
        {"15000.png", png_file(chunks)},
        {"20000.webp", webp},
    };
    // Each refusal: how it starts, and what it says further on.
    const std::map<std::string, std::pair<std::string, std::string>> problem = {
        {"12000.jpg", {"truncated JPEG: its ", " bytes of image data cannot hold a 12000x12000 image (2250000 blocks"}},
        {"16000.jpg", {"truncated JPEG: its ", "cannot hold a 16000x16000 image"}},
        {"60000.jpg", {"image is 60000x60000, larger than the decoder's limit", "268435456 in all"}},
        {"progressive.jpg", {"truncated JPEG: its ", "cannot hold a 3000x4000 image"}},
        {"15000.png", {"truncated PNG: its ", "cannot hold a 15000x15000 image (675000000 bytes, deflate expands at most 1032 times)"}},
        {"20000.webp", {"image is 20000x20000, larger than the decoder's limit", ""}},
    };
    for (const auto& [name, bytes] : files) write_bytes(d + "/" + name, bytes);
    StderrCapture capture(d + "/stderr.txt");
    QElapsedTimer timer;
    timer.start();
    for (const auto& [name, bytes] : files) {
      QVERIFY2(!bytes.empty(), name.c_str());
      std::string got = "(decoded)";
      try {
        read_image_file(d + "/" + name);
      } catch (const CorruptSampleError& e) {
        got = e.problem();
      }
      const auto& [head, part] = problem.at(name);
      QVERIFY2(got.rfind(head, 0) == 0 && contains(got, part), (name + ": " + got).c_str());
    }
    QVERIFY2(timer.elapsed() < 2000, "a refused file was decoded");
    const std::string printed = capture.text();
    QVERIFY2(printed.empty(), printed.c_str());
  }

  // The bounds on compressed data are sound: the most compressible real images (one colour,
  // 3 megapixels) from OpenCV's encoders, baseline and progressive, still decode.
  void uniformLargeImagesStillDecode() {
    const std::string d = dir("uniform");
    const cv::Mat m(1500, 2000, CV_8UC3, cv::Scalar(40, 90, 200));
    const cv::Mat g(1500, 2000, CV_8UC1, cv::Scalar(0));
    std::vector<uint8_t> progressive;
    cv::imencode(".jpg", m, progressive, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
    std::vector<uint8_t> png9;
    cv::imencode(".png", g, png9, {cv::IMWRITE_PNG_COMPRESSION, 9});
    const std::vector<std::pair<std::string, std::vector<uint8_t>>> files = {
        {"flat.jpg", encode(".jpg", m)}, {"flat_progressive.jpg", progressive},
        {"flat.png", encode(".png", m)}, {"black9.png", png9},
        {"flat.webp", encode(".webp", m)}};
    for (const auto& [name, bytes] : files) {
      write_bytes(d + "/" + name, bytes);
      const Image img = read_image_file(d + "/" + name);
      QCOMPARE(img.h, 1500);
      QCOMPARE(img.w, 2000);
    }
    qInfo("one-colour 2000x1500 gray PNG: %zu bytes, %.0f bytes of pixels per byte (the bound: 1032)", png9.size(),
          3e6 / double(png9.size()));
  }

  // The seeds of fuzz/fuzz_image_file are images the checks accept and OpenCV decodes (a
  // seed that the checks refused would leave the decoders unfuzzed); its regress- inputs
  // are refused.
  void fuzzSeedsDecode() {
    const std::string corpus = qEnvironmentVariable("CAN_SOURCE_DIR").toStdString() + "/fuzz/corpus/image_file";
    int seeds = 0;
    for (const auto& e : std::filesystem::directory_iterator(corpus)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("seed-", 0) == 0) {
        const Image img = read_image_file(e.path().string());
        QVERIFY2(img.h > 0 && img.w > 0, name.c_str());
        ++seeds;
      } else {
        QVERIFY_THROWS_EXCEPTION(CorruptSampleError, read_image_file(e.path().string()));
      }
    }
    QVERIFY(seeds >= 8);
  }

  // Good files decode as cv::imread decodes them; a PNG's ancillary chunks (a gAMA libpng
  // finds out of range, a tEXt with a bad CRC) are dropped silently and change no pixel.
  void goodImagesDecodeAsOpenCvDoes() {
    const std::string d = dir("good_formats");
    cv::Mat m(24, 20, CV_8UC3);
    cv::randu(m, 0, 255);
    for (const char* ext : {".png", ".jpg", ".bmp", ".webp"}) write_bytes(d + "/good" + ext, encode(ext, m));
    std::vector<PngChunk> chunks = png_chunks(encode(".png", m));
    chunks.insert(chunks.begin() + 1, PngChunk{"gAMA", {0, 0, 0, 0}});
    chunks.insert(chunks.begin() + 1, PngChunk{"tEXt", {'k', 0, 'v'}, true});
    write_bytes(d + "/ancillary.png", png_file(chunks));
    const std::string gray = d + "/gray16.png";
    cv::Mat g(9, 7, CV_16UC1);
    cv::randu(g, 0, 65535);
    cv::imwrite(gray, g);

    StderrCapture capture(d + "/stderr.txt");
    for (const char* name : {"good.png", "good.jpg", "good.bmp", "good.webp", "ancillary.png"}) {
      const Image img = read_image_file(d + "/" + name);
      cv::Mat ref = cv::imread(d + "/" + (std::string(name) == "ancillary.png" ? "good.png" : name), cv::IMREAD_UNCHANGED);
      cv::cvtColor(ref, ref, cv::COLOR_BGR2RGB);
      QCOMPARE(img.h, 24);
      QCOMPARE(img.w, 20);
      QCOMPARE(img.c, 3);
      QVERIFY2(std::memcmp(img.pixels.data(), ref.data, img.pixels.size()) == 0, name);
    }
    const Image img = read_image_file(gray);
    QCOMPARE(img.c, 1);
    QCOMPARE(int(img.pixels[3]), int(std::lround(g.at<uint16_t>(0, 3) / 257.0)));
    QVERIFY2(capture.text().empty(), "a decoder printed on stderr");
  }

  // A folder where every file is bad stops at open time, before training, naming the
  // folder and the first three files with their reasons, whether the channel count follows
  // the data or is forced (forced, nothing was probed and training began, then failed).
  void folderOfOnlyGarbageFailsAtOpen() {
    const std::string d = dir("all_bad");
    write_bytes(d + "/zero.png", {});
    write_bytes(d + "/text.jpg", {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'});
    write_bytes(d + "/trunc.png", cut(encode(".png", cv::Mat(16, 16, CV_8UC3, cv::Scalar(9, 8, 7))), 0.5));
    for (const int64_t channels : {0, 1, 3}) {
      try {
        ImageFolderDataset ds(d, Split::Train, channels);
        QFAIL("garbage folder opened");
      } catch (const DataError& e) {
        const std::string msg = e.what();
        QCOMPARE(e.file(), d);
        QVERIFY2(msg.rfind(d + ": none of its 3 image files can be used: text.jpg: is not a JPEG, PNG, BMP or WebP file "
                           "(unknown signature); trunc.png: truncated PNG: chunk IDAT at byte 33 needs ", 0) == 0, msg.c_str());
        QVERIFY2(contains(msg, "; zero.png: is a zero-byte file") && msg.size() < d.size() + 240, msg.c_str());
      }
    }
    // 70 bad files: refused after the first 64, three quoted, the rest counted.
    const std::string many = dir("many_bad");
    for (int i = 0; i < 70; ++i) write_bytes(many + "/f" + std::to_string(100 + i) + ".jpg", {'x'});
    try {
      ImageFolderDataset ds(many, Split::Train);
      QFAIL("70 bad files opened");
    } catch (const DataError& e) {
      QVERIFY2(contains(e.what(), many + ": none of its first 64 image files can be used: f100.jpg: is not a JPEG") &&
                   contains(e.what(), "; f102.jpg: is not a JPEG") && contains(e.what(), "; and 61 more"), e.what());
    }
    // Too small for min_image_side counts as unusable too.
    const std::string tiny = dir("all_tiny");
    cv::imwrite(tiny + "/a.png", cv::Mat(2, 2, CV_8UC1, cv::Scalar(5)));
    try {
      ImageFolderDataset ds(tiny, Split::Train, 0, 4);
      QFAIL("2x2 images passed min_side 4");
    } catch (const DataError& e) {
      QVERIFY2(contains(e.what(), "none of its 1 image files can be used: a.png: image is 2x2, smaller than the minimum side 4"), e.what());
    }
  }

  // SkipRecordingDataset records each file the wrapped dataset refuses, once, with its
  // first reason, and still throws so the loader substitutes; a list line escapes what a
  // file name may hold (a tab, a newline) so that one line is one file.
  void skipReportRecordsEachFileOnce() {
    const std::string d = dir("skip_report");
    cv::imwrite(d + "/a.png", cv::Mat(8, 8, CV_8UC1, cv::Scalar(5)));
    write_bytes(d + "/b\tc\nd.png", {});
    write_bytes(d + "/e.jpg", {'x'});
    SkipRecordingDataset ds(std::make_shared<ImageFolderDataset>(d, Split::Train));
    QCOMPARE(ds.size(), 3);
    for (int round = 0; round < 2; ++round)
      for (int64_t i = 0; i < 3; ++i) {
        try {
          QCOMPARE(ds.get(i).h, i == 0 ? 8 : -1);
        } catch (const CorruptSampleError&) {
          QVERIFY(i > 0);
        }
      }
    const auto files = ds.report().files();
    QCOMPARE(files.size(), size_t(2));
    QCOMPARE(ds.report().file_count(), size_t(2));
    QCOMPARE(ds.report().read_count(), int64_t(4));
    QCOMPARE(ds.report().files(1).size(), size_t(1));
    QCOMPARE(skipped_file_line(files[0]), d + "/b\\tc\\nd.png\tis a zero-byte file");
    QCOMPARE(skipped_file_line(files[1]), d + "/e.jpg\tis not a JPEG, PNG, BMP or WebP file (unknown signature)");
    QCOMPARE(skipped_file_line({"\\x\x1b", "r"}), std::string("\\\\x\\x1b\tr"));
  }

  // Bad files ahead of good ones no longer fail the probe (it used to give up after 16
  // files); the channel count still follows the first usable files.
  void badFilesAheadOfGoodOnesAreTolerated() {
    const std::string d = dir("bad_first");
    for (int i = 0; i < 20; ++i) write_bytes(d + "/a" + std::to_string(10 + i) + ".png", {});
    cv::imwrite(d + "/b_gray.png", cv::Mat(8, 8, CV_8UC1, cv::Scalar(5)));
    cv::imwrite(d + "/c_colour.png", cv::Mat(8, 8, CV_8UC3, cv::Scalar(5, 6, 7)));
    ImageFolderDataset ds(d, Split::Train);
    QCOMPARE(ds.size(), 22);
    QCOMPARE(ds.channels(), 3);
    QCOMPARE(int(ds.get(21).pixels[0]), 7);  // c_colour.png, RGB order
  }
};

QTEST_MAIN(TestDataErrors)
#include "tst_data_errors.moc"
