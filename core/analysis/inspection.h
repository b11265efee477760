#pragma once
// The inspector's question (docs/bench.md "Inspector"): what does the model do with ONE
// image, a mask chosen by hand and one noise draw? One CanModel::forward on exactly that
// mask and noise (the StepDraws seam, as the sigma sweep uses it), and what it returns
// broken down per patch: the masked noisy input, the reconstruction of the masked patches
// (docs/method.md step 8), the true noise sigma*e and the predicted noise on the visible
// patches (step 9), the per-patch errors whose means are L_rec and L_denoise, and the
// image's nearest training images in the encoder's feature space.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/config/objectives.h"
#include "core/model/can_model.h"

namespace can::analysis {

struct InspectionRequest {
  torch::Tensor image;     // [C, H, W] one normalised image, as the loader gives it
  std::vector<bool> mask;  // one per patch, row-major patch grid; true = masked (T entries)
  double sigma = 0;        // the noise level of this image (loss.noise_space units)
  uint64_t noise_seed = 0; // e ~ N(0, I) [C, H, W] from a CPU generator seeded with it
};

// Every image below is [C, H, W] in the normalised space of the input (the caller maps it
// to pixels with the data's mean/std); every error map is [H/p, W/p]. A part whose
// objective the model lacks is undefined: no reconstruction without A, no noise without N.
struct Inspection {
  std::vector<bool> mask;        // the mask the forward used, read back from CanOutput::mask
  double sigma = 0;
  torch::Tensor noisy;           // clean + sigma*e: what the encoder's visible patches hold
  torch::Tensor masked_input;    // noisy with the masked patches zeroed: what the encoder saw
  // Masked patches: the decoder's prediction in pixel (normalised-view) space; visible
  // patches: the clean image (MAE's paste). With loss.norm_pix the decoder predicts each
  // patch normalised by its own mean and variance, which the image does not give away; the
  // prediction is mapped back with the TRUE clean patch's mean and std, as MAE's
  // visualisation does, so the picture borrows those two numbers per patch from the answer.
  torch::Tensor reconstruction;
  bool reconstruction_uses_true_stats = false;  // = loss.norm_pix: the caveat above applies
  torch::Tensor true_noise;       // sigma*e as added to the normalised view
  torch::Tensor predicted_noise;  // the decoder's noise on visible patches, same units; 0 on masked
  torch::Tensor rec_error;        // per-patch MSE of the L_rec target on masked patches; 0 on visible
  torch::Tensor denoise_error;    // per-patch MSE of the L_denoise target on visible patches; 0 on masked
  torch::Tensor z;                // [(1+)T', d] the encoder's output for this image
  double loss_rec = 0, loss_denoise = 0;  // the forward's L_rec and L_denoise of this image
};

// The unit noise e of a request: at::randn({C, H, W}) from a CPU generator seeded with `seed`.
torch::Tensor inspection_noise(int64_t channels, int64_t img_size, uint64_t seed);

// A random mask with exactly T - num_keep(T, ratio) masked patches (what training draws at
// that ratio), the patches chosen by a CPU generator seeded with `seed`.
std::vector<bool> random_patch_mask(int64_t num_patches, double ratio, uint64_t seed);

// Runs the model (eval mode, no gradients; its mode is restored) on the request. params:
// the checkpoint's loss section (norm_pix, noise_space, denoise_target, pixel_std); its
// mask ratio and sigma_max are replaced by the request's. Throws std::invalid_argument for a
// mask of the wrong length or one that hides every patch, or an image of the wrong shape.
Inspection inspect(CanModel& model, const LossParams& params, const InspectionRequest& request);

struct Neighbour {
  int64_t index = -1;     // row of the bank (= dataset index when the bank is a prefix)
  double similarity = 0;  // cosine similarity of the mean-pooled encoder features
};

// The k rows of `bank` [N, d] (features as eval::extract_features gives them: clean,
// unmasked images, patch tokens mean-pooled) most cosine-similar to the query image's
// features, most similar first (ties: lower index first).
std::vector<Neighbour> nearest_neighbours(CanModel& model, const torch::Tensor& bank, const torch::Tensor& query_image,
                                          int64_t k);

}  // namespace can::analysis
