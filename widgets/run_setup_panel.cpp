#include "widgets/run_setup_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QVBoxLayout>

RunSetupPanel::RunSetupPanel(const QList<SetupField>& fields, QWidget* parent) : QWidget(parent) {
  // The form scrolls when the dock is shorter than it (a laptop screen, a tab bar under
  // it), instead of being covered or forcing the window taller than the screen.
  auto* scroll = new QScrollArea(this);
  scroll->setObjectName("setupScroll");
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidgetResizable(true);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  auto* content = new QWidget;
  auto* own = new QVBoxLayout(this);
  own->setContentsMargins(0, 0, 0, 0);
  own->addWidget(scroll);
  auto* outer = new QVBoxLayout(content);
  form_ = new QFormLayout;
  form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  // In a narrow dock (a laptop screen, a long German label) a field goes under its label
  // rather than being squeezed or clipped.
  form_->setRowWrapPolicy(QFormLayout::WrapLongRows);
  outer->addLayout(form_);

  browse_ = new QPushButton;
  browse_->setObjectName("browseButton");
  for (const SetupField& spec : fields) addField(spec);
  mode_ = qobject_cast<QComboBox*>(fields_.value("objectives.mode"));
  dataset_ = qobject_cast<QComboBox*>(fields_.value("data.dataset"));
  path_ = qobject_cast<QLineEdit*>(fields_.value("data.path"));
  device_ = qobject_cast<QComboBox*>(fields_.value("train.device"));
  if (device_ && device_->findData("cuda") >= 0) device_->removeItem(device_->findData("cuda"));  // setCudaAvailable
  connect(browse_, &QPushButton::clicked, this, [this] {
    const bool folder = dataset_ && dataset_->currentData().toString() == "folder";
    const QString chosen = folder ? QFileDialog::getExistingDirectory(this, tr("Image folder"), path_->text())
                                  : QFileDialog::getExistingDirectory(this, tr("Dataset folder"), path_->text());
    if (!chosen.isEmpty()) path_->setText(chosen);
  });
  browse_->setVisible(path_ != nullptr);

  auto* presets = new QVBoxLayout;  // stacked: side by side, the German texts widen the dock by 130 px
  loadPreset_ = new QPushButton;
  savePreset_ = new QPushButton;
  loadPreset_->setObjectName("loadPresetButton");
  savePreset_->setObjectName("savePresetButton");
  presets->addWidget(loadPreset_);
  presets->addWidget(savePreset_);
  outer->addLayout(presets);
  outer->addStretch(1);
  scroll->setWidget(content);
  connect(loadPreset_, &QPushButton::clicked, this, &RunSetupPanel::loadPresetRequested);
  connect(savePreset_, &QPushButton::clicked, this, &RunSetupPanel::savePresetRequested);
  if (mode_) connect(mode_, &QComboBox::currentIndexChanged, this, [this] { onModeChanged(); });
  retranslate();
}

