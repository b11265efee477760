#include "app/inspector_view.h"

#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QThread>
#include <QVBoxLayout>

#include <cmath>

#include "core/analysis/inspection.h"
#include "widgets/dataset_browser.h"
#include "widgets/image_grid.h"
#include "widgets/patch_mask_editor.h"

namespace {

constexpr int kSigmaSteps = 200;  // the slider's positions over [0, 2 sigma_max]

QImage toQImage(const can::data::Image& img) {
  const QImage::Format format = img.c == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8;
  QImage view(img.pixels.data(), static_cast<int>(img.w), static_cast<int>(img.h), static_cast<int>(img.w * img.c),
              format);
  return view.copy();  // the pixels are the dataset call's, gone after return
}

}  // namespace

InspectorView::InspectorView(QWidget* parent) : QWidget(parent) {
  thread_ = new QThread(this);
  thread_->setObjectName("inspector");
  engine_ = new InspectorEngine;
  engine_->moveToThread(thread_);
  connect(thread_, &QThread::finished, engine_, &QObject::deleteLater);
  connect(this, &InspectorView::requestOpen, engine_, &InspectorEngine::open);
  connect(this, &InspectorView::requestOpenLive, engine_, &InspectorEngine::openLive);
  connect(this, &InspectorView::requestInspect, engine_, &InspectorEngine::inspect);
  connect(engine_, &InspectorEngine::opened, this, &InspectorView::onOpened);
  connect(engine_, &InspectorEngine::inspected, this, &InspectorView::onInspected);
  // The neighbours arrive with the bank: ask again for the newest request (unless a newer
  // one already waits, which will bring them).
  connect(engine_, &InspectorEngine::bankReady, this, [this] {
    if (hasShown_ && !hasPending_) send(lastSent_);
  });
  thread_->start();
  build();
}

InspectorView::~InspectorView() {
  thread_->quit();
  thread_->wait();
}

