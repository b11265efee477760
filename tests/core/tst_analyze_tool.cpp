// can-analyze against the library: on a tiny trained checkpoint the tool's JSON holds the
// numbers core/analysis computes for the same batch and draws (health, sigma sweep,
// attention), --out writes the same JSON and PNGs that decode to the drawn figures; a
// missing or corrupt checkpoint exits 1 naming it, bad usage exits 2. The tool runs as a
// process from the build tree (skipped if not built).
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "core/analysis/analysis_batch.h"
#include "core/analysis/analysis_figures.h"
#include "core/analysis/attention_maps.h"
#include "core/analysis/embeddings.h"
#include "core/analysis/representation_health.h"
#include "core/analysis/sigma_sweep.h"
#include "core/config/run_config.h"
#include "core/model/patchify.h"
#include "core/train/checkpoint.h"
#include "data_fixtures.h"
#include "tiny_model.h"

#ifdef CAN_WITH_OPENCV
#include <opencv2/imgcodecs.hpp>
#endif

namespace fs = std::filesystem;
namespace an = can::analysis;
using nlohmann::json;

namespace {

QString tool() { return QStringLiteral(QT_TESTCASE_BUILDDIR "/../app/can-analyze"); }

struct Run {
  int code = -1;
  QByteArray out, err;
};

Run run_tool(const QStringList& args) {
  QProcess p;
  p.start(tool(), args);
  Run r;
  if (!p.waitForFinished(240000)) return r;
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

bool near(double a, double b, double tol = 1e-6) { return std::abs(a - b) <= tol * std::max(1.0, std::abs(b)); }

bool near_all(const json& j, const std::vector<double>& v) {
  if (j.size() != v.size()) return false;
  for (size_t i = 0; i < v.size(); ++i)
    if (!near(j[i].get<double>(), v[i])) return false;
  return true;
}

bool near_rows(const json& j, const torch::Tensor& t) {
  auto d = t.to(torch::kFloat64).contiguous();
  if (static_cast<int64_t>(j.size()) != d.size(0)) return false;
  for (int64_t i = 0; i < d.size(0); ++i)
    if (!near_all(j[i], std::vector<double>(d[i].data_ptr<double>(), d[i].data_ptr<double>() + d.size(1))))
      return false;
  return true;
}

}  // namespace

class TestAnalyzeTool : public QObject {
  Q_OBJECT
  std::string dir_, ckpt_;

 private Q_SLOTS:
  void initTestCase() {
    if (!QFileInfo::exists(tool())) QSKIP("can-analyze not built");
    torch::set_num_threads(1);
    const char* env = std::getenv("CAN_TEST_TMP");
    dir_ = std::string(env && *env ? env : fs::temp_directory_path().string()) + "/analyze_tool";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    can_test::write_idx_split(dir_, "train", 40, 16, 16, false);
    can_test::write_idx_split(dir_, "t10k", 10, 16, 16, false);
    can::RunConfig config;
    config.model = can::test::tiny_model_config(1);
    config.data.dataset = "fashion-mnist";
    config.data.path = dir_;
    config.loss.sigma_max = 0.5;
    torch::manual_seed(4);
    can::CanModel model(config.model, config.objectives, config.loss.sigma_max);
    // A few steps on the run's own batches, so the weights are a trained run's.
    torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(1e-3));
    for (int step = 0; step < 5; ++step) {
      auto b = an::load_analysis_batch(config, 8, static_cast<uint64_t>(step));
      auto out = model->forward(b.view1, b.view2, config.loss);
      optimizer.zero_grad();
      out.loss.backward();
      optimizer.step();
    }
    can::TrainState state;
    state.step = 5;
    ckpt_ = can::save_checkpoint(dir_ + "/run", config, model, optimizer, state);
  }

