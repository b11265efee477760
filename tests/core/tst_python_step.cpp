// One seeded CAN step of the C++ engine against tests/python/can_step_independent.py, an
// eager PyTorch step written separately from docs/method.md: the same weights, views and
// draws (StepDraws) go to both through a safetensors file; the losses must agree to 1e-5
// relative, every gradient to 1e-4 of its tensor's largest entry, and the engine's AdamW
// update (make_adamw + adamw_step, as the trainer runs it) to the update written out in
// Python. Negative controls: the Python side changed in one detail (its --variants) must
// fail the same comparison, so the comparison is shown able to fail.
//
// Skipped (CTest SKIP_RETURN_CODE 77, tests/CMakeLists.txt) only when python3 cannot import
// torch and numpy; scripts/setup installs python3-torch and python3-numpy.
#include <QtTest/QtTest>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <cstdio>

#include "core/io/safetensors.h"
#include "core/model/can_model.h"
#include "core/train/adamw_step.h"
#include "core/train/param_groups.h"
#include "tiny_model.h"

namespace {

QString python_exe() {
  const QString env = qEnvironmentVariable("CAN_PYTHON");
  if (!env.isEmpty()) return env;
  return QFile::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

// Whether python3 can import what the reference needs; the reason when it cannot.
bool python_has_torch(QString* why) {
  QProcess p;
  p.start(python_exe(), {"-c", "import torch, numpy"});
  if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
    *why = python_exe() +
           " cannot import torch and numpy: " + QString::fromLocal8Bit(p.readAllStandardError()).trimmed() +
           p.errorString();
    return false;
  }
  return true;
}

struct Step {
  can::CanModel model{nullptr};
  can::LossParams lp;
  can::CanOutput out;
  std::map<std::string, torch::Tensor> grads, updated;  // the engine's, by parameter name
  std::string input_path;
};

constexpr double kLr = 1e-3, kWeightDecay = 0.05, kBeta1 = 0.9, kBeta2 = 0.95;

// One engine step on a tiny 3-channel model (3 channels so that the channel position in a
// patch vector matters), written to dir/step.safetensors for the Python side.
Step run_engine_step(const std::string& dir) {
  torch::manual_seed(2024);
  Step s;
  auto cfg = can::test::tiny_model_config(3);
  s.model = can::CanModel(cfg, can::Objectives{}, s.lp.sigma_max);
  const int64_t n = 4;
  auto v1 = torch::randn({n, 3, 16, 16}), v2 = torch::randn({n, 3, 16, 16});
  auto draws = s.model->draw(n, v1.options(), at::make_generator<at::CPUGeneratorImpl>(77));
  s.out = s.model->forward(v1, v2, s.lp, draws);
  s.out.loss.backward();

  can::io::NamedTensors tensors = {{"view1", v1},
                                   {"view2", v2},
                                   {"draws/sigma_unit", draws.sigma_unit},
                                   {"draws/e", draws.e},
                                   {"draws/mask_noise", draws.mask_noise}};
  for (const auto& p : s.model->named_parameters()) {
    if (!p.value().requires_grad()) continue;  // the fixed position embeddings: Python computes its own
    tensors.emplace_back("param/" + p.key(), p.value().detach().clone());
    tensors.emplace_back("cpp_grad/" + p.key(), p.value().grad().clone());
    s.grads[p.key()] = p.value().grad().clone();
  }
  nlohmann::json c = {
      {"img_size", cfg.img_size},
      {"in_chans", cfg.in_chans},
      {"patch_size", cfg.patch_size},
      {"embed_dim", cfg.embed_dim},
      {"depth", cfg.depth},
      {"num_heads", cfg.num_heads},
      {"decoder_embed_dim", cfg.decoder_embed_dim},
      {"decoder_depth", cfg.decoder_depth},
      {"decoder_num_heads", cfg.decoder_num_heads},
      {"sigma_max_at_build", s.lp.sigma_max},
      {"loss",
       {{"mask_ratio", s.lp.mask_ratio},
        {"sigma_max", s.lp.sigma_max},
        {"tau", s.lp.tau},
        {"lambda_c", s.lp.lambda_c},
        {"lambda_a", s.lp.lambda_a},
        {"lambda_n", s.lp.lambda_n},
        {"norm_pix", s.lp.norm_pix}}},
      {"adamw", {{"lr", kLr}, {"beta1", kBeta1}, {"beta2", kBeta2}, {"eps", 1e-8}, {"weight_decay", kWeightDecay}}}};
  s.input_path = dir + "/step.safetensors";
  can::io::write_safetensors(s.input_path, tensors, {{"config", c.dump()}});

  // The optimizer step the trainer takes: its parameter groups, its multi-tensor AdamW.
  auto optimizer = can::make_adamw(can::split_param_groups(*s.model), kWeightDecay, kBeta1, kBeta2);
  can::set_lr(*optimizer, kLr);
  can::adamw_step(*optimizer);
  for (const auto& p : s.model->named_parameters())
    if (p.value().requires_grad()) s.updated[p.key()] = p.value().detach().clone();
  return s;
}

const QStringList kVariants = {"exact", "positives", "denoise-target", "sigma-scale", "mask-sigma"};

// Runs the Python step once for every variant (one process: importing torch is most of its
// time); false, with Python's stderr logged, when it fails.
bool run_python(const Step& s, const std::string& dir) {
  const QString script = qEnvironmentVariable("CAN_SOURCE_DIR") + "/tests/python/can_step_independent.py";
  QProcess p;
  p.start(python_exe(), {script, "--in", QString::fromStdString(s.input_path), "--out-dir", QString::fromStdString(dir),
                         "--variants", kVariants.join(",")});
  const bool ok = p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
  if (!ok) qWarning().noquote() << script << p.errorString() << QString::fromLocal8Bit(p.readAllStandardError());
  return ok;
}

// One variant's output tensors by name; empty when the file is missing.
std::map<std::string, torch::Tensor> python_output(const std::string& dir, const QString& variant) {
  const std::string path = dir + "/python_" + variant.toStdString() + ".safetensors";
  if (!QFile::exists(QString::fromStdString(path))) return {};
  return can::io::load_safetensors(path);
}

// Every disagreement between the engine and the Python step, one line each. worst: the
// largest ratio of a difference to its tolerance, per kind (loss, grad, adamw).
QStringList disagreements(const Step& s, const std::map<std::string, torch::Tensor>& py,
                          std::map<std::string, double>* worst = nullptr) {
  QStringList bad;
  if (py.empty()) return {"the Python step did not run"};
  std::map<std::string, double> w;
  auto note = [&w](const char* kind, double diff, double tolerance) { w[kind] = std::max(w[kind], diff / tolerance); };
  for (auto [name, value] : {std::pair{"loss", s.out.loss},
                             {"loss_info_nce", s.out.loss_info_nce},
                             {"loss_rec", s.out.loss_rec},
                             {"loss_denoise", s.out.loss_denoise}}) {
    const double a = value.item<double>(), b = py.at(name)[0].item<double>();
    note("loss", std::abs(a - b), 1e-5 * std::abs(b));
    if (!(std::abs(a - b) <= 1e-5 * std::abs(b)))
      bad << QString("%1: engine %2, python %3").arg(name).arg(a, 0, 'g', 10).arg(b, 0, 'g', 10);
  }
  for (const auto& [name, g] : s.grads) {
    const auto& ref = py.at("grad/" + name);
    const double scale = ref.abs().max().item<double>(), diff = (g - ref).abs().max().item<double>();
    note("grad", diff, 1e-4 * scale + 1e-12);
    if (!(diff <= 1e-4 * scale + 1e-12))
      bad << QString("grad %1: max |diff| %2, max |grad| %3").arg(QString::fromStdString(name)).arg(diff).arg(scale);
  }
  for (const auto& [name, w] : s.updated) {
    const auto& ref = py.at("adamw/" + name);
    const double diff = (w - ref).abs().max().item<double>(),
                 tolerance = 1e-6 * std::max(1.0, ref.abs().max().item<double>());
    note("adamw", diff, tolerance);
    if (!(diff <= tolerance)) bad << QString("adamw %1: max |diff| %2").arg(QString::fromStdString(name)).arg(diff);
  }
  if (worst) *worst = w;
  if (w.size() != 3 || s.grads.size() < 30) bad << "a kind of value was not compared";
  return bad;
}

}  // namespace

