#pragma once
// Compare runs (a window): the selected runs' loss curves overlaid (widgets/compare_plot),
// aligned by step, epoch or images seen with one smoothing for all, their setting changes
// as markers, and a table of the config keys whose values differ between them
// (core/experiments/config_diff). The overlay exports as PNG or CSV.

#include <QStringList>
#include <QWidget>

class ComparePlot;
class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QTableWidget;

class CompareView : public QWidget {
  Q_OBJECT

 public:
  explicit CompareView(QWidget* parent = nullptr);

  // Loads the runs' metrics, events and configs; a run that cannot be read is left out and
  // named in the view's message line. False when none could be read.
  bool setRuns(const QStringList& runDirs);
  QStringList runs() const { return runs_; }
  ComparePlot* plot() const { return plot_; }
  QTableWidget* diffTable() const { return diff_; }
  QString messageText() const;

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void build();
  void retranslate();
  void fillDiff();
  void exportPng();
  void exportCsv();

  QStringList runs_, names_;
  ComparePlot* plot_ = nullptr;
  QTableWidget* diff_ = nullptr;
  QComboBox* align_ = nullptr;
  QSlider* smoothing_ = nullptr;
  QLabel *alignLabel_ = nullptr, *smoothingLabel_ = nullptr, *diffLabel_ = nullptr, *message_ = nullptr;
  QPushButton *pngButton_ = nullptr, *csvButton_ = nullptr;
  QStringList problems_;
};
