// The studio's Bench window against the library: on tiny checkpoints made here, the numbers
// each tab shows (health numbers, the sweep plot's drawn points, the attention map) equal
// what core/analysis computes directly on can-analyze's batch and draws, and what the
// can-analyze process prints; the attention map sums to 1 over visible patches; A/B with the
// same checkpoint twice gives a zero difference and identical reconstructions, with two
// different ones a non-zero difference equal to B's sweep minus A's; models of another patch
// size are refused in words; a missing checkpoint is named in the window; Cancel stops a run
// and keeps what the window showed.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include "app/bench_view.h"
#include "core/analysis/ab_comparison.h"
#include "core/analysis/embeddings.h"
#include "core/model/patchify.h"
#include "core/train/checkpoint.h"
#include "tests/app/studio_fixtures.h"
#include "tests/core/tiny_model.h"
#include "widgets/attention_view.h"
#include "widgets/health_view.h"
#include "widgets/sigma_sweep_plot.h"

using namespace studio_test;
namespace an = can::analysis;

namespace {

bool near(double a, double b, double tol = 1e-9) { return std::abs(a - b) <= tol * std::max(1.0, std::abs(b)); }

// A tiny checkpoint of `steps` AdamW steps on the run's own batches.
QString makeCheckpoint(const QString& root, const QString& name, int seed, int steps, int64_t patch = 4) {
  can::RunConfig config;
  config.model = can::test::tiny_model_config(1);
  config.model.patch_size = patch;
  config.data.dataset = "fashion-mnist";
  config.data.path = root.toStdString();
  config.loss.sigma_max = 0.5;
  torch::manual_seed(seed);
  can::CanModel model(config.model, config.objectives, config.loss.sigma_max);
  torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(1e-3));
  for (int step = 0; step < steps; ++step) {
    auto b = an::load_analysis_batch(config, 8, static_cast<uint64_t>(step));
    auto out = model->forward(b.view1, b.view2, config.loss);
    optimizer.zero_grad();
    out.loss.backward();
    optimizer.step();
  }
  can::TrainState state;
  state.step = steps;
  const std::string dir = QDir(root).filePath(name).toStdString();
  can::save_checkpoint(dir, config, model, optimizer, state);
  return QString::fromStdString(dir);
}

QVector<double> rowOf(const torch::Tensor& t) {
  auto d = t.to(torch::kFloat64).contiguous();
  return QVector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

bool analyse(BenchView& view, const QString& a, const QString& b, int images, int seed) {
  view.setCheckpoint(a);
  view.setCheckpointB(b);
  view.setImages(images);
  view.setSeed(seed);
  QSignalSpy spy(&view, &BenchView::finished);
  if (!view.start()) return false;
  return spy.wait(240000) && spy.front().front().toString().isEmpty();
}

}  // namespace

class TestBenchView : public QObject {
  Q_OBJECT
  QString root_, runA_, runB_, runPatch8_;

 private Q_SLOTS:
  void initTestCase() {
    torch::set_num_threads(1);
    root_ = scratch("bench");
    can_test::write_idx_split(root_.toStdString(), "train", 40, 16, 16, false);
    runA_ = makeCheckpoint(root_, "runA", 4, 5);
    runB_ = makeCheckpoint(root_, "runB", 7, 3);
    runPatch8_ = makeCheckpoint(root_, "runP8", 4, 1, 8);
  }