class TestPythonStep : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    dir_ = qEnvironmentVariable("CAN_TEST_TMP", QDir::tempPath()).toStdString() + "/python_step";
    QDir(QString::fromStdString(dir_)).removeRecursively();
    QVERIFY(QDir().mkpath(QString::fromStdString(dir_)));
    step_ = run_engine_step(dir_);
    QVERIFY(run_python(step_, dir_));
  }

  void engineStepMatchesIndependentPython() {
    std::map<std::string, double> worst;
    const auto bad = disagreements(step_, python_output(dir_, "exact"), &worst);
    QVERIFY2(bad.isEmpty(), qPrintable(bad.join("\n")));
    // How close to its tolerance each kind came (1 = at the tolerance), for the log.
    qInfo("worst difference / tolerance: loss %.3g, grad %.3g, adamw %.3g", worst["loss"], worst["grad"],
          worst["adamw"]);
  }

  // The comparison can fail: one detail of the method changed on the Python side makes the
  // same comparison report the loss term it belongs to.
  void aChangedDetailFailsTheComparison_data() {
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("expected");
    for (auto [row, variant, expected] : {std::tuple{"positives a+1", "positives", "loss_info_nce:"},
                                          {"denoise target e, not sigma*e", "denoise-target", "loss_denoise:"},
                                          {"sigma unscaled", "sigma-scale", "loss_rec:"},
                                          {"sigma embedding on visible tokens only", "mask-sigma", "loss_rec:"}})
      QTest::newRow(row) << QString(variant) << QString(expected);
  }
  void aChangedDetailFailsTheComparison() {
    QFETCH(QString, variant);
    QFETCH(QString, expected);
    const auto bad = disagreements(step_, python_output(dir_, variant));
    QVERIFY2(!bad.filter(expected).isEmpty(), qPrintable("no " + expected + " disagreement in:\n" + bad.join("\n")));
  }

 private:
  std::string dir_;
  Step step_;
};

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QString why;
  if (!python_has_torch(&why)) {
    std::fprintf(stderr, "SKIP: %s (scripts/setup installs python3-torch)\n", qPrintable(why));
    return 77;  // SKIP_RETURN_CODE in tests/CMakeLists.txt
  }
  TestPythonStep test;
  return QTest::qExec(&test, argc, argv);
}

#include "tst_python_step.moc"
