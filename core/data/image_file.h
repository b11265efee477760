#pragma once
// Decoding one image file (JPEG, PNG, BMP, WebP) into an 8-bit RGB or gray Image.

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/image.h"

namespace can::data {

// True when this build can decode image files (it needs OpenCV).
bool can_decode_image_files();

// Reads a file, checks its bytes (check_image_bytes: signature, structure, PNG CRCs, end
// marker, sizes), decodes it from memory with OpenCV and normalises what it finds: 16-bit
// samples are scaled to 8 bits (v / 257), an alpha channel is dropped, BGR becomes RGB, and
// 2-channel (gray+alpha) becomes gray. Returns 1 or 3 channels, as stored. Throws
// CorruptSampleError naming the file and the problem when it is empty, unreadable, over
// 1 GiB, damaged or not a decodable image; the decoders print nothing for the damage the
// checks catch (image_check.h).
Image read_image_file(const std::string& path);

// What read_image_file does once it holds the file's bytes: checks, decodes and normalises
// them, naming `path` in its errors. (The fuzz target fuzz/fuzz_image_file.cpp calls it.)
Image decode_image_bytes(std::vector<uint8_t> bytes, const std::string& path);

}  // namespace can::data
