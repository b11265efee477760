// Two-view augmentation: rates of the random draws, crop ranges, determinism across
// thread counts, and the pixel operations against hand-computed values.
#include <algorithm>
#include <cmath>

#include "core/data/augment.h"
#include "core/data/dataset.h"
#include "core/data/loader.h"

using namespace can::data;

namespace {
// A deterministic in-memory dataset of colourful gradients.
class GradientDataset : public Dataset {
 public:
  GradientDataset(int64_t n, int64_t side, int64_t c) : n_(n), side_(side), c_(c) {}
  int64_t size() const override { return n_; }
  int64_t channels() const override { return c_; }
  int64_t height() const override { return side_; }
  int64_t width() const override { return side_; }
  Image get(int64_t index) const override {
    Image img(side_, side_, c_);
    for (int64_t y = 0; y < side_; ++y)
      for (int64_t x = 0; x < side_; ++x)
        for (int64_t ch = 0; ch < c_; ++ch) img.at(y, x, ch) = uint8_t((index * 17 + y * 9 + x * 5 + ch * 80) % 256);
    return img;
  }
  int64_t label(int64_t index) const override { return index % 3; }
  int64_t num_classes() const override { return 3; }
  std::string describe() const override { return "gradients"; }

 private:
  int64_t n_, side_, c_;
};
}  // namespace

