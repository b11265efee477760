// CurvesPanel's read-outs: the hover line and its text, CSV/PNG export, and the accessors
// the tests use. Construction is in curves_panel_build.cpp, data and settings in
// curves_panel.cpp.
#include "widgets/curves_panel.h"

#include <qcustomplot.h>

#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QMouseEvent>

#include "widgets/curves_style.h"

using namespace curves_style;

// ---- hover read-out ------------------------------------------------------------------------

QString CurvesPanel::readoutAt(double key) const {
  CurveData::ReadoutLabels labels;
  labels.stepEpoch = tr("step %1   epoch %2");
  labels.lossTerm = tr("%1 %2 (smoothed %3)");
  for (int term = 0; term < kLossTerms; ++term)
    labels.lossNames[term] = lossGraphs_[term][1]->name();  // the translated legend names
  labels.lr = tr("lr %1");
  labels.imgPerS = tr("%1 img/s");
  labels.gradNorm = tr("grad norm %1");
  labels.contrastiveTop1 = tr("contrastive top-1 %1");
  labels.knnTop1 = tr("kNN top-1 %1");
  labels.balance = tr("objective balance at step %1:   %2");
  labels.balanceTerm = QStringLiteral("%1 %2");
  for (int term = 0; term < kBalanceTerms; ++term)
    labels.balanceNames[term] = balanceGraphs_[term]->name();  // the translated legend names
  labels.resources = tr("resources at step %1: %2");
  labels.cpu = tr("CPU %1%");
  labels.rss = tr("resident %1 MiB");
  labels.gpu = tr("GPU %1 MiB (reserved %2)");
  return data_.readoutAt(key, keyKind(), labels);
}

void CurvesPanel::showLatestReadout() {
  if (!data_.isEmpty()) readoutLabel_->setText(readoutAt(keyOf(data_.points().last())));
}

void CurvesPanel::onPlotMouseMove(QMouseEvent* event) {
  const QPointF pos = event->position();
  QCPAxisRect* rect = plot_->axisRectAt(pos);
  if (!rect || data_.isEmpty()) {
    showHover(false);
    return;
  }
  const double key = rect->axis(QCPAxis::atBottom)->pixelToCoord(pos.x());
  // Over the balance rect the cursor snaps to its measurements: one every balance_every
  // steps is too sparse to hit, and the step between them has none to read.
  const bool balance = rect == balanceRect_ && !data_.balancePoints().isEmpty();
  const int i = balance ? data_.nearestBalanceIndex(key, keyKind()) : data_.nearestIndex(key, keyKind());
  if (i < 0) {
    showHover(false);
    return;
  }
  hoverKey_ = keyOf(data_.points()[i]);
  for (QCPItemStraightLine* line : hoverLines_) setVerticalLineKey(line, hoverKey_);
  readoutLabel_->setText(readoutAt(hoverKey_));
  showHover(true);
}

void CurvesPanel::showHover(bool on) {
  const bool changed = on != hovering_;
  hovering_ = on;
  for (QCPItemStraightLine* line : hoverLines_) line->setVisible(on);
  if (!on) showLatestReadout();
  if (on || changed) plot_->layer(QStringLiteral("hover"))->replot();
}

// ---- export --------------------------------------------------------------------------------

bool CurvesPanel::exportCsv(const QString& path, QString* error) const {
  QString fileError;
  if (data_.writeCsv(path, &fileError)) return true;
  if (error) *error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), fileError);
  return false;
}

bool CurvesPanel::exportPng(const QString& path, int width, int height, QString* error) {
  const bool wasHovering = hovering_;
  showHover(false);  // the cursor line is not part of the figure
  replotNow();
  const bool ok = plot_->savePng(path, width, height);
  if (wasHovering) showHover(true);
  if (!ok && error) *error = tr("Cannot write the image %1").arg(QDir::toNativeSeparators(path));
  return ok;
}

void CurvesPanel::exportCsvInteractive() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export loss curves as CSV"),
                                                    QDir(exportFolder_).filePath(QStringLiteral("loss_curves.csv")),
                                                    tr("CSV files (*.csv);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!exportCsv(path, &error)) QMessageBox::warning(this, tr("Export CSV"), error);
}

void CurvesPanel::exportPngInteractive() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export loss curves as PNG"),
                                                    QDir(exportFolder_).filePath(QStringLiteral("loss_curves.png")),
                                                    tr("PNG images (*.png);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!exportPng(path, plot_->width(), plot_->height(), &error)) QMessageBox::warning(this, tr("Export PNG"), error);
}

// ---- accessors -----------------------------------------------------------------------------

QCPAxis* CurvesPanel::lossAxis() const { return lossRect_->axis(QCPAxis::atLeft); }

QCPAxis* CurvesPanel::bottomXAxis() const { return balanceRect_->axis(QCPAxis::atBottom); }

QCPGraph* CurvesPanel::graph(const QString& term, bool smoothed) const {
  const int i = CurveData::lossTermIndex(term);
  if (i >= 0) return lossGraphs_[i][smoothed ? 1 : 0];
  if (smoothed) return nullptr;
  if (term == QLatin1String("lr")) return lrGraph_;
  if (term == QLatin1String("img_per_s")) return imgGraph_;
  if (term == QLatin1String("contrastive_top1")) return contrastiveGraph_;
  if (term == QLatin1String("knn_top1")) return knnGraph_;
  if (term == QLatin1String("health_std_ratio")) return healthGraph_;
  const int b = CurveData::balanceTermIndex(term);
  if (b >= 0) return balanceGraphs_[b];
  const QString resources[kResourceTerms] = {QStringLiteral("cpu_percent"), QStringLiteral("rss_mib"),
                                             QStringLiteral("gpu_mem_mib")};
  for (int r = 0; r < kResourceTerms; ++r)
    if (term == resources[r]) return resourceGraphs_[r];
  return nullptr;
}

QVector<QPointF> CurvesPanel::plottedPoints(const QString& term) const {
  QVector<QPointF> out;
  if (const QCPGraph* g = graph(term, false))
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) out.append(QPointF(it->key, it->value));
  return out;
}

QStringList CurvesPanel::balanceLegendNames() const {
  QStringList out;
  for (int i = 0; i < balanceLegend_->itemCount(); ++i)
    if (auto* item = qobject_cast<QCPPlottableLegendItem*>(balanceLegend_->item(i))) out << item->plottable()->name();
  return out;
}

QVector<double> CurvesPanel::rawValues(const QString& term) const { return data_.rawValues(term); }

QVector<double> CurvesPanel::smoothedValues(const QString& term) const { return data_.smoothedValues(term); }
