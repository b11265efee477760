#pragma once
// The class names of the standard labelled datasets, in label order (label i is name i), as
// each dataset's own distribution defines them. Reports and the studio show these instead of
// bare label numbers.

#include <string>
#include <vector>

namespace can::data {

// Fashion-MNIST (Xiao et al. 2017): "T-shirt/top", "Trouser", ... "Ankle boot".
const std::vector<std::string>& fashion_mnist_class_names();
// MNIST: the digits "0" to "9".
const std::vector<std::string>& mnist_class_names();
// CIFAR-10 (batches.meta.txt): "airplane", "automobile", ... "truck".
const std::vector<std::string>& cifar10_class_names();
// CIFAR-100's 100 fine labels (fine_label_names.txt, alphabetical): "apple", ... "worm".
const std::vector<std::string>& cifar100_class_names();

// The first num_classes names of `names` when they cover that many classes, else none: a
// file that holds fewer classes (a subset) keeps its names, one with more gets no names
// rather than wrong ones.
std::vector<std::string> names_for(const std::vector<std::string>& names, int64_t num_classes);

}  // namespace can::data
