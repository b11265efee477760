// The image panels, checked on the pixels they actually draw: each panel is shown, grabbed,
// and every tile's enlarged pixels are compared with values this file computes by itself
// from the hand-made snapshot (naive per-pixel loops, not the panels' helpers).
//
// Set CAN_TEST_PNG_DIR to also save each grabbed panel as a PNG there (to look at them).

#include <QBitArray>
#include <QImage>
#include <QLabel>
#include <QRandomGenerator>
#include <QtTest/QtTest>
#include <cmath>

#include "widgets/denoising_panel.h"
#include "widgets/image_grid.h"
#include "widgets/masks_panel.h"
#include "widgets/noise_panel.h"
#include "widgets/panel_style.h"
#include "widgets/reconstruction_panel.h"
#include "widgets/sigma_histogram.h"
#include "widgets/views_panel.h"

namespace {

constexpr int kSide = 16;  // image side, pixels
constexpr int kPatch = 4;  // patch side, pixels
constexpr int kGrid = kSide / kPatch;
constexpr int kViews = 2;
constexpr int kSamples = 2;

QImage randomImage(QRandomGenerator& rng) {
  QImage image(kSide, kSide, QImage::Format_RGB32);
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x)
      image.setPixel(x, y, qRgb(int(rng.bounded(256)), int(rng.bounded(256)), int(rng.bounded(256))));
  return image;
}

QBitArray randomMask(QRandomGenerator& rng) {
  QBitArray mask(kGrid * kGrid);
  for (int b = 0; b < mask.size(); ++b) mask.setBit(b, rng.bounded(2) == 1);
  // At least one masked and one visible patch, so both branches are always exercised.
  mask.setBit(0, true);
  mask.setBit(mask.size() - 1, false);
  return mask;
}

// A complete snapshot: V = 2 views of k = 2 samples, 16x16 images, 4x4 patches.
SnapshotImages makeSnapshot(quint32 seed = 1234) {
  QRandomGenerator rng(seed);
  SnapshotImages s;
  s.step = 42;
  s.numViews = kViews;
  s.numSamples = kSamples;
  s.patchSize = kPatch;
  s.gridWidth = kGrid;
  s.gridHeight = kGrid;
  s.maskRatio = 0.5;
  s.hasDecoder = true;
  s.hasDenoise = true;
  s.normPix = true;
  s.sigmaMax = 0.8;
  for (int i = 0; i < kSamples; ++i) s.originals.append(randomImage(rng));
  for (int idx = 0; idx < kViews * kSamples; ++idx) {
    s.views.append(randomImage(rng));
    s.masks.append(randomMask(rng));
    s.noisy.append(randomImage(rng));
    s.sigma.append(rng.generateDouble() * s.sigmaMax);
    s.prediction.append(randomImage(rng));
    s.trueNoise.append(randomImage(rng));
    s.predictedNoise.append(randomImage(rng));
    s.denoised.append(randomImage(rng));
    s.noiseScale.append(0.5 + idx);
    s.denoiseError.append(0.001 * (idx + 1) + rng.generateDouble() * 1e-4);
  }
  s.sigma[0] = 0.1234;  // a caption checked against a literal below
  s.sigmaBatch = {0.0, s.sigmaMax, s.sigmaMax, 0.5 * s.sigmaMax};
  for (int n = 0; n < 60; ++n) s.sigmaBatch.append(rng.generateDouble() * s.sigmaMax);
  return s;
}

bool maskedAt(const SnapshotImages& s, int idx, int x, int y) {
  return s.masks[idx].testBit((y / s.patchSize) * s.gridWidth + x / s.patchSize);
}

// Independent of the panels: the view with masked pixels grey, pixel by pixel.
QImage expectedMasked(const SnapshotImages& s, const QImage& image, int idx) {
  QImage out(image.size(), QImage::Format_RGB32);
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x)
      out.setPixel(x, y, maskedAt(s, idx, x, y) ? kMaskedGrey : image.pixel(x, y));
  return out;
}

void showPanel(QWidget* panel) {
  panel->resize(1100, 1500);
  panel->show();
  QVERIFY(QTest::qWaitForWindowExposed(panel));
}

QImage grabbed(QWidget* panel, const char* name) {
  QImage image = panel->grab().toImage().convertToFormat(QImage::Format_RGB32);
  const QByteArray dir = qgetenv("CAN_TEST_PNG_DIR");
  if (!dir.isEmpty()) image.save(QString::fromLocal8Bit(dir) + QStringLiteral("/panel_%1.png").arg(name));
  return image;
}

