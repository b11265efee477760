#pragma once
// Writing a file so that readers see either the old content or the new, never a torn one.

#include <cstddef>
#include <string>

namespace can::io {

// Writes size bytes to a temporary file beside path, flushes it to disk (fsync), then
// renames it over path (atomic on POSIX within one file system). On any failure the
// temporary file is removed, path is untouched, and std::runtime_error("<path>: ...") is
// thrown.
void write_file_atomic(const std::string& path, const void* data, size_t size);
void write_file_atomic(const std::string& path, const std::string& text);

}  // namespace can::io
