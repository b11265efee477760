#pragma once
// One training step's metrics as the curves panel receives them (core StepMetrics, copied
// into Qt types by the worker). NaN in an optional field means "not measured this step".

#include <QMetaType>
#include <QVector>
#include <limits>

struct MetricsPoint {
  qint64 step = 0;
  double epoch = 0.0;
  double loss = 0.0;          // weighted total
  double lossInfoNce = 0.0;
  double lossRec = 0.0;
  double lossDenoise = 0.0;
  double lr = 0.0;
  double imgPerS = 0.0;
  double gradNorm = 0.0;
  double contrastiveTop1 = std::numeric_limits<double>::quiet_NaN();
  double knnTop1 = std::numeric_limits<double>::quiet_NaN();
  // Objective balance (core StepMetrics grad_norm_* / grad_cos_*), every balance_every steps:
  // each term's own gradient norm on the encoder, ||grad(lambda_k L_k)||, and the cosines
  // between pairs of those gradients. NaN on other steps and for a term that is off.
  double gradNormInfoNce = std::numeric_limits<double>::quiet_NaN();
  double gradNormRec = std::numeric_limits<double>::quiet_NaN();
  double gradNormDenoise = std::numeric_limits<double>::quiet_NaN();
  double gradCosCA = std::numeric_limits<double>::quiet_NaN();
  double gradCosCN = std::numeric_limits<double>::quiet_NaN();
  double gradCosAN = std::numeric_limits<double>::quiet_NaN();
  // Each term's share of the encoder's update, <g_k, g> / ||g||^2 (grad_share_*; they sum
  // to 1), measured with the norms.
  double gradShareInfoNce = std::numeric_limits<double>::quiet_NaN();
  double gradShareRec = std::numeric_limits<double>::quiet_NaN();
  double gradShareDenoise = std::numeric_limits<double>::quiet_NaN();
  // Representation health (core StepMetrics health_*), every train.health_every steps: the
  // embeddings' mean per-dimension std over 1/sqrt(r) (~1 spread, -> 0 collapsed), effective
  // rank, alignment, uniformity, mean positive and negative cosine. NaN on other steps.
  double healthStdRatio = std::numeric_limits<double>::quiet_NaN();
  double healthEffectiveRank = std::numeric_limits<double>::quiet_NaN();
  double healthAlignment = std::numeric_limits<double>::quiet_NaN();
  double healthUniformity = std::numeric_limits<double>::quiet_NaN();
  double healthPosCos = std::numeric_limits<double>::quiet_NaN();
  double healthNegCos = std::numeric_limits<double>::quiet_NaN();
  // Resources (core StepMetrics cpu_percent, rss_mib, gpu_mem_mib, gpu_reserved_mib), every
  // log_every steps: the process's CPU use in percent of one core since the previous
  // sample, its resident memory, and on CUDA the memory allocated in tensors and reserved
  // by LibTorch's caching allocator, in MiB. NaN on other steps (the GPU ones off CUDA).
  double cpuPercent = std::numeric_limits<double>::quiet_NaN();
  double rssMib = std::numeric_limits<double>::quiet_NaN();
  double gpuMemMib = std::numeric_limits<double>::quiet_NaN();
  double gpuReservedMib = std::numeric_limits<double>::quiet_NaN();
};

Q_DECLARE_METATYPE(MetricsPoint)
Q_DECLARE_METATYPE(QVector<MetricsPoint>)
