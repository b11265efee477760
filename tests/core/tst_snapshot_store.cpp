// RUN/snapshots: a snapshot of a real training step reads back within float16's rounding
// (masks and noise levels exactly); after 1000 steps the store holds at most twice
// train.snapshot_keep files, the newest `keep` all there and a history reaching back to the
// first; a damaged file is an error naming it.

#include "core/io/safetensors.h"
#include "core/train/snapshot_store.h"
#include "core/train/trainer.h"
#include "tests/core/trainer_fixtures.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

using namespace can;
namespace fs = std::filesystem;

namespace {

// One real snapshot: every tensor the studio draws, with the decoder's and the noise's.
Snapshot real_snapshot() {
  RunConfig c = test::tiny_run_config();
  c.train.steps = 1;
  c.train.snapshot_every = 1;
  c.train.snapshot_samples = 3;
  Trainer t(c, "", std::make_shared<test::SyntheticDataset>(40));
  test::RecordingObserver obs;
  t.set_observer(&obs);
  t.run();
  return obs.snapshots.at(0);
}

// A small hand-made snapshot of a given step (the bound's test writes a thousand).
Snapshot small_snapshot(int64_t step) {
  Snapshot s;
  s.step = step;
  s.num_views = 1;
  s.patch_size = 2;
  s.mean = {0.5f};
  s.std = {0.25f};
  s.original = torch::full({1, 1, 4, 4}, static_cast<float>(step) / 1000.0f);
  s.views = s.original.unsqueeze(0);
  s.noisy = s.views + 0.01;
  s.true_noise = s.noisy - s.views;
  s.mask = torch::zeros({1, 1, 2, 2});
  s.sigma = torch::full({1, 1}, 0.01f);
  return s;
}

// float16 keeps 11 significant bits: relative error <= 2^-11 for normal numbers.
bool within_half(const torch::Tensor& got, const torch::Tensor& want) {
  return got.sizes() == want.sizes() && got.scalar_type() == torch::kFloat &&
         torch::all((got - want).abs() <= want.abs() * (1.0 / 2048) + 1e-6).item<bool>();
}

bool has_text(const std::exception& e, const std::string& text) {
  return std::string(e.what()).find(text) != std::string::npos;
}

}  // namespace