// "" when tile (row, col) of `grid`, as drawn in `shot` (a grab of `panel`), shows `expected`
// with every source pixel as an exact s x s block; else the first difference.
QString tileMismatch(QWidget* panel, const QImage& shot, ImageGrid* grid, int row, int col,
                     const QImage& expected) {
  const QRect rect = grid->tileRect(row, col);
  if (rect.isEmpty()) return QStringLiteral("tile (%1, %2) has no image area").arg(row).arg(col);
  const int s = rect.width() / expected.width();
  if (s < 1 || rect.size() != expected.size() * s)
    return QStringLiteral("tile (%1, %2) is %3x%4, not a multiple of the image")
        .arg(row)
        .arg(col)
        .arg(rect.width())
        .arg(rect.height());
  if (shot.devicePixelRatio() != 1.0) return QStringLiteral("grab has device pixel ratio != 1");
  const QPoint origin = grid->mapTo(panel, rect.topLeft());
  for (int y = 0; y < expected.height(); ++y)
    for (int x = 0; x < expected.width(); ++x)
      for (int dy = 0; dy < s; ++dy)
        for (int dx = 0; dx < s; ++dx) {
          const QPoint at = origin + QPoint(x * s + dx, y * s + dy);
          if (!shot.rect().contains(at))
            return QStringLiteral("tile (%1, %2) is off screen").arg(row).arg(col);
          const QRgb got = shot.pixel(at), want = expected.pixel(x, y) | 0xff000000u;
          if (got != want)
            return QStringLiteral("tile (%1, %2) source pixel (%3, %4), screen (%5, %6): got #%7, want #%8")
                .arg(row)
                .arg(col)
                .arg(x)
                .arg(y)
                .arg(at.x())
                .arg(at.y())
                .arg(got, 8, 16, QLatin1Char('0'))
                .arg(want, 8, 16, QLatin1Char('0'));
        }
  return {};
}

}  // namespace

class TestPanels : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void viewsPanelDrawsOriginalsAndViews();
  void viewsPanelWithOneView();
  void masksPanelGreysExactlyTheMaskedPatches();
  void noisePanelCaptionsAndHistogram();
  void sigmaHistogramBinEdges();
  void reconstructionPanelPastesPredictionOnMaskedPatches();
  void reconstructionPanelWithoutDecoder();
  void denoisingPanelCaptionsAndGreyPatches();
  void denoisingPanelWithoutNoise();
  void inconsistentSnapshotsClearEveryPanel();
};

void TestPanels::viewsPanelDrawsOriginalsAndViews() {
  const SnapshotImages s = makeSnapshot();
  ViewsPanel panel;
  showPanel(&panel);
  panel.setSnapshot(s);
  ImageGrid* grid = panel.grid();
  QCOMPARE(grid->rowCount(), kSamples);
  QCOMPARE(grid->columnCount(), 1 + kViews);
  QVERIFY(grid->scale() >= 2);  // a 1100 px panel has room to enlarge 16 px images
  const QImage shot = grabbed(&panel, "views");
  for (int i = 0; i < kSamples; ++i) {
    QString bad = tileMismatch(&panel, shot, grid, i, 0, s.originals[i]);
    QVERIFY2(bad.isEmpty(), qPrintable(bad));
    for (int v = 0; v < kViews; ++v) {
      bad = tileMismatch(&panel, shot, grid, i, 1 + v, s.views[v * kSamples + i]);
      QVERIFY2(bad.isEmpty(), qPrintable(bad));
    }
  }
}

void TestPanels::viewsPanelWithOneView() {
  SnapshotImages s = makeSnapshot();
  s.numViews = 1;
  s.views.resize(kSamples);
  ViewsPanel panel;
  showPanel(&panel);
  panel.setSnapshot(s);
  QCOMPARE(panel.grid()->columnCount(), 2);
  QCOMPARE(panel.grid()->columnTitles().size(), 2);
  const QImage shot = grabbed(&panel, "views_one");
  const QString bad = tileMismatch(&panel, shot, panel.grid(), 1, 1, s.views[1]);
  QVERIFY2(bad.isEmpty(), qPrintable(bad));
}