  void jsonMatchesTheLibrary() {
    const std::string out_dir = dir_ + "/out";
    Run r = run_tool({"--checkpoint", QString::fromStdString(dir_ + "/run"), "--images", "6", "--seed", "3", "--points",
                      "4", "--bins", "8", "--threads", "1", "--out", QString::fromStdString(out_dir)});
    QVERIFY2(r.code == 0, r.err.constData());
    const json j = json::parse(r.out.toStdString());
    QCOMPARE(j["images"].get<int64_t>(), int64_t(6));

    // The same analysis through the library.
    can::RunConfig config;
    auto model = can::load_model(dir_ + "/run", &config);
    auto batch = an::load_analysis_batch(config, 6, 3);
    can::LossParams params = config.loss;
    params.pixel_std.assign(batch.std.begin(), batch.std.end());
    auto draws = an::sweep_draws(model, 6, 3);
    QVERIFY(near_all(j["indices"],
                     std::vector<double>(batch.index.data_ptr<int64_t>(), batch.index.data_ptr<int64_t>() + 6)));

    auto e = an::view_embeddings(model, batch.view1, batch.view2, params, draws);
    auto h = an::representation_health(e.u1, e.u2, 8);
    const json& jh = j["health"];
    QCOMPARE(jh["embedding"].get<std::string>(), std::string("projector"));
    QVERIFY(near(jh["effective_rank"].get<double>(), h.effective_rank));
    QVERIFY(near(jh["alignment"].get<double>(), h.alignment));
    QVERIFY(near(jh["uniformity"].get<double>(), h.uniformity));
    QVERIFY(near(jh["mean_dim_std"].get<double>(), h.mean_dim_std));
    QVERIFY(near_all(jh["dim_std"], h.dim_std));
    QCOMPARE(jh["positive_cos"]["counts"].get<std::vector<int64_t>>(), h.positive_cos.counts);
    QCOMPARE(jh["negative_cos"]["counts"].get<std::vector<int64_t>>(), h.negative_cos.counts);

    an::SigmaSweepOptions o;
    o.points = 4;
    o.seed = 3;
    auto s = an::sigma_sweep(model, batch.view1, batch.view2, params, draws, o);
    const json& js = j["sigma_sweep"];
    QVERIFY(near_all(js["sigma"], s.sigma));
    QCOMPARE(js["sigma"].back().get<double>(), 1.0);  // 2 sigma_max
    QVERIFY(near_all(js["true"]["denoise"], s.true_sigma.denoise));
    QVERIFY(near_all(js["wrong"]["denoise"], s.wrong_sigma.denoise));
    QVERIFY(near_all(js["zero"]["rec"], s.zero_sigma.rec));
    QCOMPARE(js["verdict"].get<std::string>(), s.verdict);

    auto m = can::random_masking_from_noise(draws.mask_noise.narrow(0, 0, 6), config.loss.mask_ratio);
    auto att = an::encoder_attention(model, batch.view1, m.ids_keep);
    const json& ja = j["attention"];
    QCOMPARE(ja["layer"].get<int64_t>(), config.model.depth - 1);
    QCOMPARE(ja["query"].get<std::string>(), std::string("class_token"));
    auto map = an::to_grid(an::layer_map(att, config.model.depth - 1, -1), att.ids_keep, 16);
    auto rollout = an::to_grid(an::rollout_map(att), att.ids_keep, 16);
    QVERIFY(near_rows(ja["map"], map));
    QVERIFY(near_rows(ja["rollout"], rollout));
    QVERIFY(near_rows(ja["visible"], 1 - m.mask));

    // --out: the same JSON, and PNGs of the figures.
    std::ifstream f(out_dir + "/analysis.json");
    QVERIFY(f.good());
    QCOMPARE(json::parse(f), j);
    for (const char* name : {"sigma_sweep.png", "attention_0.png", "rollout_5.png"})
      QVERIFY2(fs::exists(out_dir + "/" + name), name);
#ifdef CAN_WITH_OPENCV
    auto drawn = an::attention_overlay(batch.view1[0], batch.mean, batch.std, map[0], m.mask[0]);
    cv::Mat png = cv::imread(out_dir + "/attention_0.png", cv::IMREAD_COLOR);  // BGR
    QCOMPARE(png.rows, int(drawn.h));
    QCOMPARE(png.cols, int(drawn.w));
    for (int y = 0; y < png.rows; y += 7)
      for (int x = 0; x < png.cols; x += 5)
        for (int k = 0; k < 3; ++k) QCOMPARE(png.at<cv::Vec3b>(y, x)[2 - k], drawn.at(y, x, k));
#endif
  }

