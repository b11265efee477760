#pragma once
// Reading plain and gzip files through zlib's gz* functions, which read both alike.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct gzFile_s;

namespace can::data {

// A plain or gzip file read front to back. Every error is a DataError naming the file.
class ByteReader {
 public:
  // Throws when the file is missing or cannot be opened.
  explicit ByteReader(const std::string& path);
  ~ByteReader();
  ByteReader(const ByteReader&) = delete;
  ByteReader& operator=(const ByteReader&) = delete;

  // Appends up to n (decompressed) bytes to out and returns how many it appended: fewer
  // than n only at the end of the data. Throws for damaged or truncated gzip data. Memory
  // grows with the bytes actually read, never with n.
  size_t read(std::vector<uint8_t>& out, size_t n);
  // Reads on, keeping nothing, and returns the bytes left: limit + 1 when there are more
  // than limit (so a gzip bomb is not decompressed whole to be measured).
  uint64_t count_rest(uint64_t limit);
  const std::string& path() const { return path_; }

 private:
  int read_some(uint8_t* dst, unsigned n);  // one gzread; 0 at the end (after checking the stream)

  std::string path_;
  gzFile_s* f_ = nullptr;
};

// Returns the (decompressed) bytes of a file. Throws DataError naming the file when it is
// missing, unreadable or a damaged gzip stream.
std::vector<uint8_t> read_file_bytes(const std::string& path);

// The first of `path` and `path + ".gz"` that exists, or "" when neither does.
std::string find_plain_or_gz(const std::string& path);

}  // namespace can::data