void TestPanels::masksPanelGreysExactlyTheMaskedPatches() {
  const SnapshotImages s = makeSnapshot();
  MasksPanel panel;
  showPanel(&panel);
  panel.setSnapshot(s);
  ImageGrid* grid = panel.grid();
  QCOMPARE(grid->rowCount(), kSamples);
  QCOMPARE(grid->columnCount(), kViews);
  const QImage shot = grabbed(&panel, "masks");
  for (int i = 0; i < kSamples; ++i) {
    for (int v = 0; v < kViews; ++v) {
      const int idx = v * kSamples + i;
      const QString bad = tileMismatch(&panel, shot, grid, i, v, expectedMasked(s, s.views[idx], idx));
      QVERIFY2(bad.isEmpty(), qPrintable(bad));
      int count = 0;
      for (int b = 0; b < kGrid * kGrid; ++b) count += s.masks[idx].testBit(b) ? 1 : 0;
      QCOMPARE(grid->caption(i, v), QStringLiteral("%1 of %2 patches masked").arg(count).arg(kGrid * kGrid));
    }
  }
  auto* ratio = panel.findChild<QLabel*>(QStringLiteral("maskRatioLabel"));
  QVERIFY(ratio);
  QCOMPARE(ratio->text(), QStringLiteral("mask ratio 0.50"));

  // Retranslation rebuilds the texts from the cached data, not from nothing.
  QEvent languageChange(QEvent::LanguageChange);
  QCoreApplication::sendEvent(&panel, &languageChange);
  QCOMPARE(grid->rowCount(), kSamples);
  QVERIFY(grid->caption(0, 0).endsWith(QStringLiteral("patches masked")));
}

void TestPanels::noisePanelCaptionsAndHistogram() {
  const SnapshotImages s = makeSnapshot();
  NoisePanel panel;
  showPanel(&panel);
  panel.setSnapshot(s);
  ImageGrid* grid = panel.grid();
  QCOMPARE(grid->rowCount(), kSamples);
  QCOMPARE(grid->columnCount(), kViews);
  const QImage shot = grabbed(&panel, "noise");
  QCOMPARE(grid->caption(0, 0), QStringLiteral("σ = 0.123"));  // sigma[0] = 0.1234
  for (int i = 0; i < kSamples; ++i) {
    for (int v = 0; v < kViews; ++v) {
      const int idx = v * kSamples + i;
      QCOMPARE(grid->caption(i, v), QString(QStringLiteral("σ = ") + QString::number(s.sigma[idx], 'f', 3)));
      const QString bad = tileMismatch(&panel, shot, grid, i, v, s.noisy[idx]);
      QVERIFY2(bad.isEmpty(), qPrintable(bad));
    }
  }

  QVector<int> expected(kSigmaHistogramBins, 0);
  const double width = s.sigmaMax / kSigmaHistogramBins;
  for (double sigma : s.sigmaBatch) {
    for (int b = 0; b < kSigmaHistogramBins; ++b) {
      const bool last = b == kSigmaHistogramBins - 1;
      if (sigma >= b * width && (sigma < (b + 1) * width || (last && sigma <= s.sigmaMax))) {
        ++expected[b];
        break;
      }
    }
  }
  QCOMPARE(panel.histogram()->binCounts(), expected);
  QCOMPARE(expected.front() >= 1, true);  // 0.0 is in the first bin
  QCOMPARE(expected.back() >= 2, true);   // both sigma_max values in the last
  int total = 0;
  for (int c : panel.histogram()->binCounts()) total += c;
  QCOMPARE(total, int(s.sigmaBatch.size()));
}

void TestPanels::sigmaHistogramBinEdges() {
  SigmaHistogram histogram;
  histogram.setValues({0.0, 1.0, 0.05, 0.0499, 0.999, 0.5, 1.0}, 1.0);
  QVector<int> expected(kSigmaHistogramBins, 0);
  expected[0] = 2;   // 0.0, 0.0499
  expected[1] = 1;   // 0.05 starts bin 1
  expected[10] = 1;  // 0.5
  expected[19] = 3;  // 0.999 and sigma_max twice
  QCOMPARE(histogram.binCounts(), expected);
  histogram.setValues({0.0, 0.0}, 0.0);  // noise off: everything is sigma = 0
  QCOMPARE(histogram.binCounts().front(), 2);
  histogram.clear();
  QCOMPARE(histogram.binCounts(), QVector<int>(kSigmaHistogramBins, 0));
}