  // MAE: no projector and no noise-level embedding. Health falls back to the normalised
  // encoder features of the two clean views; the sweep says why it was skipped.
  void maeCheckpoint() {
    can::RunConfig config;
    config.model = can::test::tiny_model_config(1);
    config.set_key("objectives.mode", "mae");
    config.data.dataset = "fashion-mnist";
    config.data.path = dir_;
    torch::manual_seed(5);
    can::CanModel model(config.model, config.objectives, config.loss.sigma_max);
    torch::optim::AdamW optimizer(model->parameters());
    can::TrainState state;
    state.step = 1;
    can::save_checkpoint(dir_ + "/mae", config, model, optimizer, state);
    Run r = run_tool({"--checkpoint", QString::fromStdString(dir_ + "/mae"), "--images", "4", "--threads", "1"});
    QVERIFY2(r.code == 0, r.err.constData());
    const json j = json::parse(r.out.toStdString());
    QVERIFY(j["sigma_sweep"].contains("skipped"));
    QCOMPARE(j["health"]["embedding"].get<std::string>(), std::string("encoder_pool"));
    auto batch = an::load_analysis_batch(config, 4, 0);
    namespace F = torch::nn::functional;
    torch::NoGradGuard no_grad;
    model->eval();
    auto u1 = F::normalize(model->features(batch.view1), F::NormalizeFuncOptions().dim(1));
    auto u2 = F::normalize(model->features(batch.view2), F::NormalizeFuncOptions().dim(1));
    QVERIFY(near(j["health"]["alignment"].get<double>(), an::alignment(u1, u2)));
    QVERIFY(near(j["health"]["effective_rank"].get<double>(), an::effective_rank(torch::cat({u1, u2}))));
    QCOMPARE(j["attention"]["map"].size(), size_t(4));
  }

  void badCheckpointsExitOne() {
    Run r = run_tool({"--checkpoint", QString::fromStdString(dir_ + "/missing")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.startsWith("can-analyze: error:") && r.err.contains("missing"), r.err.constData());
    const std::string bad = dir_ + "/bad/checkpoints/" + fs::path(ckpt_).filename().string();
    fs::create_directories(bad);
    fs::copy(ckpt_, bad, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    std::ofstream(bad + "/model.pt", std::ios::trunc) << "not a torch archive";
    r = run_tool({"--checkpoint", QString::fromStdString(bad)});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.count('\n') <= 3, r.err.constData());  // a message, not a backtrace
    QVERIFY2(r.err.contains(QByteArray::fromStdString(bad)), r.err.constData());
  }

  void badUsageExitsTwo() {
    const QString run = QString::fromStdString(dir_ + "/run");
    QCOMPARE(run_tool({}).code, 2);
    QCOMPARE(run_tool({"--checkpoint", run, "--images", "1"}).code, 2);
    QCOMPARE(run_tool({"--checkpoint", run, "--points", "x"}).code, 2);
    Run r = run_tool({"--checkpoint", run, "--sigma-swep"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("--sigma-sweep"), r.err.constData());  // the nearest option suggested
    r = run_tool({"--checkpoint", run, "--attention", "--layer", "7"});
    QCOMPARE(r.code, 1);  // a layer the model lacks: the model's fact, named
    QVERIFY2(r.err.contains("--layer 7"), r.err.constData());
  }
};

QTEST_APPLESS_MAIN(TestAnalyzeTool)
#include "tst_analyze_tool.moc"
