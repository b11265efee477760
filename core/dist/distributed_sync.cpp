#include "core/dist/distributed_sync.h"

#include <stdexcept>

#include "core/dist/gather_layer.h"

namespace can::dist {

namespace {

// Consecutive runs of tensors of one dtype and device, each at most `bucket_bytes` (a larger
// tensor is a bucket of its own). Every rank builds the same buckets from the same model, so
// the collectives line up.
std::vector<std::vector<torch::Tensor>> make_buckets(const std::vector<torch::Tensor>& tensors, int64_t bucket_bytes) {
  std::vector<std::vector<torch::Tensor>> buckets;
  int64_t bytes = 0;
  for (const auto& t : tensors) {
    const int64_t b = t.numel() * static_cast<int64_t>(t.element_size());
    const bool fits = !buckets.empty() && bytes + b <= bucket_bytes &&
                      buckets.back().front().scalar_type() == t.scalar_type() &&
                      buckets.back().front().device() == t.device();
    if (!fits) {
      buckets.emplace_back();
      bytes = 0;
    }
    buckets.back().push_back(t);
    bytes += b;
  }
  return buckets;
}

// flat = cat of the bucket's tensors; after `reduce` each tensor gets its slice back.
template <class Reduce>
void reduce_flat(const std::vector<torch::Tensor>& bucket, Reduce&& reduce) {
  std::vector<torch::Tensor> flat_parts;
  flat_parts.reserve(bucket.size());
  for (const auto& t : bucket) flat_parts.push_back(t.reshape({-1}));
  torch::Tensor flat = torch::cat(flat_parts, 0);
  reduce(flat);
  int64_t offset = 0;
  for (const auto& t : bucket) {
    t.copy_(flat.narrow(0, offset, t.numel()).view(t.sizes()));
    offset += t.numel();
  }
}

}  // namespace

DistributedSync::DistributedSync(std::shared_ptr<Communicator> comm, int local_rank, int64_t bucket_bytes)
    : comm_(std::move(comm)), local_rank_(local_rank), bucket_bytes_(bucket_bytes) {
  if (!comm_) throw std::invalid_argument("DistributedSync: communicator is null");
  if (bucket_bytes_ < 1) throw std::invalid_argument("DistributedSync: bucket_bytes must be >= 1");
}

void DistributedSync::broadcast_parameters(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> tensors;
  for (const auto& p : module.parameters()) tensors.push_back(p);
  for (const auto& b : module.buffers()) tensors.push_back(b);
  for (const auto& bucket : make_buckets(tensors, bucket_bytes_))
    reduce_flat(bucket, [&](torch::Tensor& flat) { comm_->broadcast(flat, 0); });
}

void DistributedSync::all_reduce_gradients(const std::vector<torch::Tensor>& params) {
  torch::NoGradGuard no_grad;
  // Parameters without a gradient are skipped: the same ones on every rank, since every
  // rank runs the same model on the same objectives.
  std::vector<torch::Tensor> grads;
  for (const auto& p : params)
    if (p.grad().defined()) grads.push_back(p.grad());
  const double world = static_cast<double>(comm_->size());
  for (const auto& bucket : make_buckets(grads, bucket_bytes_))
    reduce_flat(bucket, [&](torch::Tensor& flat) {
      comm_->all_reduce(flat, ReduceKind::Sum);
      flat.div_(world);
    });
}

torch::Tensor DistributedSync::gather_embeddings(const torch::Tensor& u_view) {
  return all_gather_with_grad(*comm_, u_view);
}

bool DistributedSync::any(bool flag) {
  auto t = torch::full({1}, flag ? 1 : 0, torch::TensorOptions().dtype(torch::kInt32).device(comm_->device()));
  comm_->all_reduce(t, ReduceKind::Max);
  return t.item<int>() != 0;
}

void DistributedSync::reduce_metrics(StepMetrics& m) {
  const bool top1 = m.contrastive_top1.has_value();
  auto t = torch::tensor({m.loss, m.loss_info_nce, m.loss_rec, m.loss_denoise, m.grad_norm,
                          top1 ? *m.contrastive_top1 : 0.0, m.img_per_s},
                         torch::TensorOptions().dtype(torch::kFloat64))
               .to(comm_->device());
  comm_->all_reduce(t, ReduceKind::Sum);
  t = t.cpu();
  const double* v = t.data_ptr<double>();
  const double world = static_cast<double>(comm_->size());
  m.loss = v[0] / world;
  m.loss_info_nce = v[1] / world;
  m.loss_rec = v[2] / world;
  m.loss_denoise = v[3] / world;
  m.grad_norm = v[4] / world;
  if (top1) m.contrastive_top1 = v[5] / world;
  m.img_per_s = v[6];
}

}  // namespace can::dist
