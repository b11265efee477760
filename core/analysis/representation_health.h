#pragma once
// Representation health (docs/bench.md): is the embedding collapsing? Computed on a batch of
// the contrastive branch's embeddings u (docs/method.md step 5: the projector's output,
// L2-normalised), view 1 and view 2 of the same n images.
//
// - per-dimension standard deviation of u over the 2n embeddings (population, divide by
//   2n), its mean against 1/sqrt(r): unit vectors spread evenly over the sphere have a std
//   of 1/sqrt(r) in every dimension, a collapsed embedding a std near 0 (SimSiam, Chen & He
//   2021, section 4.1);
// - effective rank of the [2n, r] batch (Roy & Vetterli 2007): exp(-sum_k p_k log p_k) with
//   p_k = s_k / sum_j s_j over the singular values s of the (uncentred) matrix;
// - cosine similarity of positive pairs (u_i^1, u_i^2) and of negative pairs (embeddings of
//   different images, either view, each unordered pair once), histograms and means;
// - alignment E_i ||u_i^1 - u_i^2||^2 (alpha = 2) and uniformity
//   log mean_{a<b} exp(-2 ||u_a - u_b||^2) over every distinct pair of the 2n embeddings
//   (Wang & Isola 2020, t = 2).
// No Qt; every number in double precision.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace can::analysis {

// Counts of values in `bins` equal bins on [lo, hi]; a value equal to hi falls in the last
// bin, values outside [lo, hi] (rounding past +-1) are clamped into the end bins.
struct Histogram {
  double lo = -1.0, hi = 1.0;
  std::vector<int64_t> counts;
  int64_t total() const;
};
Histogram histogram(const torch::Tensor& values, int64_t bins, double lo = -1.0, double hi = 1.0);

struct RepresentationHealth {
  int64_t num_images = 0;                // n
  int64_t dim = 0;                       // r
  std::vector<double> dim_std;           // [r] population std of each dimension over the 2n embeddings
  double mean_dim_std = 0;               // mean of dim_std
  double uniform_std = 0;                // 1/sqrt(r), the std of evenly spread unit vectors
  double std_ratio = 0;                  // mean_dim_std / uniform_std: ~1 healthy, -> 0 collapsed
  double effective_rank = 0;             // in [1, min(2n, r)]
  Histogram positive_cos, negative_cos;  // n and 2n(n-1) pairs
  double positive_cos_mean = 0, negative_cos_mean = 0;
  double alignment = 0;   // in [0, 4]; 0 = the two views embed identically
  double uniformity = 0;  // in [-4, 0]; lower = more uniform
};

// u1, u2: [n, r] (n >= 2) unit-length embeddings of the two views of the same images (not
// checked for unit length: the formulas are applied as they are). bins: histogram bins on
// [-1, 1]. Throws std::invalid_argument for mismatched or too small inputs.
RepresentationHealth representation_health(const torch::Tensor& u1, const torch::Tensor& u2, int64_t bins = 40);

// The health of a training step's own embeddings: u [2n, r] view-major as CanOutput::u
// holds them (view 1's n rows, then view 2's), detached and moved to the CPU here.
RepresentationHealth step_health(const torch::Tensor& u, int64_t bins = 2);

// The single numbers, for any [N, r] batch.
torch::Tensor per_dimension_std(const torch::Tensor& u);  // [r] double
double effective_rank(const torch::Tensor& u);
double alignment(const torch::Tensor& u1, const torch::Tensor& u2);
double uniformity(const torch::Tensor& u);

}  // namespace can::analysis
