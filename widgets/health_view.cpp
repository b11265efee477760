#include "widgets/health_view.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <functional>
#include <cmath>

namespace {

QCustomPlot* makePlot() {
  auto* p = new QCustomPlot;
  p->setMinimumSize(300, 200);
  p->legend->setVisible(false);
  return p;
}

}  // namespace

HealthView::HealthView(QWidget* parent) : QWidget(parent) {
  setObjectName("healthView");
  for (QLabel** l : {&rank_, &alignment_, &uniformity_, &std_, &cosine_, &source_}) {
    *l = new QLabel;
    (*l)->setWordWrap(true);
  }
  rank_->setObjectName("healthRank");
  alignment_->setObjectName("healthAlignment");
  uniformity_->setObjectName("healthUniformity");
  std_->setObjectName("healthStd");
  cosine_->setObjectName("healthCosine");
  stdPlot_ = makePlot();
  stdPlot_->setObjectName("healthStdPlot");
  cosPlot_ = makePlot();
  cosPlot_->setObjectName("healthCosinePlot");

  auto* numbers = new QGridLayout;
  numbers->addWidget(rank_, 0, 0);
  numbers->addWidget(std_, 0, 1);
  numbers->addWidget(cosine_, 0, 2);
  numbers->addWidget(alignment_, 1, 0);
  numbers->addWidget(uniformity_, 1, 1);
  numbers->addWidget(source_, 1, 2);
  for (int c = 0; c < 3; ++c) numbers->setColumnStretch(c, 1);
  auto* plots = new QHBoxLayout;
  plots->addWidget(stdPlot_, 1);
  plots->addWidget(cosPlot_, 1);
  auto* column = new QVBoxLayout(this);
  column->addLayout(numbers);
  column->addLayout(plots, 1);
  retranslate();
}

void HealthView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void HealthView::setData(const HealthData& data) {
  data_ = data;
  retranslate();
}

void HealthView::retranslate() {
  rank_->setToolTip(
      tr("Effective rank (Roy & Vetterli 2007): how many directions the batch of embeddings uses. "
         "Small against its maximum means dimensional collapse."));
  std_->setToolTip(
      tr("Mean per-dimension std of the normalised embeddings against 1/√r, the std of unit "
         "vectors spread evenly over the sphere: a ratio near 1 is healthy, near 0 collapsed."));
  cosine_->setToolTip(
      tr("Mean cosine of positive pairs (two views of one image: should be near 1) and of "
         "negative pairs (different images: near 0 or below)."));
  alignment_->setToolTip(
      tr("Alignment (Wang & Isola 2020): mean squared distance of the two views' embeddings, "
         "in [0, 4]; lower is better aligned."));
  uniformity_->setToolTip(
      tr("Uniformity (Wang & Isola 2020): log of the mean Gaussian potential of all pairs, "
         "in [−4, 0]; lower is more uniform."));
  const int r = data_.dimStd.size();
  const int maxRank = std::min(2 * data_.numImages, r);
  if (r == 0) {
    for (QLabel* l : {rank_, alignment_, uniformity_, std_, cosine_, source_}) l->clear();
  } else {
    rank_->setText(tr("Effective rank: %1 of at most %2").arg(data_.effectiveRank, 0, 'f', 2).arg(maxRank));
    std_->setText(tr("Mean std: %1 (1/√r = %2, ratio %3)")
                      .arg(data_.meanDimStd, 0, 'f', 4)
                      .arg(data_.uniformStd, 0, 'f', 4)
                      .arg(data_.stdRatio, 0, 'f', 2));
    cosine_->setText(tr("Mean cosine: positive %1, negative %2")
                         .arg(data_.positiveMean, 0, 'f', 3)
                         .arg(data_.negativeMean, 0, 'f', 3));
    alignment_->setText(tr("Alignment: %1 (lower is better)").arg(data_.alignment, 0, 'f', 4));
    uniformity_->setText(tr("Uniformity: %1 (lower is more uniform)").arg(data_.uniformity, 0, 'f', 4));
    source_->setText(data_.embedding == QLatin1String("encoder_pool")
                         ? tr("Embeddings: mean-pooled encoder features (the model has no projector)")
                         : tr("Embeddings: the projector's output u, both views"));
  }
  redraw();
}

