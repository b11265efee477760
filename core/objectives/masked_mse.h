#pragma once
// Reconstruction (A, spec step 8) and denoising (N, spec step 9) are one masked MSE,
// called with the mask M and with 1 - M.

#include <torch/torch.h>

namespace can {

// Mean over the selected patches of the per-patch mean squared error:
// sum_{i,t} w_it * mean_k (pred_itk - target_itk)^2 / sum_{i,t} w_it.
// pred, target: [N, T, K]; weight: [N, T] in {0, 1}. Zero when no patch is selected.
// Every view keeps the same number of patches, so this equals 1/(2n) sum over views of each
// view's mean over its selected patches.
torch::Tensor masked_mse(const torch::Tensor& pred, const torch::Tensor& target,
                         const torch::Tensor& weight);

// Each patch normalised by its own mean and variance (MAE's norm_pix_loss:
// (x - mean) / sqrt(var + 1e-6), unbiased variance over the p*p*C values).
torch::Tensor normalize_patches(const torch::Tensor& patches);

// L_rec: masked patches (mask = 1) of the prediction against the clean view's patches.
torch::Tensor reconstruction_loss(const torch::Tensor& x_hat, const torch::Tensor& clean_patches,
                                  const torch::Tensor& mask, bool norm_pix);

// L_denoise: unmasked patches (mask = 0) of the prediction against the added noise sigma*e.
torch::Tensor denoise_loss(const torch::Tensor& x_hat, const torch::Tensor& noise_patches,
                           const torch::Tensor& mask);

}  // namespace can
