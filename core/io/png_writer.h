#pragma once
// A minimal PNG writer (8-bit gray or RGB, no interlace, filter 0): the engine reads
// images through OpenCV when it has it, but the headless tools must write their figures
// (can-analyze) on builds without OpenCV too, and zlib is already linked. Written through
// io/atomic_file, so a reader never sees half a file.

#include <string>

#include "core/data/image.h"

namespace can::io {

// Encodes img (c = 1 or 3) as PNG bytes. Throws std::invalid_argument for another layout.
std::string encode_png(const data::Image& img);
// Writes encode_png(img) to path; throws std::runtime_error naming the path on failure.
void write_png(const std::string& path, const data::Image& img);

}  // namespace can::io