void InspectorView::build() {
  path_ = new QLineEdit;
  path_->setReadOnly(true);
  browse_ = new QPushButton;
  latest_ = new QPushButton;
  live_ = new QPushButton;
  live_->setObjectName("inspectorLiveWeights");
  live_->setEnabled(false);
  weightsLabel_ = new QLabel;
  auto* top = new QHBoxLayout;
  top->addWidget(weightsLabel_);
  top->addWidget(path_, 1);
  top->addWidget(browse_);
  top->addWidget(latest_);
  top->addWidget(live_);

  browser_ = new DatasetBrowser;
  editor_ = new PatchMaskEditor;
  ratio_ = new QDoubleSpinBox;
  ratio_->setRange(0.0, 0.95);
  ratio_->setSingleStep(0.05);
  ratio_->setDecimals(2);
  maskSeed_ = new QSpinBox;
  maskSeed_->setRange(0, 999999);
  noiseSeed_ = new QSpinBox;
  noiseSeed_->setRange(0, 999999);
  random_ = new QPushButton;
  clear_ = new QPushButton;
  sigma_ = new QSlider(Qt::Horizontal);
  sigma_->setRange(0, kSigmaSteps);
  sigma_->setValue(kSigmaSteps / 4);  // sigma_max / 2: inside the training range
  ratioLabel_ = new QLabel;
  maskSeedLabel_ = new QLabel;
  sigmaLabel_ = new QLabel;
  sigmaValue_ = new QLabel;
  sigmaValue_->setMinimumWidth(fontMetrics().horizontalAdvance("0.0000") + 8);
  noiseSeedLabel_ = new QLabel;
  maskCount_ = new QLabel;
  auto* controls = new QGridLayout;
  controls->addWidget(ratioLabel_, 0, 0);
  controls->addWidget(ratio_, 0, 1);
  controls->addWidget(maskSeedLabel_, 0, 2);
  controls->addWidget(maskSeed_, 0, 3);
  controls->addWidget(random_, 1, 0, 1, 2);
  controls->addWidget(clear_, 1, 2, 1, 2);
  controls->addWidget(maskCount_, 2, 0, 1, 4);
  controls->addWidget(sigmaLabel_, 3, 0);
  controls->addWidget(sigma_, 3, 1, 1, 2);
  controls->addWidget(sigmaValue_, 3, 3);
  controls->addWidget(noiseSeedLabel_, 4, 0);
  controls->addWidget(noiseSeed_, 4, 1);
  controls->setColumnStretch(1, 1);
  controls->setColumnStretch(2, 1);
  auto* middle = new QWidget;
  auto* ml = new QVBoxLayout(middle);
  ml->setContentsMargins(0, 0, 0, 0);
  ml->addWidget(editor_, 1);
  ml->addLayout(controls);

  panels_ = new ImageGrid;
  neighbours_ = new ImageGrid;
  losses_ = new QLabel;
  losses_->setObjectName("inspectorLosses");
  losses_->setWordWrap(true);
  losses_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  normPixNote_ = new QLabel;
  normPixNote_->setWordWrap(true);
  neighboursLabel_ = new QLabel;
  auto* right = new QWidget;
  auto* rl = new QVBoxLayout(right);
  rl->setContentsMargins(0, 0, 0, 0);
  rl->addWidget(ImageGrid::inScrollArea(panels_, right), 3);
  rl->addWidget(losses_);
  rl->addWidget(normPixNote_);
  rl->addWidget(neighboursLabel_);
  rl->addWidget(ImageGrid::inScrollArea(neighbours_, right), 2);

  auto* split = new QSplitter(Qt::Horizontal);
  split->setChildrenCollapsible(false);
  split->addWidget(browser_);
  split->addWidget(middle);
  split->addWidget(right);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 2);
  split->setStretchFactor(2, 4);
  split->setSizes({260, 300, 600});

  status_ = new QLabel;
  status_->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(split, 1);
  layout->addWidget(status_);

  connect(browse_, &QPushButton::clicked, this, &InspectorView::browseCheckpoint);
  connect(latest_, &QPushButton::clicked, this, [this] {
    const QString latest = currentRun_ ? currentRun_() : QString();
    if (latest.isEmpty())
      status_->setText(tr("The current run has no checkpoint yet"));
    else
      setCheckpoint(latest);
  });
  connect(live_, &QPushButton::clicked, this, &InspectorView::askForLiveWeights);
  connect(browser_, &DatasetBrowser::imageChosen, this, [this](qint64 i) {
    if (dataset_) editor_->setImage(toQImage(dataset_->get(i)));
    requestUpdate();
  });
  connect(editor_, &PatchMaskEditor::maskEdited, this, [this] { requestUpdate(); });
  connect(random_, &QPushButton::clicked, this, [this] { randomMask(ratio_->value(), maskSeed_->value()); });
  connect(clear_, &QPushButton::clicked, this, [this] {
    editor_->setMask(QVector<bool>(editor_->grid() * editor_->grid(), false));
    requestUpdate();
  });
  connect(sigma_, &QSlider::valueChanged, this, [this] {
    updateSigmaLabel();
    requestUpdate();
  });
  connect(noiseSeed_, qOverload<int>(&QSpinBox::valueChanged), this, [this] { requestUpdate(); });
  retranslate();
}

void InspectorView::setCheckpoint(const QString& checkpointOrRun) {
  path_->setText(checkpointOrRun);
  status_->setText(tr("Loading %1…").arg(checkpointOrRun));
  Q_EMIT requestOpen(checkpointOrRun);
}

void InspectorView::setLiveAvailable(bool available) {
  liveAvailable_ = available;
  live_->setEnabled(available && liveSource_);
  if (!available) waitingLive_ = false;  // a run that ended sends nothing more
}

// Each press asks for a fresh copy; the GUI thread only sets a flag the trainer reads
// between two steps, and the copy arrives as a queued signal.
void InspectorView::askForLiveWeights() {
  if (!liveSource_ || !liveSource_()) {
    status_->setText(tr("No run is training"));
    return;
  }
  waitingLive_ = true;
  status_->setText(tr("Asking the run for its weights…"));
}

void InspectorView::setLiveWeights(std::shared_ptr<const LiveWeights> weights, qint64 step) {
  waitingLive_ = false;
  path_->setText(tr("Live weights of step %1").arg(step));
  status_->setText(tr("Loading the live weights of step %1…").arg(step));
  Q_EMIT requestOpenLive(std::move(weights));
}

