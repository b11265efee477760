#pragma once
// The studio's Sweep dialog: the grid of can-sweep (docs/experiments.md) built from the
// settings schema's keys on the setup form's config, checked as the user types (the same
// expansion can-sweep runs, so a bad grid is refused naming the key before anything runs),
// then run in the background by can-sweep itself: the runs appear in the runs browser as
// they go, progress counts sweep.jsonl's rows, and the summary table (summary.md) shows
// when the sweep is done. Closing the dialog leaves the sweep running; Stop sends can-sweep
// SIGTERM, its runs save a checkpoint, and starting the same sweep again resumes it.

#include <QDialog>
#include <QProcess>
#include <QStringList>

#include "core/config/run_config.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTextBrowser;
class QTimer;

class SweepDialog : public QDialog {
  Q_OBJECT

 public:
  SweepDialog(const QString& runsRoot, QWidget* parent = nullptr);
  ~SweepDialog() override;  // stops a running sweep (its runs checkpoint)

  void setBase(const can::RunConfig& base);
  // One grid axis per call ("loss.sigma_max", "0.05,0.25,1.0"); tests and automation.
  void addAxis(const QString& key = {}, const QString& values = {});
  void setSeeds(const QString& seeds);
  void setOutFolder(const QString& folder);
  // The can-sweep executable; by default the one next to the studio's.
  void setSweepTool(const QString& path) { tool_ = path; }
  QString outFolder() const;
  // The grid as can-sweep's arguments, after checking it; empty with the reason when refused.
  QStringList sweepArguments(QString* problem = nullptr) const;
  int pointCount() const { return points_; }
  QString problemText() const;
  bool start();  // false (reason shown) when the grid is refused or a sweep is running
  void stop();
  bool running() const;
  QString summaryText() const;  // summary.md as shown

 Q_SIGNALS:
  void sweepStarted(const QString& folder);
  void sweepFinished(const QString& folder, int exitCode);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void build();
  void retranslate();
  void validate();
  void poll();
  void onFinished(int exitCode, QProcess::ExitStatus status);

  QString runsRoot_, tool_;
  can::RunConfig base_;
  int points_ = 0;
  QProcess* process_ = nullptr;
  QTimer* poll_ = nullptr;
  QTableWidget* grid_ = nullptr;
  QLineEdit *seeds_ = nullptr, *out_ = nullptr;
  QCheckBox *knn_ = nullptr, *linear_ = nullptr;
  QSpinBox* parallel_ = nullptr;
  QLabel *gridLabel_ = nullptr, *seedsLabel_ = nullptr, *outLabel_ = nullptr, *evalLabel_ = nullptr,
         *parallelLabel_ = nullptr, *problem_ = nullptr, *count_ = nullptr;
  QPushButton *addButton_ = nullptr, *removeButton_ = nullptr, *startButton_ = nullptr, *stopButton_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QTextBrowser* summary_ = nullptr;
};
