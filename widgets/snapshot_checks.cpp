#include "widgets/snapshot_checks.h"

#include <QRect>

int viewEntryCount(const SnapshotImages& snapshot) {
  const int v = snapshot.numViews, k = snapshot.numSamples;
  if (v < 1 || v > 2 || k < 0) return -1;
  if (snapshot.originals.size() != k || snapshot.views.size() != v * k) return -1;
  return v * k;
}

bool masksMatch(const SnapshotImages& snapshot) {
  if (!hasOnePerView(snapshot.masks, snapshot)) return false;
  const int gw = snapshot.gridWidth, gh = snapshot.gridHeight, p = snapshot.patchSize;
  if (gw <= 0 || gh <= 0 || p <= 0) return false;
  for (const QBitArray& mask : snapshot.masks)
    if (mask.size() != gw * gh) return false;
  for (const QImage& view : snapshot.views)
    if (view.width() < gw * p || view.height() < gh * p) return false;
  return true;
}

QRect patchRect(const QImage& image, int patchRow, int patchCol, int patchSize) {
  return QRect(patchCol * patchSize, patchRow * patchSize, patchSize, patchSize) & image.rect();
}
