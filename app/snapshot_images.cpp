#include "app/snapshot_images.h"

#include <algorithm>
#include <cmath>

#include "core/train/snapshot.h"
#include "widgets/masks_panel.h"

namespace {

int toByte(float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); }

}  // namespace

QImage toPixelImage(const torch::Tensor& chw, const std::vector<float>& mean, const std::vector<float>& std) {
  auto x = chw.to(torch::kFloat32).contiguous();
  const int64_t C = x.size(0), H = x.size(1), W = x.size(2);
  auto a = x.accessor<float, 3>();
  QImage img(static_cast<int>(W), static_cast<int>(H), QImage::Format_RGB32);
  auto unnorm = [&](int64_t c, int64_t y, int64_t xx) {
    const float m = c < static_cast<int64_t>(mean.size()) ? mean[c] : 0.0f;
    const float s = c < static_cast<int64_t>(std.size()) ? std[c] : 1.0f;
    return toByte(a[c][y][xx] * s + m);
  };
  for (int64_t y = 0; y < H; ++y) {
    auto* line = reinterpret_cast<QRgb*>(img.scanLine(static_cast<int>(y)));
    for (int64_t xx = 0; xx < W; ++xx) {
      if (C >= 3) {
        line[xx] = qRgb(unnorm(0, y, xx), unnorm(1, y, xx), unnorm(2, y, xx));
      } else {
        const int g = unnorm(0, y, xx);
        line[xx] = qRgb(g, g, g);
      }
    }
  }
  return img;
}

QImage toNoiseImage(const torch::Tensor& chw, double scale) {
  auto x = chw.to(torch::kFloat32).mean(0).contiguous();  // [H, W]
  const int64_t H = x.size(0), W = x.size(1);
  auto a = x.accessor<float, 2>();
  QImage img(static_cast<int>(W), static_cast<int>(H), QImage::Format_RGB32);
  const double s = scale > 0 ? scale : 1.0;
  // ColorBrewer RdBu end points: blue (33,102,172) for -scale, red (178,24,43) for +scale.
  for (int64_t y = 0; y < H; ++y) {
    auto* line = reinterpret_cast<QRgb*>(img.scanLine(static_cast<int>(y)));
    for (int64_t xx = 0; xx < W; ++xx) {
      const double t = std::clamp(static_cast<double>(a[y][xx]) / s, -1.0, 1.0);
      const double r = t >= 0 ? 255 + t * (178 - 255) : 255 + (-t) * (33 - 255);
      const double g = t >= 0 ? 255 + t * (24 - 255) : 255 + (-t) * (102 - 255);
      const double b = t >= 0 ? 255 + t * (43 - 255) : 255 + (-t) * (172 - 255);
      line[xx] = qRgb(static_cast<int>(std::lround(r)), static_cast<int>(std::lround(g)), static_cast<int>(std::lround(b)));
    }
  }
  return img;
}

SnapshotImages toSnapshotImages(const can::Snapshot& s, const SnapshotContext& context) {
  SnapshotImages out;
  out.step = s.step;
  out.numViews = static_cast<int>(s.num_views);
  out.numSamples = static_cast<int>(s.original.size(0));
  out.patchSize = static_cast<int>(s.patch_size);
  out.gridHeight = static_cast<int>(s.mask.size(2));
  out.gridWidth = static_cast<int>(s.mask.size(3));
  out.maskRatio = context.maskRatio;
  out.sigmaMax = context.sigmaMax;
  out.normPix = context.normPix;
  out.hasDecoder = s.reconstruction.defined() || s.predicted_noise.defined();
  out.hasDenoise = context.hasDenoise && s.predicted_noise.defined();
  const int V = out.numViews, k = out.numSamples;

  for (int i = 0; i < k; ++i) out.originals.push_back(toPixelImage(s.original[i], s.mean, s.std));
  auto sigma_batch = s.sigma_batch.defined() ? s.sigma_batch.flatten().contiguous() : s.sigma.flatten().contiguous();
  out.sigmaBatch.resize(static_cast<int>(sigma_batch.numel()));
  std::copy_n(sigma_batch.data_ptr<float>(), sigma_batch.numel(), out.sigmaBatch.begin());

  const int g = out.gridWidth * out.gridHeight;
  auto mask = s.mask.to(torch::kFloat32).contiguous();
  const torch::Tensor denoiseErrors = out.hasDenoise ? can::visible_noise_mse(s) : torch::Tensor();  // [V, k]
  for (int v = 0; v < V; ++v) {
    for (int i = 0; i < k; ++i) {
      out.views.push_back(toPixelImage(s.views[v][i], s.mean, s.std));
      out.noisy.push_back(toPixelImage(s.noisy[v][i], s.mean, s.std));
      out.sigma.push_back(s.sigma[v][i].item<double>());
      QBitArray bits(g);
      auto m = mask[v][i].flatten();
      auto ma = m.accessor<float, 1>();
      for (int t = 0; t < g; ++t) bits.setBit(t, ma[t] > 0.5f);
      out.masks.push_back(bits);
      if (s.reconstruction.defined()) out.prediction.push_back(toPixelImage(s.reconstruction[v][i], s.mean, s.std));
      if (!out.hasDenoise) continue;
      // Both noise panes share one colour scale, set by the true noise on visible pixels:
      // the truth always shows in full colour, and a prediction too strong for it
      // saturates (said in the panel's legend). Set by the larger of the two, an untrained
      // prediction (+-2.5 against a noise of +-0.15) left the true noise plain white.
      auto truth = s.true_noise[v][i];
      auto predicted = s.predicted_noise[v][i];  // 0 on masked patches
      const int64_t p = s.patch_size;
      auto visible = (1 - mask[v][i].repeat_interleave(p, 0).repeat_interleave(p, 1)).unsqueeze(0);  // [1, H, W]
      auto visible_truth = truth * visible;
      const double scale = std::max(visible_truth.abs().max().item<double>(), 1e-8);
      out.noiseScale.push_back(scale);
      out.trueNoise.push_back(toNoiseImage(visible_truth, scale));
      out.predictedNoise.push_back(toNoiseImage(predicted, scale));
      out.denoiseError.push_back(denoiseErrors[v][i].item<double>());
      // Masked patches carry no denoised value: grey them like the masks panel does.
      out.denoised.push_back(MasksPanel::maskedView(toPixelImage(s.denoised[v][i], s.mean, s.std), bits,
                                                    out.gridWidth, out.gridHeight, out.patchSize));
    }
  }
  return out;
}
