#include "core/data/file_bytes.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>

#include "core/data/data_error.h"

namespace can::data {

namespace {
constexpr unsigned kReadChunk = 1u << 20;
}  // namespace

ByteReader::ByteReader(const std::string& path) : path_(path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw DataError(path, "no such file");
  f_ = gzopen(path.c_str(), "rb");
  if (!f_) throw DataError(path, "cannot be opened for reading");
  gzbuffer(f_, 1 << 17);
}

ByteReader::~ByteReader() {
  if (f_) gzclose(f_);
}

int ByteReader::read_some(uint8_t* dst, unsigned n) {
  const int got = gzread(f_, dst, n);
  if (got < 0) {
    int err = 0;
    const char* msg = gzerror(f_, &err);
    throw DataError(path_, std::string("read failed (damaged gzip data?): ") + (msg ? msg : "unknown zlib error"));
  }
  if (got == 0) {
    // gzread reports a gzip stream cut short only through gzerror, not its return value.
    int err = 0;
    gzerror(f_, &err);
    if (err == Z_BUF_ERROR) throw DataError(path_, "truncated gzip data (unexpected end of file)");
    if (err != Z_OK) throw DataError(path_, "damaged gzip data");
  }
  return got;
}

size_t ByteReader::read(std::vector<uint8_t>& out, size_t n) {
  size_t done = 0;
  while (done < n) {
    const auto want = static_cast<unsigned>(std::min<size_t>(n - done, kReadChunk));
    const size_t at = out.size();
    out.resize(at + want);
    const int got = read_some(out.data() + at, want);
    out.resize(at + static_cast<size_t>(got));
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

uint64_t ByteReader::count_rest(uint64_t limit) {
  std::vector<uint8_t> chunk(kReadChunk);
  uint64_t total = 0;
  while (total <= limit) {
    const int got = read_some(chunk.data(), kReadChunk);
    if (got == 0) break;
    total += static_cast<uint64_t>(got);
  }
  return std::min(total, limit + 1);
}

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  ByteReader reader(path);
  std::vector<uint8_t> bytes;
  while (reader.read(bytes, kReadChunk) == kReadChunk) {
  }
  return bytes;
}

std::string find_plain_or_gz(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) return path;
  if (std::filesystem::is_regular_file(path + ".gz", ec)) return path + ".gz";
  return {};
}

}  // namespace can::data