class TestSnapshotStore : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void roundTrip() {
    const Snapshot s = real_snapshot();
    QVERIFY(s.reconstruction.defined() && s.predicted_noise.defined() && s.denoised.defined());
    const std::string path = test::fresh_dir("snapshot_round_trip") + "/step_1.safetensors";
    const SnapshotSettings settings{0.5, 0.05, true, true};
    write_snapshot_file(path, s, settings);
    const StoredSnapshot back = read_snapshot_file(path);
    const Snapshot& b = back.snapshot;
    QCOMPARE(b.step, s.step);
    QCOMPARE(b.num_views, s.num_views);
    QCOMPARE(b.patch_size, s.patch_size);
    QCOMPARE(b.mean, s.mean);
    QCOMPARE(b.std, s.std);
    QCOMPARE(back.settings.mask_ratio, 0.5);
    QCOMPARE(back.settings.sigma_max, 0.05);
    QVERIFY(back.settings.norm_pix && back.settings.denoise);
    for (auto field : {&Snapshot::original, &Snapshot::views, &Snapshot::noisy, &Snapshot::true_noise,
                       &Snapshot::reconstruction, &Snapshot::predicted_noise, &Snapshot::denoised})
      QVERIFY(within_half(b.*field, s.*field));
    QVERIFY(torch::equal(b.mask, s.mask.to(torch::kFloat)));  // exactly 0 and 1
    QVERIFY(torch::equal(b.sigma, s.sigma));                  // float32 kept as it is
    QVERIFY(torch::equal(b.sigma_batch, s.sigma_batch));
    // Compact: the pixels at two bytes each, the masks at one.
    const auto file = io::read_safetensors(path);
    QCOMPARE(file.entry("views").dtype, std::string("F16"));
    QCOMPARE(file.entry("mask").dtype, std::string("U8"));
  }

  // Without a decoder (contrastive only) the optional tensors stay undefined.
  void roundTripWithoutDecoder() {
    const Snapshot s = small_snapshot(7);
    const std::string path = test::fresh_dir("snapshot_no_decoder") + "/step_7.safetensors";
    write_snapshot_file(path, s, {});
    const Snapshot b = read_snapshot_file(path).snapshot;
    QVERIFY(!b.reconstruction.defined() && !b.predicted_noise.defined() && !b.denoised.defined());
    QVERIFY(within_half(b.views, s.views));
  }

  // The policy alone, over long runs: bounded, the newest all there, the history spread.
  void boundOfThePolicy() {
    for (int64_t keep : {1, 3, 20}) {
      for (int64_t total : {10, 1000, 100000}) {
        std::vector<int64_t> kept;
        for (int64_t step = 1; step <= total; ++step) {
          kept.push_back(step);
          kept = snapshot_steps_to_keep(kept, keep);
          QVERIFY(static_cast<int64_t>(kept.size()) <= 2 * keep);
        }
        const int64_t newest = std::min(keep, total);
        for (int64_t step = total - newest + 1; step <= total; ++step)
          QVERIFY(std::binary_search(kept.begin(), kept.end(), step));
        QCOMPARE(kept.front(), int64_t(1));  // the run's first snapshot stays
        // No gap wider than the spread of 2*keep files over the run would need, twice over.
        int64_t widest = 0;
        for (size_t i = 1; i < kept.size(); ++i) widest = std::max(widest, kept[i] - kept[i - 1]);
        QVERIFY2(widest <= std::max<int64_t>(2, 4 * total / keep),
                 qPrintable(QString("keep %1 total %2 widest %3").arg(keep).arg(total).arg(widest)));
      }
    }
    QVERIFY(snapshot_steps_to_keep({1, 2, 3}, 0).empty());
  }

  // The store on disk: 1000 steps written, the files left are what the bound keeps.
  void storeKeepsItsBoundOver1000Steps() {
    const std::string run = test::fresh_dir("snapshot_store_1000");
    constexpr int64_t kKeep = 20, kEvery = 1, kSteps = 1000;
    SnapshotStore store(run, kKeep, kEvery);
    const auto start = std::chrono::steady_clock::now();
    for (int64_t step = 1; step <= kSteps; ++step) {
      QVERIFY(store.is_due(step));
      store.write(small_snapshot(step), {});
    }
    qInfo("1000 snapshot writes: %.2f s",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    const std::vector<int64_t> kept = store.steps();
    // Counted independently of the store: the files in the folder.
    int64_t files = 0;
    for (const auto& e : fs::directory_iterator(SnapshotStore::dir_of(run))) files += e.is_regular_file() ? 1 : 0;
    QCOMPARE(files, static_cast<int64_t>(kept.size()));
    QVERIFY(files <= 2 * kKeep);
    for (int64_t step = kSteps - kKeep + 1; step <= kSteps; ++step) QVERIFY(fs::exists(store.path_of(step)));
    QCOMPARE(kept.front(), int64_t(1));
    QVERIFY(kept.size() > static_cast<size_t>(kKeep) + 5);  // a history, not only the newest
    // The history (older than the newest kKeep) covers the run evenly: its widest gap is at
    // most twice its narrowest.
    std::vector<int64_t> gaps;
    for (size_t i = 1; i + kKeep < kept.size(); ++i) gaps.push_back(kept[i] - kept[i - 1]);
    QVERIFY(*std::max_element(gaps.begin(), gaps.end()) <= 2 * *std::min_element(gaps.begin(), gaps.end()));
    QVERIFY(kept[kept.size() - kKeep - 1] > kSteps / 2);  // reaches up to the newest
    // Each kept file holds its own step.
    QCOMPARE(read_snapshot_file(store.path_of(kept[1])).snapshot.step, kept[1]);

    // Only multiples of `every` are due; a resumed run drops the abandoned steps.
    SnapshotStore every50(run, kKeep, 50);
    QVERIFY(every50.is_due(100) && !every50.is_due(101) && !every50.is_due(0));
    QVERIFY(!SnapshotStore(run, 0, 50).is_due(100));  // keep 0: none written
    store.drop_after(990);
    QCOMPARE(store.steps().back(), int64_t(990));
    // Other names in the folder are not snapshots.
    std::ofstream(SnapshotStore::dir_of(run) + "/notes.txt") << "x";
    std::ofstream(SnapshotStore::dir_of(run) + "/step_12.safetensors.tmp.1") << "x";
    QCOMPARE(SnapshotStore::list_snapshot_steps(run).back(), int64_t(990));
    QVERIFY(SnapshotStore::list_snapshot_steps(run + "/missing").empty());
  }

  void damagedFilesNameThemselves() {
    const std::string dir = test::fresh_dir("snapshot_damaged");
    const std::string path = dir + "/step_3.safetensors";
    write_snapshot_file(path, small_snapshot(3), {});
    // Truncated: the data section ends early.
    fs::resize_file(path, fs::file_size(path) - 10);
    try {
      read_snapshot_file(path);
      QFAIL("a truncated file was read");
    } catch (const SnapshotStoreError& e) {
      QVERIFY2(has_text(e, path), e.what());
    }
    // Garbage.
    std::ofstream(path, std::ios::trunc) << "not a safetensors file at all";
    try {
      read_snapshot_file(path);
      QFAIL("garbage was read");
    } catch (const SnapshotStoreError& e) {
      QVERIFY2(has_text(e, path), e.what());
    }
    // A valid safetensors file that is no snapshot.
    io::write_safetensors(path, {{"weight", torch::zeros({2})}});
    try {
      read_snapshot_file(path);
      QFAIL("a weights file was read as a snapshot");
    } catch (const SnapshotStoreError& e) {
      QVERIFY2(has_text(e, path) && has_text(e, "not a CAN snapshot"), e.what());
    }
    // Shapes that disagree (a mask of the wrong grid).
    Snapshot s = small_snapshot(3);
    s.mask = torch::zeros({1, 1, 3, 3});
    write_snapshot_file(path, s, {});
    try {
      read_snapshot_file(path);
      QFAIL("a snapshot with a wrong mask was read");
    } catch (const SnapshotStoreError& e) {
      QVERIFY2(has_text(e, path) && has_text(e, "mask"), e.what());
    }
    try {
      read_snapshot_file(dir + "/step_404.safetensors");
      QFAIL("a missing file was read");
    } catch (const SnapshotStoreError& e) {
      QVERIFY2(has_text(e, dir + "/step_404.safetensors"), e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestSnapshotStore)
#include "tst_snapshot_store.moc"
