#pragma once
// Run setup: the fields of a CAN run, as the config keys can-train takes
// ("loss.mask_ratio" -> "0.5"). The application describes each field from the engine's
// settings schema (SetupField: its kind, choices, help, range, whether it changes live,
// its value in each mode), so the panel repeats no key's knowledge; it only lays the
// fields out and names them in the user's language. Whether a value is possible (a patch
// size that divides the image, tau > 0...) is decided by the engine through a Validator
// the application installs, so the panel and can-train refuse the same things with the
// same reasons.

#include <QMap>
#include <QString>
#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

// One field of the form, as the settings schema describes its key.
struct SetupField {
  enum class Kind { kLine, kChoice, kCheck };
  QString key;  // "loss.mask_ratio"
  Kind kind = Kind::kLine;
  QStringList choices;                // kChoice
  QString help;                       // one line: what the key does
  QString range;                      // "[0, 1)", "> 0"; "" when any value of the type goes
  QString special;                    // "0 = off"
  bool live = false;                  // may change while training (sent at the next step)
  QMap<QString, QString> modeValues;  // objectives.mode -> the value this key takes in it
};

class RunSetupPanel : public QWidget {
  Q_OBJECT

 public:
  // Returns "" when `value` is acceptable for `key` given all current `values`, else the
  // reason (shown under the field).
  using Validator = std::function<QString(const QString& key, const QMap<QString, QString>& values)>;

  // The fields in the order of the form. "objectives.mode" (a choice) drives the fields
  // that have mode values; "data.path" gets a Browse button; "train.device" offers "cuda"
  // only after setCudaAvailable(true).
  explicit RunSetupPanel(const QList<SetupField>& fields, QWidget* parent = nullptr);

  // Every key the panel edits, with its current text.
  QMap<QString, QString> values() const;
  // Sets the fields present in `values` (others keep theirs), then revalidates.
  void setValues(const QMap<QString, QString>& values);
  void setValidator(Validator validator);
  // Whether every field passed the validator; the first error otherwise.
  bool isValid() const { return errors_.isEmpty(); }
  QString fieldError(const QString& key) const { return errors_.value(key); }
  QString firstError() const;  // "<field label>: <reason>" of the first field in the form
  QString firstErrorKey() const;
  // Scrolls the form to a field and gives it the focus (the field an error names).
  void revealField(const QString& key);
  // Adds "cuda" to the device choices.
  void setCudaAvailable(bool available);
  // While training, only the loss settings the trainer can change live stay editable; an
  // edit of one of them (finished with Enter or by leaving the field, and differing from the
  // value in effect) is sent as liveChangeRequested instead of waiting for the next run.
  void setRunning(bool running);
  // The field widget for a key (tests set values through the real widgets).
  QWidget* field(const QString& key) const { return fields_.value(key); }

 Q_SIGNALS:
  void valuesChanged();
  void liveChangeRequested(const QString& key, const QString& value);
  void loadPresetRequested();
  void savePresetRequested();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void addField(const SetupField& spec);
  QString tooltip(const SetupField& spec) const;
  QString text(const QString& key) const;
  void onLiveEditFinished(const QString& key);
  void setText(const QString& key, const QString& value);
  void onEdited(const QString& key);
  void onModeChanged();
  void validateAll();
  void retranslate();

  QFormLayout* form_ = nullptr;
  QMap<QString, SetupField> specs_;  // key -> what the schema says of it
  QStringList liveKeys_;             // the keys with spec.live
  QMap<QString, QWidget*> fields_;  // key -> editor
  QMap<QString, QLabel*> labels_;   // key -> row label
  QMap<QString, QLabel*> errorLabels_;
  QMap<QString, QString> errors_;
  QComboBox* mode_ = nullptr;
  QList<QCheckBox*> switches_;  // the objective switches: editable in custom mode only
  QComboBox* dataset_ = nullptr;
  QLineEdit* path_ = nullptr;
  QPushButton *browse_ = nullptr, *loadPreset_ = nullptr, *savePreset_ = nullptr;
  QComboBox* device_ = nullptr;
  Validator validator_;
  bool running_ = false;
  QMap<QString, QString> inEffect_;  // live keys: the text last sent (or in effect at Start)
  bool updating_ = false;  // setValues/mode changes in progress: no per-field signals
};
