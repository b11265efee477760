// CurvesPanel's optional rects: the learning-rate/speed rect and the resource rect can be
// hidden from the plot's context menu ("Show learning rate and images/s", "Show
// resources"), so that on a laptop's short plot the losses, top-1s and balance get their
// height. A hidden rect shrinks to a 1 px strip like an empty one (its graphs keep their
// data: the hover read-out still lists its values, and showing it again loses nothing).
// Remembered with the other view settings (curves/showRate, curves/showResources).
#include "widgets/curves_panel.h"

#include <qcustomplot.h>

#include <QAction>

void CurvesPanel::buildGroupActions() {
  auto makeAction = [this](const char* name, void (CurvesPanel::*set)(bool)) {
    auto* a = new QAction(plot_);
    a->setObjectName(QString::fromLatin1(name));
    a->setCheckable(true);
    a->setChecked(true);
    plot_->addAction(a);
    connect(a, &QAction::toggled, this, set);
    return a;
  };
  rateAction_ = makeAction("showRateAction", &CurvesPanel::setRateShown);
  resourcesAction_ = makeAction("showResourcesAction", &CurvesPanel::setResourcesShown);
}

void CurvesPanel::retranslateGroups() {
  rateAction_->setText(tr("Show learning rate and images/s"));
  resourcesAction_->setText(tr("Show resources (CPU, memory)"));
}

void CurvesPanel::setRateShown(bool shown) {
  rateShown_ = shown;
  rateAction_->setChecked(shown);  // no signal loop: toggled is emitted only on a change
  lrGraph_->setVisible(shown);
  imgGraph_->setVisible(shown);
  rateLegend_->setVisible(shown);
  setStripCollapsed(rateRect_, 1, !shown, kRateStretch);
}

void CurvesPanel::setResourcesShown(bool shown) {
  resourcesShown_ = shown;
  resourcesAction_->setChecked(shown);
  updateResourceVisibility();
}

void CurvesPanel::setStripCollapsed(QCPAxisRect* rect, int row, bool collapsed, double stretch) {
  for (QCPAxis* axis : {rect->axis(QCPAxis::atLeft), rect->axis(QCPAxis::atRight)}) {
    axis->setTicks(!collapsed);
    axis->setTickLabels(!collapsed);
    axis->grid()->setVisible(!collapsed);
  }
  rect->setSizeConstraintRect(QCPLayoutElement::scrInnerRect);
  rect->setMaximumSize(QWIDGETSIZE_MAX, collapsed ? 1 : QWIDGETSIZE_MAX);
  rect->setMinimumSize(0, collapsed ? 1 : 22);
  plot_->plotLayout()->setRowStretchFactor(row, collapsed ? 0.01 : stretch);
  dirty_ = true;
}