  void tabsShowWhatTheLibraryComputes() {
    BenchView view;
    QVERIFY(analyse(view, runA_, "", 6, 3));
    // The same analysis, step by step, as docs/bench.md describes it.
    can::RunConfig config;
    auto model = can::load_model(runA_.toStdString(), &config);
    auto batch = an::load_analysis_batch(config, 6, 3);
    can::LossParams params = config.loss;
    params.pixel_std.assign(batch.std.begin(), batch.std.end());
    auto draws = an::sweep_draws(model, 6, 3);
    torch::NoGradGuard no_grad;

    // Health: the numbers and the labels that print them.
    auto e = an::view_embeddings(model, batch.view1, batch.view2, params, draws);
    auto h = an::representation_health(e.u1, e.u2, 40);
    const HealthData& d = view.healthView()->data();
    QVERIFY(near(d.effectiveRank, h.effective_rank));
    QVERIFY(near(d.alignment, h.alignment));
    QVERIFY(near(d.uniformity, h.uniformity));
    QCOMPARE(d.positiveCounts, QVector<qint64>(h.positive_cos.counts.begin(), h.positive_cos.counts.end()));
    QCOMPARE(d.negativeCounts, QVector<qint64>(h.negative_cos.counts.begin(), h.negative_cos.counts.end()));
    QVERIFY(view.healthView()->shownText("rank").contains(QString::number(h.effective_rank, 'f', 2)));
    QVERIFY(view.healthView()->shownText("alignment").contains(QString::number(h.alignment, 'f', 4)));
    std::vector<double> sorted = h.dim_std;
    std::sort(sorted.rbegin(), sorted.rend());
    QCOMPARE(view.healthView()->plottedStd(), QVector<double>(sorted.begin(), sorted.end()));
    QVERIFY(near(view.healthView()->plottedUniformLine(), 1.0 / std::sqrt(double(h.dim))));

    // σ sweep: the plot's points are the sweep's values, true/shuffled/zero in that order.
    an::SigmaSweepOptions o;
    o.seed = 3;
    auto s = an::sigma_sweep(model, batch.view1, batch.view2, params, draws, o);
    QCOMPARE(view.verdictText(), QString::fromStdString(s.verdict));
    SigmaSweepPlot* plot = view.sweepPlot();
    QCOMPARE(plot->panelCount(), 2);
    QCOMPARE(plot->markerX(), 0.5);
    const std::vector<double>* curves[2][3] = {{&s.true_sigma.denoise, &s.wrong_sigma.denoise, &s.zero_sigma.denoise},
                                               {&s.true_sigma.rec, &s.wrong_sigma.rec, &s.zero_sigma.rec}};
    for (int p = 0; p < 2; ++p)
      for (int c = 0; c < 3; ++c) {
        const QVector<QPointF> pts = plot->plotted(p, c);
        QCOMPARE(pts.size(), int(s.sigma.size()));
        for (int k = 0; k < pts.size(); ++k) {
          QVERIFY(near(pts[k].x(), s.sigma[k]));
          QVERIFY2(near(pts[k].y(), (*curves[p][c])[k]),
                   qPrintable(QString("panel %1 curve %2 point %3").arg(p).arg(c).arg(k)));
        }
      }
    QCOMPARE(plot->plotted(0, 0).back().x(), 1.0);  // 2 σ_max

    // Attention: the last layer's mean-of-heads map by default, then other layers, heads, rollout.
    auto m = can::random_masking_from_noise(draws.mask_noise.narrow(0, 0, 6), config.loss.mask_ratio);
    auto att = an::encoder_attention(model, batch.view1, m.ids_keep);
    AttentionView* av = view.attentionView();
    for (auto [image, layer, head, rollout] : std::vector<std::tuple<int, int, int, bool>>{
             {0, -1, -1, false}, {2, 0, 1, false}, {5, 1, 0, false}, {3, -1, -1, true}}) {
      view.setAttention(image, layer, head, rollout);
      const int l = layer < 0 ? int(config.model.depth) + layer : layer;
      auto expected = rollout ? an::to_grid(an::rollout_map(att), att.ids_keep, 16)
                              : an::to_grid(an::layer_map(att, l, head), att.ids_keep, 16);
      const QVector<double> want = rowOf(expected[image]), shown = av->map();
      QCOMPARE(shown.size(), 16);
      for (int t = 0; t < 16; ++t) {
        QVERIFY(near(shown[t], want[t], 1e-6));
        QCOMPARE(av->masked().testBit(t), m.mask[image][t].item<float>() > 0.5f);
      }
      double sum = 0;  // by hand: over the patches the encoder saw
      for (int t = 0; t < 16; ++t)
        if (m.mask[image][t].item<float>() < 0.5f) sum += shown[t];
      QVERIFY2(near(sum, 1.0, 1e-5), qPrintable(QString::number(sum)));
    }

    // And what can-analyze prints for the same arguments.
    const QString tool = QFileInfo(qEnvironmentVariable("CAN_TRAIN_EXE")).dir().filePath("can-analyze");
    if (!QFileInfo::exists(tool)) QSKIP("can-analyze not built");
    QProcess p;
    p.start(tool, {"--checkpoint", runA_, "--images", "6", "--seed", "3", "--threads", "1"});
    QVERIFY(p.waitForFinished(240000));
    QCOMPARE(p.exitCode(), 0);
    const auto j = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
    QVERIFY(near(j["health"]["effective_rank"].get<double>(), d.effectiveRank, 1e-6));
    QVERIFY(near(j["health"]["uniformity"].get<double>(), d.uniformity, 1e-6));
    const auto printed = j["sigma_sweep"]["zero"]["rec"].get<std::vector<double>>();
    const QVector<QPointF> drawn = plot->plotted(1, 2);
    for (int k = 0; k < drawn.size(); ++k) QVERIFY(near(drawn[k].y(), printed[k], 1e-6));
    QCOMPARE(QString::fromStdString(j["sigma_sweep"]["verdict"].get<std::string>()), view.verdictText());
    view.setAttention(0, -1, -1, false);
    const auto row0 = j["attention"]["map"][0].get<std::vector<double>>();
    for (int t = 0; t < 16; ++t) QVERIFY(near(av->map()[t], row0[t], 1e-6));
  }

