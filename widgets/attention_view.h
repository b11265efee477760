#pragma once
// An attention map over a view (docs/bench.md "Attention"), like core/analysis'
// attention_overlay but drawn with Qt at the size of the widget: the view in grey, each
// visible patch tinted red in proportion to its weight (normalised to the map's maximum),
// masked patches (the encoder never saw them) darkened, thin patch-grid lines, and each
// visible patch's weight in percent where the patches are large enough to hold it.
//
// Plain Qt data in; app/bench_view fills it from core/analysis/attention_maps.

#include <QBitArray>
#include <QImage>
#include <QVector>
#include <QWidget>

class AttentionView : public QWidget {
  Q_OBJECT

 public:
  explicit AttentionView(QWidget* parent = nullptr);

  // view: the image; map: grid*grid weights, row-major; masked: grid*grid bits, true = masked.
  void setData(const QImage& view, const QVector<double>& map, const QBitArray& masked, int grid);
  void clear();
  const QVector<double>& map() const { return map_; }
  const QBitArray& masked() const { return masked_; }
  int grid() const { return grid_; }
  // The sum of the map over visible patches (1 for a map from core/analysis).
  double visibleSum() const;
  // The red tint's opacity of patch t in [0, 1] as painted (0 on masked patches).
  double tint(int t) const;

  QSize sizeHint() const override { return {320, 320}; }
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int w) const override { return w; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QImage view_;
  QVector<double> map_;
  QBitArray masked_;
  int grid_ = 0;
};
