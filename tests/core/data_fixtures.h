#pragma once
// Small dataset files written by the data tests themselves.

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace can_test {

inline void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline void write_gzip(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}

inline void put_be32(std::vector<uint8_t>& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
}

// IDX image file: magic 0x803, n, h, w, then pixel(i, y, x) = (i * 31 + y * 7 + x * 3) % 256.
inline std::vector<uint8_t> idx_images(uint32_t n, uint32_t h, uint32_t w) {
  std::vector<uint8_t> b;
  put_be32(b, 0x803);
  put_be32(b, n);
  put_be32(b, h);
  put_be32(b, w);
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t y = 0; y < h; ++y)
      for (uint32_t x = 0; x < w; ++x) b.push_back(static_cast<uint8_t>((i * 31 + y * 7 + x * 3) % 256));
  return b;
}

// IDX label file: magic 0x801, n, then label(i) = i % 10.
inline std::vector<uint8_t> idx_labels(uint32_t n) {
  std::vector<uint8_t> b;
  put_be32(b, 0x801);
  put_be32(b, n);
  for (uint32_t i = 0; i < n; ++i) b.push_back(static_cast<uint8_t>(i % 10));
  return b;
}

// Writes a train split (train-*) of n images h x w into dir, raw or gzip.
inline void write_idx_split(const std::string& dir, const std::string& prefix, uint32_t n, uint32_t h, uint32_t w, bool gz) {
  auto write = gz ? write_gzip : write_bytes;
  const std::string ext = gz ? ".gz" : "";
  write(dir + "/" + prefix + "-images-idx3-ubyte" + ext, idx_images(n, h, w));
  write(dir + "/" + prefix + "-labels-idx1-ubyte" + ext, idx_labels(n));
}

// CIFAR pixel value of image i, channel ch, row y, column x.
inline uint8_t cifar_pixel(int i, int ch, int y, int x) { return static_cast<uint8_t>((i * 13 + ch * 101 + y * 5 + x) % 256); }

// n CIFAR records; label bytes first (CIFAR-100: coarse = label / 5, fine = label).
inline std::vector<uint8_t> cifar_records(int n, int num_classes, int first = 0) {
  std::vector<uint8_t> b;
  for (int i = first; i < first + n; ++i) {
    const int label = (i * 7) % num_classes;
    if (num_classes == 100) b.push_back(static_cast<uint8_t>(label / 5));
    b.push_back(static_cast<uint8_t>(label));
    for (int ch = 0; ch < 3; ++ch)
      for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x) b.push_back(cifar_pixel(i, ch, y, x));
  }
  return b;
}

// A fresh sub-folder `name` of a test's temporary directory.
inline std::string make_subdir(const std::string& root, const std::string& name) {
  const std::string d = root + "/" + name;
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace can_test