  void sameCheckpointTwiceDiffersByNothing() {
    BenchView view;
    QVERIFY(analyse(view, runA_, runA_, 6, 1));
    QVERIFY2(view.abMessage().contains("B:"), qPrintable(view.abMessage()));
    SigmaSweepPlot* diff = view.differencePlot();
    QCOMPARE(diff->panelCount(), 2);
    for (int p = 0; p < 2; ++p) {
      QCOMPARE(diff->plotted(p, 0).size(), 11);
      for (const QPointF& pt : diff->plotted(p, 0)) QCOMPARE(pt.y(), 0.0);
    }
    for (int row = 0; row < 4; ++row) {
      QVERIFY(!view.abImage(row, 1).isNull());
      QCOMPARE(view.abImage(row, 1), view.abImage(row, 2));
      QCOMPARE(view.abImage(row, 3), view.abImage(row, 4));
    }
  }

  void twoCheckpointsDifferAsTheirSweeps() {
    BenchView view;
    QVERIFY(analyse(view, runA_, runB_, 6, 1));
    // B on A's batch and draws, by hand: B's sweep minus A's.
    can::RunConfig ca, cb;
    auto a = can::load_model(runA_.toStdString(), &ca);
    auto b = can::load_model(runB_.toStdString(), &cb);
    auto batch = an::load_analysis_batch(ca, 6, 1);
    can::LossParams pa = ca.loss;
    pa.pixel_std.assign(batch.std.begin(), batch.std.end());
    auto draws = an::sweep_draws(a, 6, 1);
    an::SigmaSweepOptions o;
    o.seed = 1;
    auto sa = an::sigma_sweep(a, batch.view1, batch.view2, pa, draws, o);
    auto sb = an::sigma_sweep(b, batch.view1, batch.view2, an::params_on(cb.loss, pa), draws, o);
    double largest = 0;
    const QVector<QPointF> drawn = view.differencePlot()->plotted(0, 0);
    for (int k = 0; k < drawn.size(); ++k) {
      const double want = sb.true_sigma.denoise[k] - sa.true_sigma.denoise[k];
      QVERIFY(near(drawn[k].y(), want, 1e-9));
      largest = std::max(largest, std::abs(drawn[k].y()));
    }
    QVERIFY(largest > 1e-6);
    QVERIFY(view.abImage(0, 1) != view.abImage(0, 2));
  }

  void otherPatchSizeIsRefusedInWords() {
    BenchView view;
    QVERIFY(analyse(view, runA_, runPatch8_, 4, 0));
    QVERIFY2(view.abMessage().contains("patch size 4 vs 8"), qPrintable(view.abMessage()));
    QCOMPARE(view.differencePlot()->panelCount(), 0);
  }

  // Experiments -> Bench… sits beside Evaluate… and opens the window on the selected run.
  void menuActionOpensTheWindow() {
    MainWindow w(scratch("bench-runs"));
    w.setConfirmClose(false);
    QAction* bench = w.action("bench");
    QVERIFY(bench);
    QCOMPARE(bench->text(), QString("Bench…"));
    QMenu* menu = nullptr;
    for (QAction* top : w.menuBar()->actions())
      if (top->menu() && top->menu()->actions().contains(w.action("evaluate"))) menu = top->menu();
    QVERIFY(menu && menu->actions().contains(bench));
    BenchView* view = w.showBench(runA_);
    QCOMPARE(QDir::fromNativeSeparators(view->checkpoint()), runA_);
    QVERIFY(view->isVisible());
    QCOMPARE(w.showBench(QString()), view);  // made once and kept
  }

  void missingCheckpointIsNamed() {
    BenchView view;
    const QString missing = QDir(root_).filePath("no-such-run");
    QVERIFY(!analyse(view, missing, "", 4, 0));
    QVERIFY2(view.statusText().contains("no-such-run"), qPrintable(view.statusText()));
    QVERIFY(!view.running());
    QVERIFY(view.result() == nullptr);
  }

  // Cancel stops the analysis at its next stage: the window says so, keeps the result it
  // showed (none, then the finished one), and can run again. cancel() right after start()
  // is always seen, because loading checkpoint A comes before the first check.
  void cancelKeepsWhatWasShown() {
    BenchView view;
    view.setCheckpoint(runA_);
    view.setImages(4);
    QSignalSpy spy(&view, &BenchView::finished);
    QVERIFY(view.start());
    QVERIFY(view.running());
    view.cancel();
    QVERIFY(spy.wait(240000));
    QCOMPARE(spy.front().at(1).toBool(), true);  // cancelled
    QCOMPARE(view.statusText(), BenchView::tr("Cancelled"));
    QVERIFY(!view.running());
    QVERIFY(view.result() == nullptr);

    QVERIFY(analyse(view, runA_, "", 4, 1));
    const BenchResult* shown = view.result();
    QVERIFY(shown != nullptr);
    const QString verdict = view.verdictText();
    spy.clear();
    QVERIFY(view.start());
    view.cancel();
    QVERIFY(spy.wait(240000));
    QCOMPARE(spy.front().at(1).toBool(), true);
    QCOMPARE(view.result(), shown);  // the finished analysis stays on screen
    QCOMPARE(view.verdictText(), verdict);
  }
};

QTEST_MAIN(TestBenchView)
#include "tst_bench_view.moc"