void InspectorView::browseCheckpoint() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a run or checkpoint folder"), path_->text());
  if (!dir.isEmpty()) setCheckpoint(dir);
}

void InspectorView::onOpened(const InspectorWeights& weights, std::shared_ptr<const can::data::Dataset> dataset,
                             const QStringList& classNames) {
  if (!weights.error.isEmpty()) {
    status_->setText(weights.error);
    Q_EMIT checkpointOpened(weights.error);
    return;
  }
  // The same split with the same grid (new weights of the same run): the image and mask
  // chosen stay, only the answer is asked for again.
  const bool keep = dataset_ && dataset == dataset_ && weights.grid == weights_.grid && browser_->currentIndex() >= 0;
  weights_ = weights;
  dataset_ = std::move(dataset);
  path_->setText(weights.live ? tr("Live weights of step %1").arg(weights.step) : weights.checkpoint);
  if (keep) {
    updateSigmaLabel();
    requestUpdate();
    Q_EMIT checkpointOpened(QString());
    return;
  }
  hasShown_ = false;
  editor_->setGrid(weights.grid);
  ratio_->setValue(weights.maskRatio);
  auto ds = dataset_;
  {
    const QSignalBlocker block(browser_);  // the first image is chosen below, once
    browser_->setDataset(
        ds->size(), [ds](qint64 i) { return toQImage(ds->get(i)); },
        [ds](qint64 i) { return static_cast<int>(ds->label(i)); }, classNames);
  }
  updateSigmaLabel();
  randomMask(weights.maskRatio, maskSeed_->value());
  browser_->selectIndex(0);
  Q_EMIT checkpointOpened(QString());
}

void InspectorView::selectImage(qint64 index) { browser_->selectIndex(index); }

double InspectorView::sigma() const { return 2.0 * weights_.sigmaMax * sigma_->value() / kSigmaSteps; }

void InspectorView::setSigma(double sigma) {
  if (weights_.sigmaMax > 0)
    sigma_->setValue(static_cast<int>(std::lround(sigma / (2.0 * weights_.sigmaMax) * kSigmaSteps)));
}

void InspectorView::randomMask(double ratio, int seed) {
  const int T = editor_->grid() * editor_->grid();
  const auto m = can::analysis::random_patch_mask(T, ratio, static_cast<uint64_t>(seed));
  editor_->setMask(QVector<bool>(m.begin(), m.end()));
  requestUpdate();
}

void InspectorView::updateSigmaLabel() { sigmaValue_->setText(QString::number(sigma(), 'g', 3)); }

void InspectorView::requestUpdate() {
  maskCount_->setText(tr("%1 of %2 patches masked").arg(editor_->maskedCount()).arg(editor_->mask().size()));
  if (!dataset_ || browser_->currentIndex() < 0) return;
  InspectorRequest r;
  r.id = nextId_++;
  r.index = browser_->currentIndex();
  r.mask = editor_->mask();
  r.sigma = sigma();
  r.noiseSeed = static_cast<quint64>(noiseSeed_->value());
  sinceChange_.start();
  changeId_ = r.id;
  send(r);
}

// One request in flight; of those made meanwhile only the newest is kept.
void InspectorView::send(const InspectorRequest& request) {
  if (busy_) {
    pending_ = request;
    hasPending_ = true;
    return;
  }
  busy_ = true;
  lastSent_ = request;
  Q_EMIT requestInspect(request);
}

void InspectorView::onInspected(const InspectorResult& result) {
  busy_ = false;
  if (hasPending_) {  // a newer request waits: this answer is already stale
    hasPending_ = false;
    send(pending_);
    return;
  }
  showResult(result);
}

