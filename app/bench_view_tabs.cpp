// BenchView's attention and A/B tabs (see bench_view.h).
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

#include "app/bench_view.h"
#include "app/snapshot_images.h"
#include "widgets/attention_view.h"
#include "widgets/masks_panel.h"
#include "widgets/sigma_sweep_plot.h"

namespace {

QVector<double> rowOf(const torch::Tensor& t) {  // [K] -> doubles
  auto d = t.to(torch::kFloat64).contiguous();
  return QVector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

QBitArray bitsOf(const torch::Tensor& mask) {  // [T], 1 = masked
  const QVector<double> m = rowOf(mask);
  QBitArray bits(m.size());
  for (int t = 0; t < m.size(); ++t) bits.setBit(t, m[t] > 0.5);
  return bits;
}

// Per-patch errors on the g x g grid: white at 0 to dark red at `scale`; visible patches
// (no error: nothing was reconstructed there) grey.
QImage errorImage(const QVector<double>& error, const QBitArray& masked, int g, double scale) {
  QImage img(g, g, QImage::Format_RGB32);
  for (int t = 0; t < g * g; ++t) {
    const double s = scale > 0 ? std::clamp(error[t] / scale, 0.0, 1.0) : 0.0;
    const QRgb c = masked.testBit(t) ? qRgb(255 - int(s * (255 - 165)), 255 - int(s * 255), 255 - int(s * 255))
                                     : qRgb(150, 150, 150);
    img.setPixel(t % g, t / g, c);
  }
  return img;
}

constexpr int kCell = 92;  // the A/B tab's image size in pixels

}  // namespace

QWidget* BenchView::buildAttentionTab() {
  auto* tab = new QWidget;
  attImage_ = new QSpinBox;
  attImage_->setObjectName("benchAttImage");
  attLayer_ = new QComboBox;
  attLayer_->setObjectName("benchAttLayer");
  attHead_ = new QComboBox;
  attHead_->setObjectName("benchAttHead");
  attMode_ = new QComboBox;
  attMode_->setObjectName("benchAttMode");
  attMode_->addItems({QString(), QString()});
  for (QComboBox* c : {attLayer_, attHead_, attMode_}) c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  for (QLabel** l : {&attImageLabel_, &attLayerLabel_, &attHeadLabel_, &attCaption_, &attClean_}) *l = new QLabel;
  attCaption_->setWordWrap(true);
  attCaption_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  attClean_->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
  attention_ = new AttentionView;
  auto* controls = new QHBoxLayout;
  controls->addWidget(attImageLabel_);
  controls->addWidget(attImage_);
  controls->addSpacing(12);
  controls->addWidget(attLayerLabel_);
  controls->addWidget(attLayer_);
  controls->addSpacing(12);
  controls->addWidget(attHeadLabel_);
  controls->addWidget(attHead_);
  controls->addSpacing(12);
  controls->addWidget(attMode_);
  controls->addStretch(1);
  auto* side = new QVBoxLayout;
  side->addWidget(attClean_);
  side->addWidget(attCaption_, 1);
  auto* body = new QHBoxLayout;
  body->addWidget(attention_, 3);
  body->addLayout(side, 2);
  auto* column = new QVBoxLayout(tab);
  column->addLayout(controls);
  column->addLayout(body, 1);
  for (QComboBox* c : {attLayer_, attHead_, attMode_})
    connect(c, &QComboBox::currentIndexChanged, this, [this] { showAttention(); });
  connect(attImage_, &QSpinBox::valueChanged, this, [this] { showAttention(); });
  return tab;
}

QWidget* BenchView::buildAbTab() {
  auto* tab = new QWidget;
  for (QLabel** l : {&abMessage_, &abCaption_, &differenceLabel_}) {
    *l = new QLabel;
    (*l)->setWordWrap(true);
  }
  abMessage_->setObjectName("benchAbMessage");
  auto* pick = new QHBoxLayout;
  pick->addWidget(pathBLabel_);
  pick->addWidget(pathB_, 1);
  pick->addWidget(browseB_);
  auto* gridHolder = new QWidget;
  abGrid_ = new QGridLayout(gridHolder);
  abGrid_->setContentsMargins(0, 0, 0, 0);
  abGrid_->setSpacing(4);
  difference_ = new SigmaSweepPlot;
  difference_->setObjectName("benchDifferencePlot");
  auto* right = new QVBoxLayout;
  right->addWidget(differenceLabel_);
  right->addWidget(difference_, 1);
  auto* body = new QHBoxLayout;
  body->addWidget(gridHolder, 0, Qt::AlignTop);
  body->addLayout(right, 1);
  auto* column = new QVBoxLayout(tab);
  column->addLayout(pick);
  column->addWidget(abMessage_);
  column->addLayout(body, 1);
  column->addWidget(abCaption_);
  return tab;
}

void BenchView::retranslateTabs() {
  attImageLabel_->setText(tr("Image"));
  attLayerLabel_->setText(tr("Layer"));
  attHeadLabel_->setText(tr("Head"));
  attMode_->setItemText(0, tr("class token / mean query"));
  attMode_->setItemText(1, tr("rollout (all layers)"));
  if (attHead_->count() > 0) attHead_->setItemText(0, tr("mean of heads"));
  for (int i = 1; i < attHead_->count(); ++i) attHead_->setItemText(i, tr("head %1").arg(i - 1));
  for (int i = 0; i < attLayer_->count(); ++i) attLayer_->setItemText(i, tr("layer %1").arg(i));
  differenceLabel_->setText(tr("σ sweep, B − A (true σ embedding): below 0 B denoises or reconstructs better"));
  abCaption_->setText(
      tr("A and B see the same images, masks and noise (A's σ_max and mask ratio). Reconstruction: the predicted "
         "masked patches pasted into the noisy visible ones; a norm_pix model predicts normalised patches, shown "
         "de-normalised with the true patch's mean and variance. Error: mean squared error of each masked patch "
         "against the clean view, white 0 to dark red the row's largest (A and B share the scale); grey: visible."));
}

void BenchView::fillAttentionControls() {
  const auto& model = result_->a.model;
  const QSignalBlocker b1(attLayer_), b2(attHead_), b3(attImage_);
  attLayer_->clear();
  for (int64_t l = 0; l < model->config().depth; ++l) attLayer_->addItem(QString(), QVariant::fromValue<qint64>(l));
  attLayer_->setCurrentIndex(attLayer_->count() - 1);  // the last layer by default
  attHead_->clear();
  attHead_->addItem(QString(), -1);
  for (int64_t h = 0; h < model->config().num_heads; ++h) attHead_->addItem(QString(), QVariant::fromValue<qint64>(h));
  attImage_->setRange(0, static_cast<int>(result_->a.n - 1));
  retranslateTabs();
}

void BenchView::setAttention(int image, int layer, int head, bool rollout) {
  const QSignalBlocker b1(attLayer_), b2(attHead_), b3(attImage_), b4(attMode_);
  attImage_->setValue(image);
  attLayer_->setCurrentIndex(layer < 0 ? attLayer_->count() + layer : layer);
  attHead_->setCurrentIndex(head + 1);
  attMode_->setCurrentIndex(rollout ? 1 : 0);
  showAttention();
}

void BenchView::showAttention() {
  if (!result_ || !result_->analysis.has_attention || attLayer_->currentIndex() < 0) return;
  const auto& att = result_->analysis.attention;
  const auto& batch = result_->a.batch;
  const int i = attImage_->value();
  const bool rollout = attMode_->currentIndex() == 1;
  const int64_t layer = attLayer_->currentIndex(), head = attHead_->currentData().toLongLong();
  const torch::Tensor grid = can::analysis::attention_grid(att, layer, head, rollout);
  const int g = static_cast<int>(result_->a.model->config().grid_size());
  const QImage view = toPixelImage(batch.view1[i], batch.mean, batch.std);
  attention_->setData(view, rowOf(grid[i]), bitsOf(att.mask[i]), g);
  attClean_->setPixmap(
      QPixmap::fromImage(view.scaled(2 * kCell, 2 * kCell, Qt::KeepAspectRatio, Qt::FastTransformation)));
  attLayer_->setEnabled(!rollout);
  attHead_->setEnabled(!rollout);
  const QString query =
      att.query == "class_token" ? tr("the class token's row") : tr("the mean of the patch tokens' rows");
  const QString what =
      rollout
          ? tr("Attention rollout through all %1 layers (Abnar & Zuidema 2020), %2").arg(attLayer_->count()).arg(query)
          : tr("Layer %1, %2: %3").arg(layer).arg(head < 0 ? tr("mean of heads") : tr("head %1").arg(head)).arg(query);
  attCaption_->setText(tr("%1, over the visible patches (sums to 1; red = most attended). Dark patches were masked "
                          "(mask ratio %2): the encoder never saw them. Each visible patch shows its share in percent. "
                          "Above: view 1 of image %3, the input of these maps (without noise).")
                           .arg(what)
                           .arg(att.mask_ratio)
                           .arg(i));
}

QString BenchView::abMessage() const { return abMessage_->text(); }

QImage BenchView::abImage(int row, int column) const {
  return row < abImages_.size() && column < abImages_[row].size() ? abImages_[row][column] : QImage();
}

void BenchView::showAb() {
  while (QLayoutItem* item = abGrid_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  abImages_.clear();
  difference_->clear();
  const BenchResult& r = *result_;
  if (!r.hasB) {
    abMessage_->setText(
        tr("Choose a checkpoint B above and press Analyse: A and B then run on the same images, "
           "masks and noise."));
    return;
  }
  if (!r.incompatible.isEmpty()) {
    abMessage_->setText(tr("A and B cannot be compared on the same images and noise: %1").arg(r.incompatible));
    return;
  }
  abMessage_->setText(tr("A: %1\nB: %2").arg(QString::fromStdString(r.a.dir), r.dirB));
  const QStringList headers{tr("Noisy, masked input"), tr("Reconstruction A"), tr("Reconstruction B"), tr("Error A"),
                            tr("Error B")};
  for (int c = 0; c < headers.size(); ++c) {
    auto* h = new QLabel(headers[c]);
    h->setAlignment(Qt::AlignCenter);
    h->setWordWrap(true);
    h->setFixedWidth(kCell);
    abGrid_->addWidget(h, 0, c);
  }
  const auto& batch = r.a.batch;
  const int g = static_cast<int>(r.a.model->config().grid_size());
  const int p = static_cast<int>(r.a.model->config().patch_size);
  const bool hasRec = r.recA.reconstruction.defined() && r.recB.reconstruction.defined();
  for (int i = 0; i < r.recA.noisy.size(0); ++i) {
    const QBitArray masked = bitsOf(r.recA.mask[i]);
    QVector<QImage> row{MasksPanel::maskedView(toPixelImage(r.recA.noisy[i], batch.mean, batch.std), masked, g, g, p)};
    QVector<double> errA, errB;
    if (hasRec) {
      row << toPixelImage(r.recA.reconstruction[i], batch.mean, batch.std)
          << toPixelImage(r.recB.reconstruction[i], batch.mean, batch.std);
      errA = rowOf(r.recA.patch_error[i]);
      errB = rowOf(r.recB.patch_error[i]);
      const double scale =
          std::max(*std::max_element(errA.begin(), errA.end()), *std::max_element(errB.begin(), errB.end()));
      row << errorImage(errA, masked, g, scale) << errorImage(errB, masked, g, scale);
    }
    abImages_.push_back(row);
    for (int c = 0; c < row.size(); ++c) {
      auto* cell = new QLabel;
      cell->setPixmap(QPixmap::fromImage(row[c].scaled(kCell, kCell, Qt::KeepAspectRatio, Qt::FastTransformation)));
      if (c >= 3) {
        const QVector<double>& e = c == 3 ? errA : errB;
        double sum = 0;
        for (double v : e) sum += v;
        cell->setToolTip(tr("Mean squared error over the %1 masked patches: %2")
                             .arg(masked.count(true))
                             .arg(sum / std::max<qsizetype>(1, masked.count(true)), 0, 'g', 4));
      }
      abGrid_->addWidget(cell, i + 1, c);
    }
  }
  if (!hasRec)
    abMessage_->setText(abMessage_->text() + "\n" + tr("No reconstructions: a model was trained without A."));
  if (r.hasDifference) {
    QVector<SigmaSweepPlot::Panel> panels{
        {tr("L_denoise, B − A"),
         {{tr("B − A"), QColor(148, 103, 189),
           QVector<double>(r.difference.denoise.begin(), r.difference.denoise.end())}}}};
    if (!r.difference.rec.empty())
      panels.push_back(
          {tr("L_rec, B − A"),
           {{tr("B − A"), QColor(148, 103, 189), QVector<double>(r.difference.rec.begin(), r.difference.rec.end())}}});
    difference_->setData(QVector<double>(r.difference.sigma.begin(), r.difference.sigma.end()), panels,
                         r.a.params.sigma_max, tr("σ"));
  }
}