void RunSetupPanel::addField(const SetupField& spec) {
  const QString key = spec.key;
  QWidget* editor = nullptr;
  switch (spec.kind) {
    case SetupField::Kind::kLine:
      editor = new QLineEdit;
      break;
    case SetupField::Kind::kChoice: {
      auto* combo = new QComboBox;
      for (const QString& c : spec.choices) combo->addItem(c, c);
      editor = combo;
      break;
    }
    case SetupField::Kind::kCheck:
      editor = new QCheckBox;
      break;
  }
  editor->setObjectName(key);
  specs_.insert(key, spec);
  if (spec.live) liveKeys_ << key;
  auto* cell = new QWidget;
  auto* column = new QVBoxLayout(cell);
  column->setContentsMargins(0, 0, 0, 0);
  column->setSpacing(1);
  if (key == "data.path") {
    auto* row = new QHBoxLayout;
    row->addWidget(editor, 1);
    row->addWidget(browse_);
    column->addLayout(row);
  } else {
    column->addWidget(editor);
  }
  auto* error = new QLabel;
  error->setObjectName(key + ".error");
  error->setWordWrap(true);
  error->setStyleSheet("color: #c0392b;");
  error->hide();
  column->addWidget(error);
  auto* label = new QLabel;
  form_->addRow(label, cell);
  fields_.insert(key, editor);
  labels_.insert(key, label);
  errorLabels_.insert(key, error);

  if (auto* line = qobject_cast<QLineEdit*>(editor)) {
    connect(line, &QLineEdit::textEdited, this, [this, key] { onEdited(key); });
    // A live setting is sent when its edit is finished (Enter or leaving the field), never
    // per keystroke: typing 0.25 must not train a few steps at 0.2 on the way.
    if (spec.live) connect(line, &QLineEdit::editingFinished, this, [this, key] { onLiveEditFinished(key); });
  } else if (auto* combo = qobject_cast<QComboBox*>(editor)) {
    connect(combo, &QComboBox::currentIndexChanged, this, [this, key] { onEdited(key); });
  } else if (auto* check = qobject_cast<QCheckBox*>(editor)) {
    // A switch a mode sets (the objectives): changing it makes the run a custom one.
    const bool modeSwitch = key.startsWith("objectives.") && !spec.modeValues.isEmpty();
    if (modeSwitch) switches_ << check;
    connect(check, &QCheckBox::toggled, this, [this, key, modeSwitch] {
      if (modeSwitch && !updating_ && mode_ && mode_->currentData().toString() != "custom") {
        updating_ = true;
        mode_->setCurrentIndex(mode_->findData("custom"));
        updating_ = false;
      }
      onEdited(key);
    });
  }
}

QString RunSetupPanel::text(const QString& key) const {
  QWidget* w = fields_.value(key);
  if (auto* line = qobject_cast<QLineEdit*>(w)) return line->text().trimmed();
  if (auto* combo = qobject_cast<QComboBox*>(w)) return combo->currentData().toString();
  if (auto* check = qobject_cast<QCheckBox*>(w)) return check->isChecked() ? "true" : "false";
  return {};
}

void RunSetupPanel::setText(const QString& key, const QString& value) {
  QWidget* w = fields_.value(key);
  if (auto* line = qobject_cast<QLineEdit*>(w)) {
    line->setText(value);
  } else if (auto* combo = qobject_cast<QComboBox*>(w)) {
    int i = combo->findData(value);
    if (i < 0) {  // a value from a file the list does not have (e.g. preset "custom"): keep it
      combo->addItem(value, value);
      i = combo->count() - 1;
    }
    combo->setCurrentIndex(i);
  } else if (auto* check = qobject_cast<QCheckBox*>(w)) {
    check->setChecked(value == "true" || value == "1");
  }
}

QMap<QString, QString> RunSetupPanel::values() const {
  QMap<QString, QString> out;
  for (auto it = fields_.begin(); it != fields_.end(); ++it) out.insert(it.key(), text(it.key()));
  return out;
}

void RunSetupPanel::setValues(const QMap<QString, QString>& values) {
  updating_ = true;
  // The mode first: it sets the objective switches and the mask ratio that follow.
  if (mode_ && values.contains("objectives.mode")) {
    setText("objectives.mode", values["objectives.mode"]);
    onModeChanged();
  }
  for (auto it = values.begin(); it != values.end(); ++it)
    if (fields_.contains(it.key()) && it.key() != "objectives.mode") setText(it.key(), it.value());
  const bool custom = mode_ && mode_->currentData().toString() == "custom";
  for (QCheckBox* c : switches_) c->setEnabled(custom && !running_);
  updating_ = false;
  validateAll();
  Q_EMIT valuesChanged();
}

