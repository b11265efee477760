#pragma once
// Damage for the checkpoint tests, done the way the issue found it: bytes changed inside a
// torch archive's pickle with the zip's CRC-32 rewritten, so only a checksum of the whole
// file can tell; and manifests rewritten to match changed files (a file "written by
// someone else"), with Qt's SHA-256, not the engine's.

#include <zlib.h>

#include <QtCore/QCryptographicHash>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>

namespace can::test {

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << bytes;
}

inline uint32_t le32(const std::string& b, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(b.at(at + i));
  return v;
}
inline uint16_t le16(const std::string& b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b.at(at)) | static_cast<uint8_t>(b.at(at + 1)) << 8);
}
inline void put_le32(std::string& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.at(at + i) = static_cast<char>(v >> (8 * i));
}

// Changes the data of the zip entry whose name ends with `suffix` (torch archives store
// entries uncompressed) through `mutate` (same length), then writes the new CRC-32 into the
// central directory, the local header when it holds one, and the data descriptor. The
// archive stays a valid zip. Returns the offset of the entry's data in the file.
inline size_t patch_zip_entry(const std::string& path, const std::string& suffix,
                              const std::function<void(std::string& data)>& mutate) {
  std::string b = read_file(path);
  // The central directory: from the zip64 end record when there is one, else the classic.
  uint64_t cd = 0;
  const size_t z64 = b.rfind(std::string("PK\x06\x06", 4));
  if (z64 != std::string::npos) {
    for (int i = 7; i >= 0; --i) cd = cd << 8 | static_cast<uint8_t>(b.at(z64 + 48 + i));
  } else {
    const size_t eocd = b.rfind(std::string("PK\x05\x06", 4));
    if (eocd == std::string::npos) throw std::runtime_error(path + ": not a zip");
    cd = le32(b, eocd + 16);
  }
  for (size_t p = cd; b.compare(p, 4, std::string("PK\x01\x02", 4)) == 0;) {
    const uint32_t size = le32(b, p + 24);
    const uint16_t name_len = le16(b, p + 28), extra_len = le16(b, p + 30), comment_len = le16(b, p + 32);
    const uint32_t local = le32(b, p + 42);
    const std::string name = b.substr(p + 46, name_len);
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      if (le16(b, p + 10) != 0) throw std::runtime_error(path + ": entry is compressed");
      const size_t data = local + 30 + le16(b, local + 26) + le16(b, local + 28);
      std::string bytes = b.substr(data, size);
      mutate(bytes);
      if (bytes.size() != size) throw std::runtime_error("patch_zip_entry: the length changed");
      b.replace(data, size, bytes);
      const uint32_t crc = static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), size));
      put_le32(b, p + 16, crc);
      if (le32(b, local + 14) != 0) put_le32(b, local + 14, crc);
      if (le16(b, local + 6) & 0x8) {  // data descriptor after the data, optionally signed
        const size_t dd = data + size;
        put_le32(b, b.compare(dd, 4, std::string("PK\x07\x08", 4)) == 0 ? dd + 4 : dd, crc);
      }
      write_file(path, b);
      return data;
    }
    p += 46 + name_len + extra_len + comment_len;
  }
  throw std::runtime_error(path + ": no entry ending in " + suffix);
}

// The offset, inside a torch pickle, of the storage-offset byte of the first tensor after
// the first `after` at or past `from`: a tensor is rebuilt from (persistent storage id,
// offset, sizes, strides, ...), written as BINPERSID 'Q', BINPUT 'q' n, BININT1 'K' offset.
inline size_t storage_offset_byte(const std::string& pickle, const std::string& after, size_t from = 0) {
  size_t at = pickle.find(after, from);
  if (at == std::string::npos) throw std::runtime_error("pickle: no " + after);
  for (; at + 5 <= pickle.size(); ++at)
    if (pickle[at] == 'Q' && pickle[at + 1] == 'q' && pickle[at + 3] == 'K') return at + 4;
  throw std::runtime_error("pickle: no tensor after " + after);
}

// The damage: two bytes of an archive's pickle changed, the CRC-32 rewritten. The
// storage offsets of the first tensor after `first` and of the next after `second` are
// set to `offset` elements: views past the end of their storages.
inline void shift_storage_offsets(const std::string& archive, const std::string& first, const std::string& second,
                                  uint8_t offset) {
  patch_zip_entry(archive, "data.pkl", [&](std::string& pkl) {
    const size_t a = storage_offset_byte(pkl, first);
    const size_t b = storage_offset_byte(pkl, second, a + 1);
    pkl[a] = static_cast<char>(offset);
    pkl[b] = static_cast<char>(offset);
  });
}

// manifest.json of a checkpoint directory rewritten to match its files as they are now.
inline void rewrite_manifest(const std::string& dir) {
  nlohmann::json m = nlohmann::json::parse(read_file(dir + "/manifest.json"));
  for (auto& f : m["files"]) {
    const std::string bytes = read_file(dir + "/" + f["name"].get<std::string>());
    f["size"] = bytes.size();
    f["sha256"] = QCryptographicHash::hash(QByteArray::fromStdString(bytes), QCryptographicHash::Sha256).toHex().toStdString();
  }
  write_file(dir + "/manifest.json", m.dump(2));
}

}  // namespace can::test
