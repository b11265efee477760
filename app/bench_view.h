#pragma once
// Bench: look inside one model (a window; docs/bench.md "In the studio"). A checkpoint,
// N images and a seed are analysed in the background (app/bench_task) with can-analyze's
// own functions on can-analyze's batch, and shown in four tabs:
//   σ sweep    L_denoise and L_rec against σ with the true, a shuffled and a zero noise-level
//              embedding (widgets/sigma_sweep_plot), and the verdict in words;
//   Health     per-dimension std, effective rank, cosine histograms, alignment, uniformity
//              (widgets/health_view);
//   Attention  a layer's and head's class-token (or mean-query) map, or the rollout, over
//              the visible patches of an image's view 1 (widgets/attention_view);
//   A/B        a second checkpoint on the same images, masks and noise: reconstructions,
//              per-patch errors and the B − A difference of the σ sweeps.
// bench_view.cpp builds the form, runs the task and fills the first two tabs;
// bench_view_tabs.cpp the attention and A/B tabs.

#include <QImage>
#include <QString>
#include <QWidget>

#include <memory>

#include "app/bench_task.h"

class AttentionView;
class HealthView;
class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class SigmaSweepPlot;

class BenchView : public QWidget {
  Q_OBJECT

 public:
  explicit BenchView(QWidget* parent = nullptr);
  ~BenchView() override;

  void setCheckpoint(const QString& path);   // A
  void setCheckpointB(const QString& path);  // "" = no A/B
  QString checkpoint() const;
  QString checkpointB() const;
  void setImages(int n);
  void setSeed(int seed);
  // Starts the analysis; false (reason in the status line) when one runs or A is empty.
  bool start();
  void cancel();
  bool running() const { return task_ != nullptr; }
  // "sweep", "health", "attention" or "ab"; false for another name.
  bool showTab(const QString& name);
  QString statusText() const;

  // What the tabs show, for tests: the analysis the window drew (null before the first).
  const BenchResult* result() const { return result_.get(); }
  SigmaSweepPlot* sweepPlot() const { return sweepPlot_; }
  QString verdictText() const;
  HealthView* healthView() const { return health_; }
  AttentionView* attentionView() const { return attention_; }
  // The attention tab's controls: image index, layer (-1 = the last), head (-1 = mean),
  // rollout instead of the layer's map.
  void setAttention(int image, int layer, int head, bool rollout);
  SigmaSweepPlot* differencePlot() const { return difference_; }
  QString abMessage() const;
  // The A/B tab's images of row i: 0 noisy masked input, 1 reconstruction A, 2 B, 3 error A, 4 error B.
  QImage abImage(int row, int column) const;

 Q_SIGNALS:
  // After every analysis: error "" on success.
  void finished(const QString& error, bool cancelled);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void build();
  QWidget* buildSweepTab();
  QWidget* buildHealthTab();
  QWidget* buildAttentionTab();  // bench_view_tabs.cpp
  QWidget* buildAbTab();         // bench_view_tabs.cpp
  void retranslate();
  void retranslateTabs();  // bench_view_tabs.cpp
  void updateRunning();
  void onDone(const QString& error, bool cancelled);
  void showResult();
  void showSweep();
  void showHealth();
  void fillAttentionControls();  // bench_view_tabs.cpp
  void showAttention();          // bench_view_tabs.cpp
  void showAb();                 // bench_view_tabs.cpp

  std::shared_ptr<BenchResult> result_;
  BenchTask* task_ = nullptr;
  QLineEdit *path_ = nullptr, *pathB_ = nullptr;
  QPushButton *browse_ = nullptr, *browseB_ = nullptr, *run_ = nullptr, *cancel_ = nullptr;
  QSpinBox *images_ = nullptr, *seed_ = nullptr;
  QLabel *pathLabel_ = nullptr, *pathBLabel_ = nullptr, *imagesLabel_ = nullptr, *seedLabel_ = nullptr,
         *status_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  // σ sweep
  QLabel *verdict_ = nullptr, *sweepNote_ = nullptr;
  SigmaSweepPlot* sweepPlot_ = nullptr;
  // Health
  HealthView* health_ = nullptr;
  QLabel* healthNote_ = nullptr;
  // Attention
  QSpinBox* attImage_ = nullptr;
  QComboBox *attLayer_ = nullptr, *attHead_ = nullptr, *attMode_ = nullptr;
  QLabel *attImageLabel_ = nullptr, *attLayerLabel_ = nullptr, *attHeadLabel_ = nullptr, *attCaption_ = nullptr,
         *attClean_ = nullptr;
  AttentionView* attention_ = nullptr;
  // A/B
  QLabel *abMessage_ = nullptr, *abCaption_ = nullptr, *differenceLabel_ = nullptr;
  QGridLayout* abGrid_ = nullptr;
  QVector<QVector<QImage>> abImages_;  // [row][column]
  SigmaSweepPlot* difference_ = nullptr;
};