void RunSetupPanel::onModeChanged() {
  const QString mode = mode_->currentData().toString();
  const bool custom = mode == "custom";
  const bool wasUpdating = updating_;
  updating_ = true;
  // Every field the mode gives a value (the objective switches, the mask ratio, the
  // augmentation) takes it; custom leaves them as they are.
  for (auto it = specs_.begin(); it != specs_.end(); ++it)
    if (it->modeValues.contains(mode)) setText(it.key(), it->modeValues.value(mode));
  for (QCheckBox* c : switches_) c->setEnabled(custom && !running_);
  updating_ = wasUpdating;
  if (!updating_) {
    validateAll();
    Q_EMIT valuesChanged();
  }
}

void RunSetupPanel::onEdited(const QString& key) {
  if (updating_) return;
  validateAll();
  Q_EMIT valuesChanged();
}

void RunSetupPanel::onLiveEditFinished(const QString& key) {
  if (!running_ || !errors_.value(key).isEmpty()) return;
  const QString value = text(key);
  if (value == inEffect_.value(key)) return;  // focus left without a change
  inEffect_.insert(key, value);
  Q_EMIT liveChangeRequested(key, value);
}

void RunSetupPanel::setValidator(Validator validator) {
  validator_ = std::move(validator);
  validateAll();
}

void RunSetupPanel::validateAll() {
  errors_.clear();
  if (validator_) {
    const auto all = values();
    for (auto it = fields_.begin(); it != fields_.end(); ++it) {
      const QString reason = validator_(it.key(), all);
      if (!reason.isEmpty()) errors_.insert(it.key(), reason);
    }
  }
  for (auto it = errorLabels_.begin(); it != errorLabels_.end(); ++it) {
    const QString reason = errors_.value(it.key());
    it.value()->setText(reason);
    it.value()->setVisible(!reason.isEmpty());
    fields_[it.key()]->setStyleSheet(reason.isEmpty() ? QString() : "border: 1px solid #c0392b;");
  }
}

QString RunSetupPanel::firstErrorKey() const {
  // In the order of the form, top to bottom, as a user reads it.
  for (int row = 0; row < form_->rowCount(); ++row)
    for (auto it = labels_.begin(); it != labels_.end(); ++it)
      if (form_->itemAt(row, QFormLayout::LabelRole) &&
          form_->itemAt(row, QFormLayout::LabelRole)->widget() == it.value() && errors_.contains(it.key()))
        return it.key();
  return errors_.isEmpty() ? QString() : errors_.firstKey();
}

QString RunSetupPanel::firstError() const {
  const QString key = firstErrorKey();
  if (key.isEmpty()) return {};
  // The field's name in the form's words, then the reason ("Temperature τ: must be > 0").
  QString name = labels_.contains(key) ? labels_[key]->text() : key;
  name.remove(QLatin1Char('&'));
  return name + ": " + errors_.value(key);
}

void RunSetupPanel::revealField(const QString& key) {
  QWidget* field = fields_.value(key);
  if (!field) return;
  if (auto* scroll = findChild<QScrollArea*>("setupScroll")) scroll->ensureWidgetVisible(field);
  field->setFocus(Qt::OtherFocusReason);
}

void RunSetupPanel::setCudaAvailable(bool available) {
  if (!device_) return;
  const int i = device_->findData("cuda");
  if (available && i < 0) device_->addItem("cuda", "cuda");
  if (!available && i >= 0) device_->removeItem(i);
}

void RunSetupPanel::setRunning(bool running) {
  running_ = running;
  inEffect_.clear();
  if (running)
    for (const QString& key : liveKeys_) inEffect_.insert(key, text(key));
  for (auto it = fields_.begin(); it != fields_.end(); ++it)
    it.value()->setEnabled(!running || liveKeys_.contains(it.key()));
  const bool custom = mode_ && mode_->currentData().toString() == "custom";
  for (QCheckBox* c : switches_) c->setEnabled(custom && !running);
  browse_->setEnabled(!running);
  loadPreset_->setEnabled(!running);
}

