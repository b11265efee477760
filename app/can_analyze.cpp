// can-analyze: looks inside one checkpoint (docs/bench.md): representation health, the sigma
// sweep and the encoder's attention maps, on a fixed, seeded batch of the run's training
// images. Prints one JSON object; with --out DIR also writes DIR/analysis.json and PNGs.
// The numbers come from core/analysis, which the studio's Bench views call as well.
//
// Exit codes: 0 ok, 1 error (missing/corrupt checkpoint, unreadable data), 2 usage.

#include <filesystem>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/analysis/analysis_figures.h"
#include "core/analysis/analysis_run.h"
#include "core/io/atomic_file.h"
#include "core/io/png_writer.h"
#include "app/tool_main.h"
#include "core/util/cli_options.h"
#include "core/util/threads.h"

namespace {

constexpr const char* kUsage =
    "usage: can-analyze --checkpoint RUN [--sigma-sweep] [--health] [--attention] [options]\n"
    "\n"
    "Analyses the model of a checkpoint (a checkpoint directory or a run directory) on the\n"
    "first --images images of its training data (its own two-view augmentation, seeded by\n"
    "--seed) and prints one JSON object. Without --sigma-sweep, --health or --attention all\n"
    "three run. See docs/bench.md for what each number means.\n"
    "\n"
    "  --sigma-sweep       denoising and reconstruction errors at sigma in [0, 2 sigma_max], with\n"
    "                      the true, a shuffled and a zero noise-level embedding (needs N)\n"
    "  --health            representation health: per-dimension std, effective rank, cosine\n"
    "                      histograms of positive and negative pairs, alignment, uniformity\n"
    "  --attention         class-token (or mean-query) attention of a layer and head, and the\n"
    "                      attention rollout, over the visible patches of view 1\n"
    "  --images N          images analysed (default 16, at least 2)\n"
    "  --seed S            data order, augmentation, noise, masks and the shuffle (default 0)\n"
    "  --points N          sigma sweep points (default 11)\n"
    "  --bins N            cosine histogram bins on [-1, 1] (default 40)\n"
    "  --layer L           attention layer (default -1 = the last)\n"
    "  --head H            attention head (default -1 = mean of heads)\n"
    "  --mask-ratio X      mask for the attention maps (default: the run's loss.mask_ratio)\n"
    "  --threads N         LibTorch threads (default 0 = all cores)\n"
    "  --data-path DIR     override the dataset path of the checkpoint's config\n"
    "  --out DIR           also write DIR/analysis.json, DIR/sigma_sweep.png and\n"
    "                      DIR/attention_<i>.png, DIR/rollout_<i>.png for the first 8 images\n";

struct Args {
  std::string checkpoint, data_path, out;
  bool sweep = false, health = false, attention = false;
  int64_t images = 16, points = 11, bins = 40, layer = -1, head = -1, threads = 0;
  uint64_t seed = 0;
  double mask_ratio = -1;
};

using can::cli::to_double;
using can::cli::to_int;
using can::cli::UsageError;
using nlohmann::json;

can::cli::Options make_options(Args& a) {
  can::cli::Options o("can-analyze", kUsage);
  auto integer = [](int64_t* target, const char* name) {
    return [target, name](const std::string& v) { *target = to_int(name, v); };
  };
  o.value("--checkpoint", &a.checkpoint).value("--data-path", &a.data_path).value("--out", &a.out);
  o.flag("--sigma-sweep", &a.sweep).flag("--health", &a.health).flag("--attention", &a.attention);
  o.value("--images", integer(&a.images, "--images")).value("--points", integer(&a.points, "--points"));
  o.value("--bins", integer(&a.bins, "--bins")).value("--layer", integer(&a.layer, "--layer"));
  o.value("--head", integer(&a.head, "--head")).value("--threads", integer(&a.threads, "--threads"));
  o.value("--seed", [&a](const std::string& v) {
    const int64_t s = to_int("--seed", v);
    if (s < 0) throw UsageError("--seed must be >= 0");
    a.seed = static_cast<uint64_t>(s);
  });
  o.value("--mask-ratio", [&a](const std::string& v) { a.mask_ratio = to_double("--mask-ratio", v); });
  return o;
}

void check(Args& a) {
  if (a.checkpoint.empty()) throw UsageError("--checkpoint RUN is required");
  if (!a.sweep && !a.health && !a.attention) a.sweep = a.health = a.attention = true;
  if (a.images < 2) throw UsageError("--images must be >= 2");
  if (a.points < 2) throw UsageError("--points must be >= 2");
  if (a.bins < 1) throw UsageError("--bins must be >= 1");
  if (a.head < -1) throw UsageError("--head must be >= -1");
  if (a.mask_ratio != -1 && !(a.mask_ratio >= 0 && a.mask_ratio < 1))
    throw UsageError("--mask-ratio must be in [0, 1)");
}

std::vector<double> to_vector(const torch::Tensor& t) {
  auto d = t.detach().to(torch::kCPU, torch::kFloat64).contiguous().flatten();
  return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}

json rows_json(const torch::Tensor& t) {  // [N, K] -> [[K], ...]
  json rows = json::array();
  for (int64_t i = 0; i < t.size(0); ++i) rows.push_back(to_vector(t[i]));
  return rows;
}

json histogram_json(const can::analysis::Histogram& h) { return {{"lo", h.lo}, {"hi", h.hi}, {"counts", h.counts}}; }

json health_json(const can::analysis::RepresentationHealth& h, const std::string& source) {
  return {{"embedding", source},
          {"num_images", h.num_images},
          {"dim", h.dim},
          {"dim_std", h.dim_std},
          {"mean_dim_std", h.mean_dim_std},
          {"uniform_std", h.uniform_std},
          {"std_ratio", h.std_ratio},
          {"effective_rank", h.effective_rank},
          {"positive_cos", histogram_json(h.positive_cos)},
          {"negative_cos", histogram_json(h.negative_cos)},
          {"positive_cos_mean", h.positive_cos_mean},
          {"negative_cos_mean", h.negative_cos_mean},
          {"alignment", h.alignment},
          {"uniformity", h.uniformity}};
}

json sweep_json(const can::analysis::SigmaSweep& s, double sigma_max) {
  auto curve = [&s](const can::analysis::SigmaCurve& c) {
    json j = {{"denoise", c.denoise}};
    if (s.has_rec) j["rec"] = c.rec;
    return j;
  };
  return {{"sigma_max", sigma_max},
          {"sigma", s.sigma},
          {"true", curve(s.true_sigma)},
          {"wrong", curve(s.wrong_sigma)},
          {"zero", curve(s.zero_sigma)},
          {"wrong_rel_diff_denoise", s.wrong_rel_diff_denoise},
          {"wrong_rel_diff_rec", s.wrong_rel_diff_rec},
          {"zero_rel_diff_denoise", s.zero_rel_diff_denoise},
          {"zero_rel_diff_rec", s.zero_rel_diff_rec},
          {"coincide", s.coincide},
          {"verdict", s.verdict}};
}

int run(const Args& args) {
  namespace an = can::analysis;
  can::set_torch_threads(static_cast<int>(args.threads));
  auto in = an::load_analysis_input(args.checkpoint, args.images, args.seed, args.data_path);
  const int64_t n = in.n;
  const auto& batch = in.batch;
  an::AnalysisOptions options;
  options.health = args.health;
  options.sweep = args.sweep;
  options.attention = args.attention;
  options.points = args.points;
  options.bins = args.bins;
  options.layer = args.layer;
  options.head = args.head;
  options.mask_ratio = args.mask_ratio;
  const an::AnalysisResult r = an::run_analysis(in, options);

  json out = {{"checkpoint", in.dir},
              {"seed", args.seed},
              {"images", n},
              {"indices", std::vector<int64_t>(batch.index.data_ptr<int64_t>(), batch.index.data_ptr<int64_t>() + n)}};
  if (r.has_health) out["health"] = health_json(r.health, r.embedding);
  if (!r.sweep_skipped.empty()) out["sigma_sweep"] = {{"skipped", r.sweep_skipped}};
  if (r.has_sweep) out["sigma_sweep"] = sweep_json(r.sweep, in.params.sigma_max);
  const an::AttentionResult& att = r.attention;
  if (r.has_attention)
    out["attention"] = {{"layer", att.layer},
                        {"head", att.head},
                        {"mask_ratio", att.mask_ratio},
                        {"grid", in.model->config().grid_size()},
                        {"query", att.query},
                        {"visible", rows_json(1 - att.mask)},
                        {"map", rows_json(att.map)},
                        {"class_token_self", to_vector(att.class_token_self)},
                        {"rollout", rows_json(att.rollout)}};

  if (!args.out.empty()) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(args.out, ec);
    if (ec) throw std::runtime_error(args.out + ": cannot create the directory: " + ec.message());
    json files = json::array();
    auto png = [&](const std::string& name, const can::data::Image& img) {
      can::io::write_png(args.out + "/" + name, img);
      files.push_back(name);
    };
    if (r.has_sweep) png("sigma_sweep.png", an::sweep_figure(r.sweep));
    if (r.has_attention)
      for (int64_t i = 0; i < std::min<int64_t>(n, 8); ++i) {
        png("attention_" + std::to_string(i) + ".png",
            an::attention_overlay(batch.view1[i], batch.mean, batch.std, att.map[i], att.mask[i]));
        png("rollout_" + std::to_string(i) + ".png",
            an::attention_overlay(batch.view1[i], batch.mean, batch.std, att.rollout[i], att.mask[i]));
      }
    out["files"] = files;
    can::io::write_file_atomic(args.out + "/analysis.json", out.dump(2) + "\n");
  }
  std::cout << out.dump() << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  const can::cli::Options options = make_options(args);
  return can::cli::run_tool(
      options, argc, argv, [&args] { check(args); }, [&args] { return run(args); });
}
