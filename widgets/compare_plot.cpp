#include "widgets/compare_plot.h"

#include <qcustomplot.h>

#include <QDir>
#include <QEvent>
#include <QSaveFile>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "widgets/curve_data.h"
#include "widgets/curves_style.h"

using namespace curves_style;

namespace {

// Tableau 10 without its grey: runs need hues that tell apart, not the loss terms' meaning.
const QColor kRunColors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                             QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                             QColor(0xe3, 0x77, 0xc2), QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};

bool termTrained(const QVector<MetricsPoint>& points, int term) {
  return std::any_of(points.begin(), points.end(),
                     [term](const MetricsPoint& p) { return CurveData::lossTermValue(p, term) != 0.0; });
}

}  // namespace

ComparePlot::ComparePlot(QWidget* parent) : QWidget(parent) {
  plot_ = new QCustomPlot(this);
  plot_->setObjectName(QStringLiteral("comparePlot"));
  plot_->setAutoAddPlottableToLegend(false);
  plot_->setMinimumHeight(200);
  plot_->addLayer(QStringLiteral("markers"), plot_->layer(QStringLiteral("grid")), QCustomPlot::limAbove);
  plot_->plotLayout()->clear();
  legend_ = new QCPLegend;
  legend_->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  legend_->setWrap(4);
  legend_->setBorderPen(Qt::NoPen);
  legend_->setBrush(Qt::NoBrush);
  auto* header = new QCPLayoutGrid;
  plot_->plotLayout()->addElement(0, 0, header);
  header->addElement(0, 0, legend_);
  legend_->setLayer(QStringLiteral("legend"));
  auto* grid = new QCPLayoutGrid;
  plot_->plotLayout()->addElement(1, 0, grid);
  plot_->plotLayout()->setRowStretchFactor(0, 0.001);
  for (int t = 0; t < kTerms; ++t) {
    rects_[t] = new QCPAxisRect(plot_);
    grid->addElement(t / 2, t % 2, rects_[t]);
    for (QCPAxis* axis : rects_[t]->axes()) styleAxis(axis);
    rects_[t]->axis(QCPAxis::atLeft)->setNumberFormat(QStringLiteral("g"));
    rects_[t]->setupFullAxesBox(false);
    rects_[t]->axis(QCPAxis::atTop)->setTickLabels(false);
    rects_[t]->axis(QCPAxis::atRight)->setTickLabels(false);
    rects_[t]->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    rects_[t]->setRangeZoom(Qt::Horizontal | Qt::Vertical);
  }
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  retranslate();
}

QColor ComparePlot::runColor(int i) {
  constexpr int n = sizeof(kRunColors) / sizeof(kRunColors[0]);
  return kRunColors[((i % n) + n) % n];
}

void ComparePlot::setRuns(const QVector<CompareRun>& runs) {
  runs_ = runs;
  rebuild();
}

void ComparePlot::setAlign(Align align) {
  align_ = align;
  retranslate();
  rebuild();
}

void ComparePlot::setSmoothing(double weight) {
  smoothing_ = std::clamp(weight, 0.0, 0.99);
  rebuild();
}

double ComparePlot::xOf(const CompareRun& run, const MetricsPoint& p) const {
  switch (align_) {
    case Align::Epoch:
      return p.epoch;
    case Align::Images:
      return static_cast<double>(p.step) * run.imagesPerStep;
    case Align::Step:
      break;
  }
  return static_cast<double>(p.step);
}

double ComparePlot::keyOf(int run, qint64 step) const {
  const CompareRun& r = runs_.at(run);
  if (align_ != Align::Epoch) return xOf(r, MetricsPoint{step});
  double epoch = 0.0;
  for (const MetricsPoint& p : r.points)
    if (p.step <= step) epoch = p.epoch;
  return epoch;
}

QVector<QPointF> ComparePlot::plotted(int run, int term) const {
  QVector<QPointF> out;
  const CompareRun& r = runs_.at(run);
  if (!termTrained(r.points, term)) return out;
  QVector<double> raw;
  raw.reserve(r.points.size());
  for (const MetricsPoint& p : r.points) raw.push_back(CurveData::lossTermValue(p, term));
  const QVector<double> smoothed = CurveData::smooth(raw, smoothing_);
  for (int i = 0; i < r.points.size(); ++i)
    if (std::isfinite(smoothed[i])) out.push_back(QPointF(xOf(r, r.points[i]), smoothed[i]));
  return out;
}

