#pragma once
// Whole-file reads through zlib's gz* functions, which read gzip and plain files alike.

#include <cstdint>
#include <string>
#include <vector>

namespace can::data {

// Returns the (decompressed) bytes of a file. Throws DataError naming the file when it is
// missing, unreadable or a damaged gzip stream.
std::vector<uint8_t> read_file_bytes(const std::string& path);

// The first of `path` and `path + ".gz"` that exists, or "" when neither does.
std::string find_plain_or_gz(const std::string& path);

}  // namespace can::data
