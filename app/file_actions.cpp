#include "app/file_actions.h"

#include <QDir>
#include <QFileDialog>
#include <QWidget>

#include "app/export_task.h"
#include "app/run_controller.h"

FileActions::FileActions(QWidget* dialogParent, const RunController* run, std::function<can::RunConfig()> currentConfig)
    : QObject(dialogParent), dialogParent_(dialogParent), run_(run), currentConfig_(std::move(currentConfig)) {}

void FileActions::openCheckpoint() {
  const QString dir =
      QFileDialog::getExistingDirectory(dialogParent_, tr("Open checkpoint or run folder"), run_->runsRoot());
  if (!dir.isEmpty()) Q_EMIT checkpointChosen(dir);
}

void FileActions::loadPreset() {
  const QString path =
      QFileDialog::getOpenFileName(dialogParent_, tr("Load preset"), QString(), tr("Run config (*.json)"));
  if (path.isEmpty()) return;
  can::RunConfig config;
  try {
    config = can::load_run_config_file(path.toStdString());
  } catch (const std::exception& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
    return;
  }
  Q_EMIT presetLoaded(config);
  Q_EMIT message(tr("Loaded preset %1").arg(path));
}

void FileActions::savePreset() {
  can::RunConfig config;
  try {
    config = currentConfig_();
  } catch (const std::exception& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
    return;
  }
  const QString path =
      QFileDialog::getSaveFileName(dialogParent_, tr("Save preset"), "can-run.json", tr("Run config (*.json)"));
  if (path.isEmpty()) return;
  try {
    can::save_run_config_file(config, path.toStdString());
    Q_EMIT message(tr("Saved preset %1 (use it with can-train --config)").arg(path));
  } catch (const std::exception& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
  }
}

void FileActions::exportEncoder() {
  const QString checkpoint = run_->lastCheckpoint();
  if (checkpoint.isEmpty()) return;
  // The dialog starts in the run folder, and the file name says which step it holds: during
  // training the last checkpoint is behind the step the status bar shows.
  const qint64 step = checkpointStep(checkpoint);
  const QString folder = run_->runDir().isEmpty() ? QString() : run_->runDir();
  const QString name = step > 0 ? QString("encoder_step%1.safetensors").arg(step) : QString("encoder.safetensors");
  const QString path = QFileDialog::getSaveFileName(dialogParent_, tr("Export encoder"), QDir(folder).filePath(name),
                                                    tr("safetensors (*.safetensors)"));
  if (path.isEmpty()) return;
  auto* task = new ExportTask(checkpoint, path, this);
  connect(task, &ExportTask::done, this, [this, path, step](const QString& error) {
    if (error.isEmpty())
      Q_EMIT message(tr("Exported the encoder of step %1 to %2 (timm names, architecture in the .json next to it)")
                         .arg(step)
                         .arg(path));
    else
      Q_EMIT failed(tr("Export failed: %1").arg(error));
  });
  task->start();
}