void TestPanels::reconstructionPanelPastesPredictionOnMaskedPatches() {
  const SnapshotImages s = makeSnapshot();
  ReconstructionPanel panel;
  showPanel(&panel);
  panel.setSnapshot(s);
  ImageGrid* grid = panel.grid();
  QCOMPARE(grid->rowCount(), kSamples * kViews);
  QCOMPARE(grid->columnCount(), 3);
  const QImage shot = grabbed(&panel, "reconstruction");
  for (int i = 0; i < kSamples; ++i) {
    for (int v = 0; v < kViews; ++v) {
      const int idx = v * kSamples + i, row = i * kViews + v;
      QImage reconstruction(kSide, kSide, QImage::Format_RGB32);
      for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x)
          reconstruction.setPixel(
              x, y, maskedAt(s, idx, x, y) ? s.prediction[idx].pixel(x, y) : s.views[idx].pixel(x, y));
      QString bad = tileMismatch(&panel, shot, grid, row, 0, expectedMasked(s, s.views[idx], idx));
      QVERIFY2(bad.isEmpty(), qPrintable(bad));
      bad = tileMismatch(&panel, shot, grid, row, 1, reconstruction);
      QVERIFY2(bad.isEmpty(), qPrintable(bad));
      bad = tileMismatch(&panel, shot, grid, row, 2, s.views[idx]);
      QVERIFY2(bad.isEmpty(), qPrintable(bad));
    }
  }
  auto* note = panel.findChild<QLabel*>(QStringLiteral("normPixNote"));
  QVERIFY(note);
  QVERIFY(note->isVisibleTo(&panel));
  QVERIFY(note->text().contains(QStringLiteral("norm_pix")));

  SnapshotImages plain = s;
  plain.normPix = false;
  panel.setSnapshot(plain);
  QVERIFY(!note->isVisibleTo(&panel));
  QCOMPARE(grid->rowCount(), kSamples * kViews);
}

void TestPanels::reconstructionPanelWithoutDecoder() {
  SnapshotImages s = makeSnapshot();
  s.hasDecoder = false;
  s.hasDenoise = false;
  s.prediction.clear();
  ReconstructionPanel panel;
  showPanel(&panel);
  panel.setSnapshot(s);
  QCOMPARE(panel.grid()->rowCount(), 0);
  auto* message = panel.findChild<QLabel*>(QStringLiteral("messageLabel"));
  QVERIFY(message);
  QVERIFY(message->isVisibleTo(&panel));
  QVERIFY(message->text().contains(QStringLiteral("SimCLR")));
  QVERIFY(!panel.findChild<QLabel*>(QStringLiteral("normPixNote"))->isVisibleTo(&panel));
  grabbed(&panel, "reconstruction_no_decoder");

  // A decoder without the reconstruction objective (N only): no prediction, and a message
  // other than the SimCLR one.
  SnapshotImages noiseOnly = makeSnapshot();
  noiseOnly.prediction.clear();
  panel.setSnapshot(noiseOnly);
  QCOMPARE(panel.grid()->rowCount(), 0);
  QVERIFY(message->isVisibleTo(&panel));
  QVERIFY(message->text().contains(QStringLiteral("(A)")));

  panel.setSnapshot(makeSnapshot());
  QVERIFY(!message->isVisibleTo(&panel));
  QCOMPARE(panel.grid()->rowCount(), kSamples * kViews);
}

