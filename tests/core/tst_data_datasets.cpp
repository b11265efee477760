// Datasets read back exactly the pixels and labels their fixtures hold.
#include <algorithm>
#include <filesystem>
#include <set>

#include <opencv2/imgcodecs.hpp>

#include "core/data/cifar_dataset.h"
#include "core/data/data_config.h"
#include "core/data/dataset.h"
#include "core/data/idx_dataset.h"
#include "core/data/image.h"
#include "core/data/image_folder_dataset.h"
#include "data_fixtures.h"

using namespace can::data;
using namespace can_test;

class TestDataDatasets : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string dir(const std::string& name) { return make_subdir(tmp_.path().toStdString(), name); }

 private Q_SLOTS:
  void idxRawAndGzipGiveTheWrittenPixels() {
    const std::string raw = dir("idx_raw"), gz = dir("idx_gz");
    write_idx_split(raw, "train", 12, 5, 4, false);
    write_idx_split(gz, "train", 12, 5, 4, true);
    IdxDataset a(raw, Split::Train), b(gz, Split::Train);
    QCOMPARE(a.size(), 12);
    QCOMPARE(a.height(), 5);
    QCOMPARE(a.width(), 4);
    QCOMPARE(a.channels(), 1);
    QCOMPARE(a.num_classes(), 10);
    for (int64_t i = 0; i < 12; ++i) {
      const Image img = a.get(i);
      QCOMPARE(img.c, 1);
      for (int64_t y = 0; y < 5; ++y)
        for (int64_t x = 0; x < 4; ++x) QCOMPARE(int(img.at(y, x, 0)), int((i * 31 + y * 7 + x * 3) % 256));
      QCOMPARE(a.label(i), i % 10);
      QCOMPARE(b.label(i), a.label(i));
      QVERIFY(b.get(i).pixels == img.pixels);
    }
  }

  void openDatasetFindsIdxThroughConfig() {
    const std::string d = dir("idx_cfg");
    write_idx_split(d, "t10k", 3, 2, 2, true);
    DataConfig cfg;
    cfg.dataset = "mnist";
    cfg.path = d;
    auto ds = open_dataset(cfg, Split::Test);
    QCOMPARE(ds->size(), 3);
    QCOMPARE(ds->label(2), 2);
    cfg.channels = 3;  // forced colour: gray repeated
    auto rgb = open_dataset(cfg, Split::Test);
    const Image img = rgb->get(1);
    QCOMPARE(img.c, 3);
    QCOMPARE(int(img.at(1, 1, 2)), int((31 + 7 + 3) % 256));
  }

  void cifar10GivesHwcPixelsAndLabels() {
    const std::string d = dir("cifar10/cifar-10-batches-bin");
    for (int k = 1; k <= 5; ++k) write_bytes(d + "/data_batch_" + std::to_string(k) + ".bin", cifar_records(2, 10, (k - 1) * 2));
    write_bytes(d + "/test_batch.bin", cifar_records(3, 10));
    CifarDataset train(dir("cifar10"), Split::Train, 10), test(dir("cifar10"), Split::Test, 10);
    QCOMPARE(train.size(), 10);
    QCOMPARE(test.size(), 3);
    for (int i = 0; i < 10; ++i) {
      QCOMPARE(train.label(i), int64_t((i * 7) % 10));
      const Image img = train.get(i);
      QCOMPARE(img.h, 32);
      QCOMPARE(img.c, 3);
      for (int y : {0, 7, 31})
        for (int x : {0, 12, 31})
          for (int ch = 0; ch < 3; ++ch) QCOMPARE(img.at(y, x, ch), cifar_pixel(i, ch, y, x));
    }
  }

  void cifar100UsesTheFineLabel() {
    const std::string d = dir("cifar100");
    write_bytes(d + "/train.bin", cifar_records(20, 100));
    write_bytes(d + "/test.bin", cifar_records(4, 100));
    CifarDataset ds(d, Split::Train, 100);
    QCOMPARE(ds.size(), 20);
    QCOMPARE(ds.num_classes(), 100);
    for (int i = 0; i < 20; ++i) {
      QCOMPARE(ds.label(i), int64_t((i * 7) % 100));
      QCOMPARE(ds.get(i).at(3, 4, 1), cifar_pixel(i, 1, 3, 4));
    }
  }

  // Each dataset names its labels as its distribution does, through open_dataset (and its
  // channel adapter); label i is name i.
  void classNamesFollowTheDataset() {
    const std::string idx = dir("names_idx"), c10 = dir("names_c10/cifar-10-batches-bin"), c100 = dir("names_c100");
    write_idx_split(idx, "train", 12, 4, 4, false);  // labels 0..9
    for (int k = 1; k <= 5; ++k) write_bytes(c10 + "/data_batch_" + std::to_string(k) + ".bin", cifar_records(1, 10));
    write_bytes(c100 + "/train.bin", cifar_records(2, 100));
    DataConfig cfg;
    cfg.path = idx;
    cfg.dataset = "fashion-mnist";
    auto names = open_dataset(cfg, Split::Train)->class_names();
    QCOMPARE(names.size(), size_t(10));
    QCOMPARE(names[0], std::string("T-shirt/top"));
    QCOMPARE(names[5], std::string("Sandal"));
    QCOMPARE(names[9], std::string("Ankle boot"));
    cfg.channels = 3;  // through the channel adapter
    QVERIFY(open_dataset(cfg, Split::Train)->class_names() == names);
    cfg.dataset = "mnist";
    QVERIFY((open_dataset(cfg, Split::Train)->class_names() ==
             std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
    QVERIFY(IdxDataset(idx, Split::Train).class_names().empty());  // an IDX pair of unknown origin
    // A file holding fewer classes keeps the names of those it holds.
    const std::string few = dir("names_few");
    write_idx_split(few, "train", 3, 4, 4, false);  // labels 0, 1, 2
    QVERIFY((IdxDataset(few, Split::Train, "fashion-mnist").class_names() ==
             std::vector<std::string>{"T-shirt/top", "Trouser", "Pullover"}));

    cfg = DataConfig();
    cfg.dataset = "cifar10";
    cfg.path = dir("names_c10");
    names = open_dataset(cfg, Split::Train)->class_names();
    QVERIFY((names == std::vector<std::string>{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                                               "ship", "truck"}));
    cfg.dataset = "cifar100";
    cfg.path = c100;
    names = open_dataset(cfg, Split::Train)->class_names();
    QCOMPARE(names.size(), size_t(100));  // the fine labels, alphabetical as fine_label_names.txt
    QCOMPARE(names.front(), std::string("apple"));
    QCOMPARE(names[1], std::string("aquarium_fish"));
    QCOMPARE(names[58], std::string("pickup_truck"));
    QCOMPARE(names.back(), std::string("worm"));
    QVERIFY(std::is_sorted(names.begin(), names.end()));
    QCOMPARE(std::set<std::string>(names.begin(), names.end()).size(), size_t(100));
  }

  void bgrToRgbSwapsFirstAndLastChannel() {
    Image img(1, 2, 3);
    img.pixels = {1, 2, 3, 4, 5, 6};
    bgr_to_rgb(img);
    QVERIFY((img.pixels == std::vector<uint8_t>{3, 2, 1, 6, 5, 4}));
    Image gray(1, 2, 1);
    gray.pixels = {7, 8};
    bgr_to_rgb(gray);
    QVERIFY((gray.pixels == std::vector<uint8_t>{7, 8}));
  }

  void folderOfPngsReadsExactPixels() {
    const std::string root = dir("folder");
    const std::string cats = dir("folder/cats"), dogs = dir("folder/dogs");
    // A colour PNG: OpenCV writes BGR, so pixel (y, x) = B 10, G 20+x, R 30+y must read as RGB (30+y, 20+x, 10).
    cv::Mat bgr(4, 5, CV_8UC3);
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 5; ++x) bgr.at<cv::Vec3b>(y, x) = cv::Vec3b(10, uint8_t(20 + x), uint8_t(30 + y));
    cv::imwrite(cats + "/a_colour.png", bgr);
    // RGBA: alpha dropped.
    cv::Mat bgra(4, 5, CV_8UC4, cv::Scalar(40, 50, 60, 128));
    cv::imwrite(cats + "/b_rgba.png", bgra);
    // 16-bit gray: 257 * v reads as v.
    cv::Mat g16(4, 5, CV_16UC1);
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 5; ++x) g16.at<uint16_t>(y, x) = uint16_t(257 * (y * 5 + x));
    cv::imwrite(dogs + "/c_gray16.png", g16);
    cv::Mat g8(4, 5, CV_8UC1, cv::Scalar(77));
    cv::imwrite(dogs + "/d_gray.png", g8);

    ImageFolderDataset ds(root, Split::Train);
    QCOMPARE(ds.size(), 4);
    QCOMPARE(ds.channels(), 3);
    QCOMPARE(ds.num_classes(), 2);
    QVERIFY((ds.class_names() == std::vector<std::string>{"cats", "dogs"}));
    QCOMPARE(ds.label(0), 0);
    QCOMPARE(ds.label(1), 0);
    QCOMPARE(ds.label(2), 1);
    QCOMPARE(ds.label(3), 1);
    const Image colour = ds.get(0);
    QCOMPARE(colour.h, 4);
    QCOMPARE(colour.w, 5);
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 5; ++x) {
        QCOMPARE(int(colour.at(y, x, 0)), 30 + y);
        QCOMPARE(int(colour.at(y, x, 1)), 20 + x);
        QCOMPARE(int(colour.at(y, x, 2)), 10);
      }
    const Image rgba = ds.get(1);
    QCOMPARE(rgba.c, 3);
    QCOMPARE(int(rgba.at(2, 2, 0)), 60);
    QCOMPARE(int(rgba.at(2, 2, 2)), 40);
    const Image g = ds.get(2);  // gray converted to the run's 3 channels
    QCOMPARE(g.c, 3);
    for (int ch = 0; ch < 3; ++ch) QCOMPARE(int(g.at(3, 4, ch)), 19);

    // The same folder forced to one channel; and a gray-only flat folder follows the data.
    ImageFolderDataset gray(root, Split::Train, 1);
    QCOMPARE(gray.get(2).c, 1);
    QCOMPARE(int(gray.get(2).at(1, 2, 0)), 7);
    const std::string flat = dir("flat");
    cv::imwrite(flat + "/x.png", g16);
    cv::imwrite(flat + "/y.bmp", g8);
    ImageFolderDataset f(flat, Split::Train);
    QCOMPARE(f.channels(), 1);
    QCOMPARE(f.num_classes(), 0);
    QCOMPARE(f.label(0), -1);
    QCOMPARE(int(f.get(1).at(0, 0, 0)), 77);
  }

  void folderWithTrainAndValSplits() {
    const std::string root = dir("splits");
    cv::Mat m(8, 8, CV_8UC3, cv::Scalar(1, 2, 3));
    cv::imwrite(dir("splits/train/a") + "/1.png", m);
    cv::imwrite(dir("splits/train/b") + "/2.png", m);
    cv::imwrite(dir("splits/val/a") + "/3.png", m);
    DataConfig cfg;
    cfg.dataset = "folder";
    cfg.path = root;
    QCOMPARE(open_dataset(cfg, Split::Train)->size(), 2);
    QCOMPARE(open_dataset(cfg, Split::Test)->size(), 1);
  }

  void configValidatesAndRoundTripsJson() {
    DataConfig cfg;
    cfg.validate();
    QCOMPARE(cfg.resolved_path(), std::string("/usr/share/datasets/fashion-mnist"));
    QCOMPARE(cfg.resolved_mean(1)[0], 0.2860f);
    QCOMPARE(cfg.resolved_std(1)[0], 0.3530f);
    cfg.dataset = "folder";
    QCOMPARE(cfg.resolved_mean(3).size(), size_t(3));
    try {
      cfg.validate();
      QFAIL("folder without a path validated");
    } catch (const std::invalid_argument& e) {
      QVERIFY(std::string(e.what()).rfind("data.path:", 0) == 0);
    }
    cfg.path = "/x";
    cfg.augment.crop_scale_min = 0.9;  // above crop_scale_max: a rule of the section itself
    cfg.augment.crop_scale_max = 0.5;
    try {
      cfg.validate();
      QFAIL("crop_scale_min > crop_scale_max validated");
    } catch (const std::invalid_argument& e) {
      QVERIFY(std::string(e.what()).rfind("data.augment.crop_scale_min:", 0) == 0);
    }
    cfg.augment.apply_preset("mae");
    QCOMPARE(cfg.augment.crop_scale_min, 0.2);
    QCOMPARE(cfg.augment.jitter_prob, 0.0);
    const nlohmann::json j = cfg;
    const DataConfig back = j.get<DataConfig>();
    QCOMPARE(back.path, cfg.path);
    QCOMPARE(back.augment.preset, std::string("mae"));
    QCOMPARE(back.augment.blur_prob, 0.0);
    const auto over = nlohmann::json::parse(R"({"preset": "mae", "hflip_prob": 0.25})").get<AugmentConfig>();
    QCOMPARE(over.crop_scale_min, 0.2);
    QCOMPARE(over.hflip_prob, 0.25);
  }

  void realFashionMnistOpens() {
    if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist")) QSKIP("dataset-fashion-mnist is not installed");
    DataConfig cfg;
    auto train = open_dataset(cfg, Split::Train);
    auto test = open_dataset(cfg, Split::Test);
    QCOMPARE(train->size(), 60000);
    QCOMPARE(test->size(), 10000);
    QCOMPARE(train->height(), 28);
    QCOMPARE(train->width(), 28);
    QCOMPARE(train->channels(), 1);
    QCOMPARE(train->num_classes(), 10);
    std::vector<int> counts(10, 0);
    for (int64_t i = 0; i < test->size(); ++i) {
      const int64_t l = test->label(i);
      QVERIFY(l >= 0 && l < 10);
      ++counts[static_cast<size_t>(l)];
    }
    for (int c : counts) QCOMPARE(c, 1000);  // Fashion-MNIST's test split is balanced
    QCOMPARE(train->get(0).pixels.size(), size_t(28 * 28));
  }
};

QTEST_MAIN(TestDataDatasets)
#include "tst_data_datasets.moc"