void InspectorView::showResult(const InspectorResult& r) {
  if (!r.error.isEmpty()) {
    status_->setText(r.error);
    return;
  }
  shown_ = r;
  hasShown_ = true;
  if (r.request.id == changeId_ && sinceChange_.isValid()) {
    lastUpdateMs_ = sinceChange_.nsecsElapsed() / 1e6;
    changeId_ = -1;  // measured once
  }
  using Tile = ImageGrid::Tile;
  const QString none = tr("(not trained)");
  QVector<QVector<Tile>> rows(2);
  rows[0] = {{r.masked, tr("masked, noisy")},
             {r.reconstruction, r.hasRec ? tr("masked patches predicted") : none},
             {r.recError, r.hasRec ? tr("max %1").arg(r.maxRecError, 0, 'g', 3) : none}};
  rows[1] = {{r.trueNoise, r.hasDenoise ? tr("σe, scale %1").arg(r.noiseScale, 0, 'g', 3) : none},
             {r.predictedNoise, r.hasDenoise ? tr("visible patches") : none},
             {r.denoiseError, r.hasDenoise ? tr("max %1").arg(r.maxDenoiseError, 0, 'g', 3) : none}};
  panels_->setContents({tr("input"), tr("prediction"), tr("error per patch")},
                       {tr("reconstruction (A)"), tr("denoising (N)")}, rows);
  // Two rows of four: eight tiles in one row do not fit beside the browser at 1366 px.
  QVector<QVector<Tile>> nn;
  for (int i = 0; i < r.neighbours.size(); ++i) {
    const qint64 idx = r.neighbours[i];
    if (i % 4 == 0) nn.push_back({});
    nn.back().push_back(
        {toQImage(dataset_->get(idx)),
         QString("#%1 %2\n%3").arg(idx).arg(browser_->thumbnails()->labelText(idx)).arg(r.similarity[i], 0, 'f', 3)});
  }
  neighbours_->setTiles(nn);
  neighboursLabel_->setText(
      r.neighbours.isEmpty()
          ? tr("Nearest training images: computing the features of the first %1…").arg(InspectorEngine::kBankImages)
          : tr("Nearest training images (cosine of mean-pooled encoder features)"));
  normPixNote_->setVisible(r.normPix);
  losses_->setText(lossText());
  status_->setText((r.liveWeights ? tr("Live weights of step %1. Last change shown in %2 ms (the model's part %3 ms).")
                                  : tr("Checkpoint of step %1. Last change shown in %2 ms (the model's part %3 ms)."))
                       .arg(r.weightsStep)
                       .arg(lastUpdateMs_, 0, 'f', 1)
                       .arg(r.computeMs, 0, 'f', 1));
  Q_EMIT inspectionShown();
}

QString InspectorView::lossText() const {
  if (!hasShown_) return {};
  const auto& r = shown_;
  return tr("Image %1, σ = %2, %3 masked: L_rec = %4, L_denoise = %5")
      .arg(r.request.index)
      .arg(r.request.sigma, 0, 'g', 3)
      .arg(std::count(r.maskUsed.begin(), r.maskUsed.end(), true))
      .arg(r.hasRec ? QString::number(r.lossRec, 'g', 4) : tr("n/a"))
      .arg(r.hasDenoise ? QString::number(r.lossDenoise, 'g', 4) : tr("n/a"));
}

QString InspectorView::statusText() const { return status_->text(); }

void InspectorView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void InspectorView::retranslate() {
  setWindowTitle(tr("Inspector"));
  weightsLabel_->setText(tr("Weights:"));
  browse_->setText(tr("Checkpoint…"));
  latest_->setText(tr("Latest of current run"));
  latest_->setToolTip(tr("The newest checkpoint the current run has written"));
  live_->setText(tr("Live weights"));
  live_->setToolTip(
      tr("A copy of the training model taken between two steps, the run going on (a fresh copy each press)"));
  ratioLabel_->setText(tr("Mask ratio"));
  maskSeedLabel_->setText(tr("Seed"));
  random_->setText(tr("Random mask"));
  clear_->setText(tr("Clear"));
  sigmaLabel_->setText(tr("σ"));
  sigma_->setToolTip(tr("Noise level, 0 to twice the checkpoint's σ_max"));
  noiseSeedLabel_->setText(tr("Noise seed"));
  editor_->setToolTip(tr("Click or drag to mask and unmask patches"));
  normPixNote_->setText(
      tr("norm_pix: the decoder predicts each patch normalised; the reconstruction is shown with "
         "the true patch's mean and variance (as MAE shows it)."));
  if (hasShown_) {
    losses_->setText(lossText());
    showResult(shown_);
  }
  if (status_->text().isEmpty()) status_->setText(tr("Choose a checkpoint"));
}