void TestPanels::denoisingPanelCaptionsAndGreyPatches() {
  SnapshotImages s = makeSnapshot();
  s.noiseScale[0] = 1.5;
  s.denoiseError[0] = 0.012345;
  DenoisingPanel panel;
  showPanel(&panel);
  panel.setSnapshot(s);
  ImageGrid* grid = panel.grid();
  QCOMPARE(grid->rowCount(), kSamples * kViews);
  QCOMPARE(grid->columnCount(), 3);
  QCOMPARE(grid->caption(0, 0), QStringLiteral("scale ±1.5"));
  QCOMPARE(grid->caption(0, 1), QStringLiteral("error 0.0123"));
  QCOMPARE(grid->caption(0, 2), QString());
  const QImage shot = grabbed(&panel, "denoising");
  for (int i = 0; i < kSamples; ++i) {
    for (int v = 0; v < kViews; ++v) {
      const int idx = v * kSamples + i, row = i * kViews + v;
      QCOMPARE(grid->caption(row, 0),
               QStringLiteral("scale ±%1").arg(QString::number(s.noiseScale[idx], 'g', 3)));
      QCOMPARE(grid->caption(row, 1),
               QStringLiteral("error %1").arg(QString::number(s.denoiseError[idx], 'g', 3)));
      QString bad = tileMismatch(&panel, shot, grid, row, 0, expectedMasked(s, s.trueNoise[idx], idx));
      QVERIFY2(bad.isEmpty(), qPrintable(bad));
      bad = tileMismatch(&panel, shot, grid, row, 1, expectedMasked(s, s.predictedNoise[idx], idx));
      QVERIFY2(bad.isEmpty(), qPrintable(bad));
      bad = tileMismatch(&panel, shot, grid, row, 2, expectedMasked(s, s.denoised[idx], idx));
      QVERIFY2(bad.isEmpty(), qPrintable(bad));
    }
  }
}

void TestPanels::denoisingPanelWithoutNoise() {
  SnapshotImages s = makeSnapshot();
  s.hasDenoise = false;
  s.predictedNoise.clear();
  s.denoised.clear();
  s.denoiseError.clear();
  DenoisingPanel panel;
  showPanel(&panel);
  panel.setSnapshot(s);
  QCOMPARE(panel.grid()->rowCount(), 0);
  auto* message = panel.findChild<QLabel*>(QStringLiteral("messageLabel"));
  QVERIFY(message);
  QVERIFY(message->isVisibleTo(&panel));
  QVERIFY(!message->text().isEmpty());
  grabbed(&panel, "denoising_off");
}

void TestPanels::inconsistentSnapshotsClearEveryPanel() {
  QVector<SnapshotImages> broken;
  SnapshotImages s = makeSnapshot();
  s.views.removeLast();  // V*k - 1 views
  broken.append(s);
  s = makeSnapshot();
  s.originals.append(s.originals.front());  // k + 1 originals
  broken.append(s);
  s = makeSnapshot();
  s.masks.removeLast();
  s.sigma.removeLast();
  s.prediction.removeLast();
  s.trueNoise.removeLast();
  s.noisy.removeLast();
  broken.append(s);
  s = makeSnapshot();
  s.masks[1].resize(3);  // not gridWidth * gridHeight bits
  s.prediction.clear();
  s.noiseScale.clear();
  s.sigma.clear();
  broken.append(s);
  s = makeSnapshot();
  s.numViews = 3;  // claims more views than there are
  broken.append(s);
  s = makeSnapshot();
  s.numSamples = -1;
  broken.append(s);

  ViewsPanel views;
  MasksPanel masks;
  NoisePanel noise;
  ReconstructionPanel reconstruction;
  DenoisingPanel denoising;
  const QVector<QWidget*> panels{&views, &masks, &noise, &reconstruction, &denoising};
  for (QWidget* panel : panels) showPanel(panel);

  for (int n = 0; n < broken.size(); ++n) {
    const SnapshotImages good = makeSnapshot();
    views.setSnapshot(good);
    masks.setSnapshot(good);
    noise.setSnapshot(good);
    reconstruction.setSnapshot(good);
    denoising.setSnapshot(good);
    QCOMPARE(masks.grid()->rowCount(), kSamples);  // filled before the broken one arrives

    const SnapshotImages& bad = broken[n];
    views.setSnapshot(bad);
    masks.setSnapshot(bad);
    noise.setSnapshot(bad);
    reconstruction.setSnapshot(bad);
    denoising.setSnapshot(bad);
    // In these two only masks/predictions/sigmas are broken: originals and views still fine.
    const bool viewsOk = n == 2 || n == 3;
    QCOMPARE(views.grid()->rowCount(), viewsOk ? kSamples : 0);
    QCOMPARE(masks.grid()->rowCount(), 0);
    QCOMPARE(noise.grid()->rowCount(), 0);
    QCOMPARE(reconstruction.grid()->rowCount(), 0);
    QCOMPARE(denoising.grid()->rowCount(), 0);
    QCOMPARE(noise.histogram()->binCounts(), QVector<int>(kSigmaHistogramBins, 0));
    for (QWidget* panel : panels) QVERIFY(!panel->grab().isNull());  // paints without crashing
  }
}

QTEST_MAIN(TestPanels)
#include "tst_panels.moc"