void HealthView::redraw() {
  const int r = data_.dimStd.size();
  // Per-dimension std, sorted high to low, and the 1/sqrt(r) line.
  stdPlot_->clearPlottables();
  stdPlot_->clearItems();
  QVector<double> keys(r), sorted = data_.dimStd;
  std::sort(sorted.begin(), sorted.end(), std::greater<double>());
  for (int k = 0; k < r; ++k) keys[k] = k + 1;
  auto* bars = new QCPBars(stdPlot_->xAxis, stdPlot_->yAxis);
  bars->setName(tr("std per dimension"));
  bars->setWidth(0.8);
  bars->setPen(Qt::NoPen);
  bars->setBrush(QColor(31, 119, 180));
  bars->setData(keys, sorted, true);
  auto* uniform = new QCPGraph(stdPlot_->xAxis, stdPlot_->yAxis);
  uniform->setName(tr("1/√r"));
  uniform->setPen(QPen(QColor(214, 39, 40), 1.6, Qt::DashLine));
  uniform->setData({0.5, r + 0.5}, {data_.uniformStd, data_.uniformStd});
  const double top = std::max(data_.uniformStd, sorted.isEmpty() ? 0.0 : sorted.front());
  stdPlot_->xAxis->setRange(0.5, std::max(r, 1) + 0.5);
  stdPlot_->yAxis->setRange(0, top > 0 ? top * 1.1 : 1.0);
  stdPlot_->xAxis->setLabel(tr("dimension (sorted by std)"));
  stdPlot_->yAxis->setLabel(tr("std over the batch"));
  stdPlot_->legend->setVisible(r > 0);
  stdPlot_->legend->setFont(font());
  stdPlot_->replot();

  // Cosine histograms, as fractions of their pairs, overlaid.
  cosPlot_->clearPlottables();
  const int bins = data_.positiveCounts.size();
  const double width = bins > 0 ? (data_.hi - data_.lo) / bins : 1.0;
  auto addHistogram = [&](int which, const QString& name, const QColor& color) {
    const QVector<double> fractions = plottedFractions(which);
    QVector<double> centres(fractions.size());
    for (int b = 0; b < fractions.size(); ++b) centres[b] = data_.lo + (b + 0.5) * width;
    auto* h = new QCPBars(cosPlot_->xAxis, cosPlot_->yAxis);
    h->setName(name);
    h->setWidth(width);
    h->setPen(QPen(color.darker(130), 1));
    QColor fill = color;
    fill.setAlpha(110);
    h->setBrush(fill);
    h->setData(centres, fractions, true);
    return *std::max_element(fractions.begin(), fractions.end());
  };
  double high = 0.0;
  if (bins > 0) {
    high = std::max(high, addHistogram(0, tr("positive pairs"), QColor(44, 160, 44)));
    high = std::max(high, addHistogram(1, tr("negative pairs"), QColor(127, 127, 127)));
  }
  cosPlot_->xAxis->setRange(data_.lo, data_.hi);
  cosPlot_->yAxis->setRange(0, high > 0 ? high * 1.1 : 1.0);
  cosPlot_->xAxis->setLabel(tr("cosine similarity"));
  cosPlot_->yAxis->setLabel(tr("fraction of pairs"));
  cosPlot_->legend->setVisible(bins > 0);
  cosPlot_->legend->setFont(font());
  cosPlot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
  cosPlot_->replot();
}

QString HealthView::shownText(const QString& key) const {
  const QMap<QString, QLabel*> labels{
      {"rank", rank_}, {"alignment", alignment_}, {"uniformity", uniformity_}, {"std", std_}, {"cosine", cosine_}};
  QLabel* l = labels.value(key);
  return l ? l->text() : QString();
}

QVector<double> HealthView::plottedStd() const {
  QVector<double> out;
  if (stdPlot_->plottableCount() == 0) return out;
  auto* bars = qobject_cast<QCPBars*>(stdPlot_->plottable(0));
  for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) out.push_back(it->value);
  return out;
}

double HealthView::plottedUniformLine() const {
  if (stdPlot_->plottableCount() < 2) return 0;
  auto* g = qobject_cast<QCPGraph*>(stdPlot_->plottable(1));
  return g->data()->isEmpty() ? 0.0 : g->data()->constBegin()->value;
}

QVector<double> HealthView::plottedFractions(int which) const {
  const QVector<qint64>& counts = which == 0 ? data_.positiveCounts : data_.negativeCounts;
  double total = 0;
  for (qint64 c : counts) total += static_cast<double>(c);
  QVector<double> out(counts.size(), 0.0);
  for (int b = 0; b < counts.size(); ++b) out[b] = total > 0 ? counts[b] / total : 0.0;
  return out;
}
