#include "core/data/file_bytes.h"

#include <zlib.h>

#include <filesystem>
#include <memory>

#include "core/data/data_error.h"

namespace can::data {

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw DataError(path, "no such file");
  std::unique_ptr<gzFile_s, int (*)(gzFile)> f(gzopen(path.c_str(), "rb"), gzclose);
  if (!f) throw DataError(path, "cannot be opened for reading");
  gzbuffer(f.get(), 1 << 17);
  std::vector<uint8_t> bytes;
  std::vector<uint8_t> chunk(1 << 20);
  for (;;) {
    const int n = gzread(f.get(), chunk.data(), static_cast<unsigned>(chunk.size()));
    if (n < 0) {
      int err = 0;
      const char* msg = gzerror(f.get(), &err);
      throw DataError(path, std::string("read failed (damaged gzip data?): ") + (msg ? msg : "unknown zlib error"));
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + n);
  }
  // gzread reports a gzip stream cut short only through gzerror, not its return value.
  int err = 0;
  gzerror(f.get(), &err);
  if (err != Z_OK && err != Z_BUF_ERROR) throw DataError(path, "damaged gzip data");
  if (err == Z_BUF_ERROR) throw DataError(path, "truncated gzip data (unexpected end of file)");
  return bytes;
}

std::string find_plain_or_gz(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) return path;
  if (std::filesystem::is_regular_file(path + ".gz", ec)) return path + ".gz";
  return {};
}

}  // namespace can::data