class TestDataAugment : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void drawRatesMatchTheirProbabilities() {
    const AugmentConfig cfg;
    int flips = 0, grays = 0, jitters = 0, blurs = 0;
    const int n = 2000;
    for (int i = 0; i < n; ++i) {
      SampleRng rng = SampleRng::for_sample(42, 0, i, 1);
      const AugmentParams p = sample_params(cfg, 96, 128, 96, rng);
      flips += p.flip, grays += p.grayscale, jitters += p.jitter, blurs += p.blur;
      const double area = double(p.crop.h * p.crop.w) / (96.0 * 128.0);
      QVERIFY2(area >= 0.08 * 0.97 && area <= 1.0, std::to_string(area).c_str());
      QVERIFY(p.crop.y >= 0 && p.crop.x >= 0 && p.crop.y + p.crop.h <= 96 && p.crop.x + p.crop.w <= 128);
      const double ratio = double(p.crop.w) / double(p.crop.h);
      QVERIFY(ratio > 0.75 * 0.9 && ratio < 4.0 / 3.0 * 1.1);
      if (p.jitter) {
        QVERIFY(p.brightness >= 0.2f && p.brightness <= 1.8f);
        QVERIFY(std::abs(p.hue) <= 0.2f);
      }
      if (p.blur) {
        QVERIFY(p.blur_sigma >= 0.1f && p.blur_sigma <= 2.0f);
        QCOMPARE(p.blur_kernel, 9);  // 10% of 96, made odd
      }
    }
    QVERIFY2(std::abs(flips / double(n) - 0.5) < 0.03, std::to_string(flips).c_str());
    QVERIFY2(std::abs(grays / double(n) - 0.2) < 0.03, std::to_string(grays).c_str());
    QVERIFY2(std::abs(jitters / double(n) - 0.8) < 0.03, std::to_string(jitters).c_str());
    QVERIFY2(std::abs(blurs / double(n) - 0.5) < 0.03, std::to_string(blurs).c_str());
  }

  void maePresetAndSmallImages() {
    AugmentConfig mae;
    mae.apply_preset("mae");
    for (int i = 0; i < 500; ++i) {
      SampleRng rng = SampleRng::for_sample(1, 0, i, 1);
      const AugmentParams p = sample_params(mae, 28, 28, 28, rng);
      QVERIFY(!p.jitter && !p.grayscale && !p.blur);
      QVERIFY(p.crop.h * p.crop.w >= int64_t(0.2 * 784 * 0.9));
    }
    const AugmentConfig simclr;  // outputs under 64 px are never blurred
    for (int i = 0; i < 200; ++i) {
      SampleRng rng = SampleRng::for_sample(1, 0, i, 1);
      QVERIFY(!sample_params(simclr, 28, 28, 28, rng).blur);
    }
  }

  void pixelOpsMatchHandComputedValues() {
    // Two RGB pixels, (0.2, 0.4, 0.6) and (1.0, 0.5, 0.0); at() hides the planar layout.
    FloatImage img{1, 2, 3, std::vector<float>(6)};
    const float pixels[2][3] = {{0.2f, 0.4f, 0.6f}, {1.0f, 0.5f, 0.0f}};
    for (int x = 0; x < 2; ++x)
      for (int ch = 0; ch < 3; ++ch) img.at(0, x, ch) = pixels[x][ch];
    FloatImage b = img;
    adjust_brightness(b, 1.5f);
    QCOMPARE(b.at(0, 0, 0), 0.3f);
    QCOMPARE(b.at(0, 1, 0), 1.0f);  // clamped
    FloatImage g = img;
    to_grayscale(g);
    QVERIFY(std::abs(g.at(0, 0, 0) - (0.299f * 0.2f + 0.587f * 0.4f + 0.114f * 0.6f)) < 1e-6f);
    QCOMPARE(g.at(0, 0, 1), g.at(0, 0, 0));
    FloatImage h = img;
    adjust_hue(h, 1.0f / 3.0f);  // a third of a turn maps R->G->B: (r, g, b) -> (b, r, g)
    QVERIFY(std::abs(h.at(0, 1, 0) - 0.0f) < 1e-5f && std::abs(h.at(0, 1, 1) - 1.0f) < 1e-5f &&
            std::abs(h.at(0, 1, 2) - 0.5f) < 1e-5f);
    FloatImage f = img;
    hflip(f);
    QCOMPARE(f.at(0, 0, 0), 1.0f);
    QCOMPARE(f.at(0, 1, 2), 0.6f);
    // Bilinear 2x upscale of a 1x2 ramp: half-pixel centres give 0, 0.25, 0.75, 1 (x 255).
    Image src(1, 2, 1);
    src.pixels = {0, 255};
    const FloatImage up = crop_resize_bilinear(src, CropBox{0, 0, 1, 2}, 1, 4);
    QCOMPARE(up.v[0], 0.0f);
    QCOMPARE(up.v[1], 0.25f);
    QCOMPARE(up.v[2], 0.75f);
    QCOMPARE(up.v[3], 1.0f);
    // A blur keeps a constant image constant and the total of an impulse.
    FloatImage imp{9, 9, 1, std::vector<float>(81, 0.f)};
    imp.at(4, 4, 0) = 1.f;
    gaussian_blur(imp, 5, 1.0f);
    float sum = 0;
    for (float v : imp.v) sum += v;
    QVERIFY(std::abs(sum - 1.f) < 1e-4f);
    QVERIFY(imp.at(4, 4, 0) < 0.5f && imp.at(4, 5, 0) > 0.f);
  }

  // adjust_hue runs a vector of pixels at a time (every case computed, one selected);
  // it must give exactly what torchvision's per-pixel formula, written out here, gives.
  void hueMatchesThePerPixelFormula() {
    auto reference = [](float& r, float& g, float& b, float shift) {
      const float maxc = std::max({r, g, b}), minc = std::min({r, g, b});
      const float v = maxc, delta = maxc - minc;
      if (delta <= 0.f) return;
      const float s = delta / maxc;
      float h = maxc == r ? (g - b) / delta : maxc == g ? 2.f + (b - r) / delta : 4.f + (r - g) / delta;
      h = h / 6.f + shift;
      h -= std::floor(h);
      const float h6 = h * 6.f, f = h6 - std::floor(h6);
      const float pv = v * (1 - s), qv = v * (1 - s * f), tv = v * (1 - s * (1 - f));
      const float table[6][3] = {{v, tv, pv}, {qv, v, pv}, {pv, v, tv}, {pv, qv, v}, {tv, pv, v}, {v, pv, qv}};
      const int sector = static_cast<int>(h6) % 6;
      r = table[sector][0], g = table[sector][1], b = table[sector][2];
    };
    // 37 x 41 pixels (not a multiple of any vector width): random colours, then gray,
    // black, white, pure and tied colours, and 8-bit levels as real images have them.
    FloatImage img{37, 41, 3, std::vector<float>(37 * 41 * 3)};
    SampleRng rng(5);
    const float special[][3] = {{0, 0, 0}, {1, 1, 1}, {0.5f, 0.5f, 0.5f}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1},
                                {1, 1, 0}, {0, 1, 1}, {1, 0, 1}, {0.3f, 0.3f, 0.1f}, {0.2f, 0.7f, 0.7f}};
    int k = 0;
    for (int64_t y = 0; y < img.h; ++y)
      for (int64_t x = 0; x < img.w; ++x, ++k)
        for (int64_t ch = 0; ch < 3; ++ch)
          img.at(y, x, ch) = k < 11 ? special[k][ch] : k % 2 ? float(rng.uniform()) : float(rng.uniform_int(0, 255)) / 255.f;
    for (float shift : {-0.5f, -0.2f, -1e-7f, 0.05f, 1.0f / 3.0f, 0.2f, 0.5f}) {
      FloatImage got = img;
      adjust_hue(got, shift);
      for (int64_t y = 0; y < img.h; ++y)
        for (int64_t x = 0; x < img.w; ++x) {
          float r = img.at(y, x, 0), g = img.at(y, x, 1), b = img.at(y, x, 2);
          reference(r, g, b, shift);
          const bool same = got.at(y, x, 0) == r && got.at(y, x, 1) == g && got.at(y, x, 2) == b;
          QVERIFY2(same, ("pixel " + std::to_string(y) + "," + std::to_string(x) + " shift " + std::to_string(shift)).c_str());
        }
    }
  }

  void sameSeedSameBatchesWithOneAndFourThreads() {
    auto ds = std::make_shared<GradientDataset>(40, 80, 3);
    LoaderOptions o;
    o.batch_size = 8;
    o.out_size = 64;  // >= 64, so blur is exercised too
    o.seed = 7;
    o.mean = {0.5f, 0.5f, 0.5f};
    o.std = {0.25f, 0.25f, 0.25f};
    std::vector<Batch> runs[2];
    for (int r = 0; r < 2; ++r) {
      o.num_workers = r == 0 ? 1 : 4;
      Loader loader(ds, o);
      loader.start_epoch(3);
      Batch b;
      while (loader.next(b)) runs[r].push_back(b);
    }
    QCOMPARE(runs[0].size(), size_t(5));
    QCOMPARE(runs[1].size(), runs[0].size());
    for (size_t i = 0; i < runs[0].size(); ++i) {
      QVERIFY(torch::equal(runs[0][i].index, runs[1][i].index));
      QVERIFY(torch::equal(runs[0][i].view1, runs[1][i].view1));
      QVERIFY(torch::equal(runs[0][i].view2, runs[1][i].view2));
      QVERIFY(torch::equal(runs[0][i].original, runs[1][i].original));
      QVERIFY(torch::equal(runs[0][i].label, runs[0][i].index.remainder(3)));
    }
    // The two views of every image differ; another seed gives other views.
    for (const Batch& b : runs[0])
      for (int64_t i = 0; i < b.view1.size(0); ++i) QVERIFY(!torch::equal(b.view1[i], b.view2[i]));
    o.seed = 8;
    Loader other(ds, o);
    other.start_epoch(3);
    Batch b;
    QVERIFY(other.next(b));
    QVERIFY(!torch::equal(b.view1, runs[0][0].view1));
  }

  void originalIsTheNormalisedResizedImage() {
    auto ds = std::make_shared<GradientDataset>(4, 16, 1);
    LoaderOptions o;
    o.batch_size = 4;
    o.out_size = 16;  // same size: original is exactly (pixel / 255 - mean) / std
    o.num_workers = 0;
    o.two_views = false;
    o.mean = {0.5f};
    o.std = {0.5f};
    Loader loader(ds, o);
    loader.start_epoch(0);
    Batch b;
    QVERIFY(loader.next(b));
    QVERIFY(!b.view2.defined());
    QCOMPARE(b.view1.sizes(), (torch::IntArrayRef{4, 1, 16, 16}));
    for (int64_t i = 0; i < 4; ++i) {
      const Image img = ds->get(b.index[i].item<int64_t>());
      for (int64_t y : {0, 5, 15}) {
        const float expect = (img.at(y, 3, 0) / 255.f - 0.5f) / 0.5f;
        QVERIFY(std::abs(b.original[i][0][y][3].item<float>() - expect) < 1e-5f);
      }
    }
  }
};

QTEST_MAIN(TestDataAugment)
#include "tst_data_augment.moc"
