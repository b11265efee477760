#pragma once
// Shared by the studio's tests: scratch folders, a tiny run on generated data, clicking the
// real toolbar buttons, waiting for the training thread.

#include "app/main_window.h"
#include "app/training_worker.h"
#include "tests/core/data_fixtures.h"

#include <QtTest/QtTest>
#include <QtWidgets>

namespace studio_test {

inline QString scratch(const QString& name) {
  const QString dir = qEnvironmentVariable("CAN_TEST_TMP", QDir::tempPath()) + "/studio/" + name;
  QDir(dir).removeRecursively();
  QDir().mkpath(dir);
  return dir;
}

// A tiny CAN run on 64 generated 16x16 images: a step takes milliseconds.
inline can::RunConfig tinyConfig(const QString& dataDir) {
  can::RunConfig c;
  for (auto [k, v] : std::initializer_list<std::pair<const char*, const char*>>{
           {"model.preset", "custom"}, {"model.embed_dim", "32"}, {"model.depth", "1"}, {"model.num_heads", "2"},
           {"model.decoder_embed_dim", "32"}, {"model.decoder_depth", "1"}, {"model.decoder_num_heads", "2"},
           {"model.img_size", "16"}, {"model.patch_size", "4"}, {"model.proj_dim", "16"},
           {"data.dataset", "fashion-mnist"}, {"data.num_workers", "1"}, {"train.batch_size", "8"},
           {"train.steps", "100000"}, {"train.snapshot_samples", "2"}, {"train.knn_every", "0"},
           {"train.checkpoint_every", "0"}, {"train.threads", "1"}})
    c.set_key(k, v);
  c.data.path = dataDir.toStdString();
  return c;
}

inline QString makeDataset(const QString& name) {
  const QString dir = scratch(name);
  can_test::write_idx_split(dir.toStdString(), "train", 64, 16, 16, false);
  return dir;
}

inline void click(MainWindow& w, const char* action) {
  QWidget* button = w.buttonFor(action);
  QVERIFY2(button, action);
  QVERIFY2(button->isEnabled(), action);
  QTest::mouseClick(button, Qt::LeftButton);
}

inline bool waitForStep(MainWindow& w, qint64 step, int timeoutMs = 60000) {
  QElapsedTimer t;
  t.start();
  while (w.worker()->lastStep() < step && t.elapsed() < timeoutMs) QTest::qWait(5);
  return w.worker()->lastStep() >= step;
}

}  // namespace studio_test
