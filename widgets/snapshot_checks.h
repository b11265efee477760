#pragma once
// Whether a SnapshotImages is whole enough to draw. The panels index its vectors with
// v*k + i; a snapshot whose vectors disagree with numViews/numSamples (a bug upstream, or a
// half-filled test fixture) is shown as nothing rather than read out of bounds.

#include <QRect>

#include "widgets/snapshot_images.h"

// numViews * numSamples when numViews is 1 or 2, numSamples >= 0, and originals/views have
// k and V*k entries; -1 otherwise.
int viewEntryCount(const SnapshotImages& snapshot);

// `values` has one entry per shown view (V*k) of a consistent snapshot.
template <typename T>
bool hasOnePerView(const QVector<T>& values, const SnapshotImages& snapshot) {
  const int n = viewEntryCount(snapshot);
  return n >= 0 && values.size() == n;
}

// One mask per view, each gridWidth*gridHeight bits, and a patch grid that fits inside
// every view.
bool masksMatch(const SnapshotImages& snapshot);

// The pixel rectangle of patch (row, col), clipped to `image`.
QRect patchRect(const QImage& image, int patchRow, int patchCol, int patchSize);