QString RunSetupPanel::tooltip(const SetupField& spec) const {
  // What the key does and what it takes (the schema's words), then the config key: what
  // to write in a JSON preset or --set.
  QStringList lines;
  if (!spec.help.isEmpty()) lines << spec.help;
  if (!spec.range.isEmpty() && spec.kind == SetupField::Kind::kLine)
    lines << (spec.special.isEmpty() ? tr("Range: %1").arg(spec.range)
                                     : tr("Range: %1 (%2)").arg(spec.range, spec.special));
  lines << tr("Config key: %1").arg(spec.key);
  if (spec.live) lines << tr("Can be changed while training: press Enter to apply it at the next step.");
  return lines.join('\n');
}

void RunSetupPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void RunSetupPanel::retranslate() {
  const QMap<QString, QString> names = {
      {"data.dataset", tr("Dataset")},
      {"data.path", tr("Data path")},
      {"objectives.mode", tr("Mode")},
      {"objectives.contrastive", tr("Contrastive (C)")},
      {"objectives.reconstruction", tr("Reconstruction (A)")},
      {"objectives.denoise", tr("Denoising (N)")},
      {"data.augment.preset", tr("Augmentation")},
      {"model.preset", tr("Model preset")},
      {"model.patch_size", tr("Patch size")},
      {"loss.mask_ratio", tr("Mask ratio m")},
      {"loss.sigma_max", tr("Noise σ_max")},
      {"loss.tau", tr("Temperature τ")},
      {"loss.w_infonce", tr("Weight λ_C (InfoNCE)")},
      {"loss.w_rec", tr("Weight λ_A (reconstruction)")},
      {"loss.w_denoise", tr("Weight λ_N (denoising)")},
      {"train.batch_size", tr("Batch size")},
      {"train.base_lr", tr("Base learning rate")},
      {"train.epochs", tr("Epochs")},
      {"train.seed", tr("Seed")},
      {"train.device", tr("Device")},
  };
  for (auto it = labels_.begin(); it != labels_.end(); ++it) {
    it.value()->setText(names.value(it.key(), it.key()));
    fields_[it.key()]->setToolTip(tooltip(specs_.value(it.key())));
  }
  // Choices in the user's words, found by their config value.
  const QMap<QString, QMap<QString, QString>> items = {
      {"data.dataset",
       {{"fashion-mnist", tr("Fashion-MNIST")},
        {"mnist", tr("MNIST")},
        {"cifar10", tr("CIFAR-10")},
        {"cifar100", tr("CIFAR-100")},
        {"folder", tr("Image folder")}}},
      {"objectives.mode",
       {{"can", tr("CAN (C + A + N)")},
        {"mae", tr("MAE (A only, m = 0.75)")},
        {"simclr", tr("SimCLR (C only, no masking)")},
        {"custom", tr("Custom")}}},
      {"data.augment.preset",
       {{"simclr", tr("SimCLR (crop, colour, blur)")}, {"mae", tr("MAE (crop, flip)")}, {"none", tr("None")}}},
      {"train.device", {{"auto", tr("auto (CUDA when present)")}}},
  };
  for (auto it = items.begin(); it != items.end(); ++it)
    if (auto* combo = qobject_cast<QComboBox*>(fields_.value(it.key())))
      for (int i = 0; i < combo->count(); ++i)
        combo->setItemText(i, it->value(combo->itemData(i).toString(), combo->itemData(i).toString()));
  // A short placeholder that fits the field; the whole sentence in the tooltip.
  if (path_) path_->setPlaceholderText(tr("(packaged)"));
  browse_->setText(tr("Browse…"));
  loadPreset_->setText(tr("Load preset…"));
  savePreset_->setText(tr("Save preset…"));
  // The form scrolls vertically only: the dock is kept wide enough for its labels and
  // fields in this language.
  if (auto* scroll = findChild<QScrollArea*>("setupScroll")) {
    scroll->widget()->layout()->activate();
    scroll->setMinimumWidth(scroll->widget()->minimumSizeHint().width() +
                            scroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 2);
  }
}
