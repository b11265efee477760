#include "app/bench_view.h"

#include <algorithm>

#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include "widgets/health_view.h"
#include "widgets/sigma_sweep_plot.h"

namespace {

QVector<double> toQVector(const std::vector<double>& v) { return QVector<double>(v.begin(), v.end()); }

const char* const kTabNames[] = {"sweep", "health", "attention", "ab"};

}  // namespace

BenchView::BenchView(QWidget* parent) : QWidget(parent) {
  setObjectName("benchView");
  build();
  retranslate();
  updateRunning();
}

BenchView::~BenchView() = default;  // task_ is a child: its destructor cancels and waits

void BenchView::build() {
  path_ = new QLineEdit;
  path_->setObjectName("benchCheckpoint");
  pathB_ = new QLineEdit;
  pathB_->setObjectName("benchCheckpointB");
  browse_ = new QPushButton;
  browseB_ = new QPushButton;
  images_ = new QSpinBox;
  images_->setObjectName("benchImages");
  images_->setRange(2, 4096);
  images_->setValue(16);
  seed_ = new QSpinBox;
  seed_->setObjectName("benchSeed");
  seed_->setRange(0, 1'000'000'000);
  run_ = new QPushButton;
  run_->setObjectName("benchRun");
  cancel_ = new QPushButton;
  cancel_->setObjectName("benchCancel");
  progress_ = new QProgressBar;
  progress_->setRange(0, 0);
  for (QLabel** l : {&pathLabel_, &pathBLabel_, &imagesLabel_, &seedLabel_, &status_}) *l = new QLabel;
  status_->setObjectName("benchStatus");
  status_->setWordWrap(true);

  auto* form = new QGridLayout;
  form->addWidget(pathLabel_, 0, 0);
  form->addWidget(path_, 0, 1);
  form->addWidget(browse_, 0, 2);
  form->addWidget(imagesLabel_, 0, 3);
  form->addWidget(images_, 0, 4);
  form->addWidget(seedLabel_, 0, 5);
  form->addWidget(seed_, 0, 6);
  form->addWidget(run_, 0, 7);
  form->addWidget(cancel_, 0, 8);
  form->setColumnStretch(1, 1);
  auto* statusRow = new QHBoxLayout;
  statusRow->addWidget(status_, 1);
  statusRow->addWidget(progress_);

  tabs_ = new QTabWidget;
  tabs_->setObjectName("benchTabs");
  tabs_->addTab(buildSweepTab(), QString());
  tabs_->addTab(buildHealthTab(), QString());
  tabs_->addTab(buildAttentionTab(), QString());
  tabs_->addTab(buildAbTab(), QString());
  for (int i = 0; i < tabs_->count(); ++i) tabs_->widget(i)->setObjectName(QString("benchTab_") + kTabNames[i]);

  auto* column = new QVBoxLayout(this);
  column->addLayout(form);
  column->addLayout(statusRow);
  column->addWidget(tabs_, 1);

  auto browse = [this](QLineEdit* edit) {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a run or checkpoint folder"), edit->text());
    if (!dir.isEmpty()) edit->setText(QDir::toNativeSeparators(dir));
  };
  connect(browse_, &QPushButton::clicked, this, [=] { browse(path_); });
  connect(browseB_, &QPushButton::clicked, this, [=] { browse(pathB_); });
  connect(run_, &QPushButton::clicked, this, [this] { start(); });
  connect(cancel_, &QPushButton::clicked, this, &BenchView::cancel);
}

QWidget* BenchView::buildSweepTab() {
  auto* tab = new QWidget;
  verdict_ = new QLabel;
  verdict_->setObjectName("benchVerdict");
  verdict_->setWordWrap(true);
  QFont bold = verdict_->font();
  bold.setBold(true);
  verdict_->setFont(bold);
  sweepNote_ = new QLabel;
  sweepNote_->setWordWrap(true);
  sweepPlot_ = new SigmaSweepPlot;
  sweepPlot_->setObjectName("benchSweepPlot");
  auto* column = new QVBoxLayout(tab);
  column->addWidget(verdict_);
  column->addWidget(sweepNote_);
  column->addWidget(sweepPlot_, 1);
  return tab;
}

QWidget* BenchView::buildHealthTab() {
  auto* tab = new QWidget;
  healthNote_ = new QLabel;
  healthNote_->setWordWrap(true);
  health_ = new HealthView;
  auto* column = new QVBoxLayout(tab);
  column->addWidget(healthNote_);
  column->addWidget(health_, 1);
  return tab;
}

void BenchView::retranslate() {
  setWindowTitle(tr("Bench: look inside a model"));
  pathLabel_->setText(tr("Checkpoint"));
  path_->setPlaceholderText(tr("a run folder or a checkpoint folder"));
  pathBLabel_->setText(tr("Checkpoint B"));
  pathB_->setPlaceholderText(tr("a second run or checkpoint, analysed on the same images, masks and noise"));
  browse_->setText(tr("Browse…"));
  browseB_->setText(tr("Browse…"));
  imagesLabel_->setText(tr("Images"));
  images_->setToolTip(tr("How many images of the run's training data (the first batch of epoch 0) are analysed"));
  seedLabel_->setText(tr("Seed"));
  seed_->setToolTip(tr("Fixes the images' order and augmentation, the noise, the masks and the sweep's shuffle"));
  run_->setText(tr("Analyse"));
  cancel_->setText(tr("Cancel"));
  tabs_->setTabText(0, tr("σ sweep"));
  tabs_->setTabText(1, tr("Health"));
  tabs_->setTabText(2, tr("Attention"));
  tabs_->setTabText(3, tr("A/B"));
  sweepNote_->setText(
      tr("Each point: the model's own L_denoise and L_rec on the same images, masks and noise e, "
         "with every view's noise at σ. The noise-level embedding gets the true σ (blue), a "
         "shuffled σ (red) or σ = 0 (grey). Dashed: σ_max of the run."));
  healthNote_->setText(
      tr("On the contrastive embeddings u of both noisy, masked views of every image, as a "
         "training step computes them. Hover over a number for what it means."));
  retranslateTabs();
  if (result_) showResult();
}

void BenchView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void BenchView::setCheckpoint(const QString& path) { path_->setText(QDir::toNativeSeparators(path)); }
void BenchView::setCheckpointB(const QString& path) { pathB_->setText(QDir::toNativeSeparators(path)); }
QString BenchView::checkpoint() const { return path_->text().trimmed(); }
QString BenchView::checkpointB() const { return pathB_->text().trimmed(); }
void BenchView::setImages(int n) { images_->setValue(n); }
void BenchView::setSeed(int seed) { seed_->setValue(seed); }
QString BenchView::statusText() const { return status_->text(); }
QString BenchView::verdictText() const { return verdict_->text(); }

bool BenchView::showTab(const QString& name) {
  for (int i = 0; i < tabs_->count(); ++i)
    if (name == QLatin1String(kTabNames[i])) {
      tabs_->setCurrentIndex(i);
      return true;
    }
  return false;
}

bool BenchView::start() {
  if (task_) return false;
  if (checkpoint().isEmpty()) {
    status_->setText(tr("Choose a checkpoint first"));
    return false;
  }
  BenchRequest request;
  request.checkpointA = checkpoint();
  request.checkpointB = checkpointB();
  request.images = images_->value();
  request.seed = static_cast<quint64>(seed_->value());
  task_ = new BenchTask(request, this);
  connect(task_, &BenchTask::progress, status_, &QLabel::setText);
  connect(task_, &BenchTask::done, this, &BenchView::onDone);
  status_->setText(tr("Loading…"));
  task_->start();
  updateRunning();
  return true;
}

void BenchView::cancel() {
  if (!task_) return;
  task_->cancel();
  status_->setText(tr("Cancelling…"));
}

void BenchView::updateRunning() {
  const bool busy = task_ != nullptr;
  run_->setEnabled(!busy);
  cancel_->setEnabled(busy);
  for (QWidget* w : std::initializer_list<QWidget*>{path_, pathB_, browse_, browseB_, images_, seed_})
    w->setEnabled(!busy);
  progress_->setVisible(busy);
}

void BenchView::onDone(const QString& error, bool cancelled) {
  BenchTask* task = task_;
  task_ = nullptr;
  task->wait();
  if (error.isEmpty()) {
    result_ = task->result();
    status_->setText(tr("%1: %2 images, seed %3")
                         .arg(QDir::toNativeSeparators(QString::fromStdString(result_->a.dir)))
                         .arg(result_->a.n)
                         .arg(result_->a.seed));
    fillAttentionControls();
    showResult();
  } else {
    status_->setText(cancelled ? tr("Cancelled") : tr("Cannot analyse: %1").arg(error));
  }
  task->deleteLater();
  updateRunning();
  Q_EMIT finished(error, cancelled);
}

void BenchView::showResult() {
  showSweep();
  showHealth();
  showAttention();
  showAb();
}

void BenchView::showSweep() {
  const auto& r = result_->analysis;
  if (!r.has_sweep) {
    verdict_->setText(
        tr("This model was trained without N (denoising): it has no noise-level embedding, so "
           "there is no σ sweep."));
    sweepPlot_->clear();
    return;
  }
  const auto& s = r.sweep;
  // The sentence of core's SigmaSweep::verdict, built here from its typed figures so that it
  // is translated (core's English text is for can-analyze's JSON).
  auto percent = [](double x) { return QLocale().toString(100.0 * x, 'g', 3) + QLatin1Char('%'); };
  const double worst =
      std::max({s.wrong_rel_diff_denoise, s.zero_rel_diff_denoise, s.wrong_rel_diff_rec, s.zero_rel_diff_rec});
  verdict_->setText(s.coincide ? tr("The curves coincide (largest relative difference %1): the decoder ignores its "
                                    "noise level.")
                                     .arg(percent(worst))
                               : tr("A wrong noise level changes the denoising error by up to %1 (sigma = 0: %2): "
                                    "the decoder uses its noise level.")
                                     .arg(percent(s.wrong_rel_diff_denoise), percent(s.zero_rel_diff_denoise)));
  const QVector<double> x = toQVector(s.sigma);
  auto panel = [&](const QString& title, auto member) {
    return SigmaSweepPlot::Panel{title,
                                 {{tr("true σ"), QColor(31, 119, 180), toQVector(s.true_sigma.*member)},
                                  {tr("shuffled σ"), QColor(214, 39, 40), toQVector(s.wrong_sigma.*member)},
                                  {tr("σ = 0"), QColor(127, 127, 127), toQVector(s.zero_sigma.*member)}}};
  };
  QVector<SigmaSweepPlot::Panel> panels{panel(tr("L_denoise"), &can::analysis::SigmaCurve::denoise)};
  if (s.has_rec) panels.push_back(panel(tr("L_rec"), &can::analysis::SigmaCurve::rec));
  sweepPlot_->setData(x, panels, result_->a.params.sigma_max, tr("σ (noise level of every view)"));
}

void BenchView::showHealth() {
  const auto& r = result_->analysis;
  if (!r.has_health) return;
  const auto& h = r.health;
  HealthData d;
  d.embedding = QString::fromStdString(r.embedding);
  d.numImages = static_cast<int>(h.num_images);
  d.dimStd = toQVector(h.dim_std);
  d.meanDimStd = h.mean_dim_std;
  d.uniformStd = h.uniform_std;
  d.stdRatio = h.std_ratio;
  d.effectiveRank = h.effective_rank;
  d.lo = h.positive_cos.lo;
  d.hi = h.positive_cos.hi;
  d.positiveCounts = QVector<qint64>(h.positive_cos.counts.begin(), h.positive_cos.counts.end());
  d.negativeCounts = QVector<qint64>(h.negative_cos.counts.begin(), h.negative_cos.counts.end());
  d.positiveMean = h.positive_cos_mean;
  d.negativeMean = h.negative_cos_mean;
  d.alignment = h.alignment;
  d.uniformity = h.uniformity;
  health_->setData(d);
}
