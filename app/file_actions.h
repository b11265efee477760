#pragma once
// The studio's file actions: the dialogs that open a checkpoint, load and save a preset
// (the JSON run config the headless tools take) and export the encoder of the last
// checkpoint (off the GUI thread, app/export_task). They read and write files and report
// through signals; what a loaded file changes is the window's to do.

#include <QObject>
#include <QString>

#include <functional>

#include "core/config/run_config.h"

class QWidget;
class RunController;

class FileActions : public QObject {
  Q_OBJECT

 public:
  // dialogParent: the window the dialogs belong to (and this object's parent); run: the
  // runs folder and the last checkpoint; currentConfig: the setup form's config, throwing
  // std::exception with the reason when a value is refused.
  FileActions(QWidget* dialogParent, const RunController* run, std::function<can::RunConfig()> currentConfig);

  void openCheckpoint();  // a folder dialog in the runs folder -> checkpointChosen
  void loadPreset();      // -> presetLoaded, then a message
  void savePreset();      // the current config, validated before the dialog opens
  void exportEncoder();   // the last checkpoint's encoder; nothing when there is none

 Q_SIGNALS:
  void checkpointChosen(const QString& path);
  void presetLoaded(const can::RunConfig& config);
  void message(const QString& text);  // for the Log
  void failed(const QString& error);  // for the error banner

 private:
  QWidget* dialogParent_;
  const RunController* run_;
  std::function<can::RunConfig()> currentConfig_;
};
