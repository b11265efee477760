#include "core/analysis/analysis_batch.h"

#include <memory>
#include <stdexcept>

#include "core/data/dataset.h"
#include "core/data/loader.h"

namespace can::analysis {

AnalysisBatch load_analysis_batch(const RunConfig& config, int64_t n, uint64_t seed) {
  // The data as the run's training opened it (data.min_image_side raised to the patch size).
  std::shared_ptr<const data::Dataset> ds = data::open_dataset(training_data_config(config), data::Split::Train);
  auto options = data::make_loader_options(config.data, *ds, n, config.model.img_size, seed);
  options.num_workers = 0;    // built inside next(): nothing to overlap, and no threads to stop
  options.drop_last = false;  // a dataset smaller than n gives one short batch
  options.two_views = true;   // health compares the two views, also for one-view runs
  data::Loader loader(ds, options);
  loader.start_epoch(0);
  data::Batch b;
  if (!loader.next(b)) throw std::runtime_error(ds->describe() + ": no images to analyse");
  return {b.view1, b.view2, b.index, options.mean, options.std};
}

}  // namespace can::analysis
