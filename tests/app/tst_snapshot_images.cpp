// app/snapshot_images.cpp turns an engine snapshot into the panels' images. Here: the
// denoising panes' colour scale is the largest true noise on visible pixels (computed by
// hand below), so the truth shows in full colour even when an untrained prediction is 16x
// larger, and the prediction saturates at the end colours.

#include "app/snapshot_images.h"
#include "core/train/observer.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

class TestSnapshotImages : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void noiseScaleIsSetByTheVisibleTrueNoise() {
    // One view, one sample, 1 channel, 4x4 pixels, patch 2: a 2x2 grid, patch (0,1) masked.
    can::Snapshot s;
    s.num_views = 1;
    s.patch_size = 2;
    s.mean = {0.5f};
    s.std = {0.25f};
    s.original = torch::zeros({1, 1, 4, 4});
    s.views = torch::zeros({1, 1, 1, 4, 4});
    s.noisy = torch::zeros({1, 1, 1, 4, 4});
    s.mask = torch::tensor({0.f, 1.f, 0.f, 0.f}).view({1, 1, 2, 2});
    s.sigma = torch::full({1, 1}, 0.05f);
    s.true_noise = torch::zeros({1, 1, 1, 4, 4});
    auto truth = s.true_noise[0][0][0];
    truth[0][0] = 0.12f;   // visible
    truth[3][3] = -0.15f;  // visible: the largest magnitude on visible pixels
    truth[0][3] = 0.9f;    // under the masked patch (0,1): not counted
    s.predicted_noise = torch::zeros({1, 1, 1, 4, 4});
    s.predicted_noise[0][0][0][0][0] = 2.4f;  // an untrained decoder, 16x the noise
    s.denoised = torch::zeros({1, 1, 1, 4, 4});
    s.reconstruction = torch::zeros({1, 1, 1, 4, 4});
    SnapshotContext context;
    context.hasDenoise = true;
    context.sigmaMax = 0.05;
    const SnapshotImages out = toSnapshotImages(s, context);
    QCOMPARE(out.noiseScale.size(), 1);
    QCOMPARE(out.noiseScale[0], double(0.15f));
    // The truth's largest value is full blue (RdBu's end: 33, 102, 172); 0.12 is 80% of it.
    QCOMPARE(out.trueNoise[0].pixel(3, 3), qRgb(33, 102, 172));
    const double t = 0.12 / 0.15;
    QCOMPARE(out.trueNoise[0].pixel(0, 0),
             qRgb(int(std::lround(255 + t * (178 - 255))), int(std::lround(255 + t * (24 - 255))),
                  int(std::lround(255 + t * (43 - 255)))));
    // The prediction beyond the scale saturates at full red.
    QCOMPARE(out.predictedNoise[0].pixel(0, 0), qRgb(178, 24, 43));
  }
};

QTEST_MAIN(TestSnapshotImages)
#include "tst_snapshot_images.moc"