void ComparePlot::rebuild() {
  plot_->clearGraphs();
  plot_->clearItems();
  legend_->clearItems();
  markerLines_ = 0;
  for (int i = 0; i < runs_.size(); ++i) {
    const QColor color = runColor(i);
    for (int t = 0; t < kTerms; ++t) {
      QCPGraph* g = plot_->addGraph(rects_[t]->axis(QCPAxis::atBottom), rects_[t]->axis(QCPAxis::atLeft));
      g->setPen(QPen(color, 1.6));
      g->setName(runs_[i].name);
      QVector<double> xs, ys;
      for (const QPointF& p : plotted(i, t)) {
        xs.push_back(p.x());
        ys.push_back(p.y());
      }
      g->setData(xs, ys, true);
      if (t == 0) g->addToLegend(legend_);
      // Setting changes of this run, in its colour, across every rect it trains in.
      if (xs.isEmpty()) continue;
      QColor markerColor = color;
      markerColor.setAlpha(150);
      for (const CompareRun::Marker& m : runs_[i].markers) {
        auto* line = makeVerticalLine(plot_, rects_[t], QPen(markerColor, 1, Qt::DashLine), QStringLiteral("markers"));
        setVerticalLineKey(line, keyOf(i, m.step));
        ++markerLines_;
        if (t != 0) continue;  // the change's text once, in the total's rect
        auto* label = new QCPItemText(plot_);
        label->setLayer(QStringLiteral("markers"));
        label->setClipAxisRect(rects_[t]);
        attachToRect(label->position, rects_[t]);
        label->position->setCoords(keyOf(i, m.step), 0.02);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setColor(color);
        QFont small = font();
        small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.8));
        label->setFont(small);
        label->setText(m.text);
      }
    }
  }
  for (QCPAxisRect* rect : rects_) {
    bool found = false;
    QCPRange keys, values;
    for (QCPGraph* g : rect->graphs()) {
      bool ok = false;
      const QCPRange k = g->getKeyRange(ok);
      if (!ok) continue;
      const QCPRange v = g->getValueRange(ok);
      keys = found ? QCPRange(std::min(keys.lower, k.lower), std::max(keys.upper, k.upper)) : k;
      values = found ? QCPRange(std::min(values.lower, v.lower), std::max(values.upper, v.upper)) : v;
      found = true;
    }
    if (!found) continue;
    const double pad = std::max(1e-12, 0.05 * values.size());
    rect->axis(QCPAxis::atBottom)->setRange(keys.lower, std::max(keys.upper, keys.lower + 1e-9));
    rect->axis(QCPAxis::atLeft)->setRange(values.lower - pad, values.upper + pad);
  }
  plot_->replot();
}

void ComparePlot::retranslate() {
  const QString names[kTerms] = {tr("Total loss"), tr("L_InfoNCE (C)"), tr("L_rec (A)"), tr("L_denoise (N)")};
  const QString x = align_ == Align::Epoch ? tr("epoch") : align_ == Align::Images ? tr("images seen") : tr("step");
  for (int t = 0; t < kTerms; ++t) {
    rects_[t]->axis(QCPAxis::atLeft)->setLabel(names[t]);
    rects_[t]->axis(QCPAxis::atBottom)->setLabel(t >= 2 ? x : QString());
  }
  plot_->replot();
}

void ComparePlot::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

bool ComparePlot::exportPng(const QString& path, int width, int height, QString* error) {
  plot_->replot();
  const bool ok = plot_->savePng(path, width, height);
  if (!ok && error) *error = tr("Cannot write the image %1").arg(QDir::toNativeSeparators(path));
  return ok;
}

bool ComparePlot::exportCsv(const QString& path, QString* error) const {
  static const char* kKeys[kTerms] = {"loss", "loss_infonce", "loss_rec", "loss_denoise"};
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
    if (error) *error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    return false;
  }
  QByteArray text = "run,step,epoch,images,term,value,smoothed\n";
  auto number = [](double v) { return std::isfinite(v) ? QByteArray::number(v, 'g', 17) : QByteArray(); };
  for (const CompareRun& r : runs_) {
    QByteArray name = r.name.toUtf8();
    name.replace('"', "\"\"");
    for (int t = 0; t < kTerms; ++t) {
      if (!termTrained(r.points, t)) continue;
      QVector<double> raw;
      for (const MetricsPoint& p : r.points) raw.push_back(CurveData::lossTermValue(p, t));
      const QVector<double> smoothed = CurveData::smooth(raw, smoothing_);
      for (int i = 0; i < r.points.size(); ++i) {
        const MetricsPoint& p = r.points[i];
        text += '"' + name + "\"," + QByteArray::number(p.step) + ',' + number(p.epoch) + ',' +
                number(static_cast<double>(p.step) * r.imagesPerStep) + ',' + kKeys[t] + ',' + number(raw[i]) + ',' +
                number(smoothed[i]) + '\n';
      }
    }
  }
  file.write(text);
  if (!file.commit()) {
    if (error) *error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    return false;
  }
  return true;
}
