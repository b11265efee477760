#include "core/data/image_file.h"

#include <cstring>
#include <fstream>

#include "core/data/data_error.h"
#include "core/data/image_check.h"

#if CAN_WITH_OPENCV
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace can::data {

namespace {

// Larger files are refused before they are read: no image a run can use is this large.
constexpr uint64_t kMaxImageFileBytes = uint64_t{1} << 30;

std::vector<uint8_t> read_whole_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) throw CorruptSampleError(path, "cannot be opened for reading");
  const std::streamoff size = f.tellg();
  if (size < 0) throw CorruptSampleError(path, "cannot be read (its size is unknown)");
  if (size == 0) throw CorruptSampleError(path, "is a zero-byte file");
  if (static_cast<uint64_t>(size) > kMaxImageFileBytes)
    throw CorruptSampleError(path, "is " + std::to_string(size) + " bytes, larger than the " +
                                       std::to_string(kMaxImageFileBytes) + "-byte limit for an image file");
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  f.seekg(0);
  if (!f.read(reinterpret_cast<char*>(bytes.data()), size))
    throw CorruptSampleError(path, "cannot be read (it shrank while being read?)");
  return bytes;
}

}  // namespace

bool can_decode_image_files() {
#if CAN_WITH_OPENCV
  return true;
#else
  return false;
#endif
}

Image read_image_file(const std::string& path) {
#if CAN_WITH_OPENCV
  return decode_image_bytes(read_whole_file(path), path);
#else
  throw DataError(path, "this build has no OpenCV, so image files cannot be decoded (rebuild with CAN_WITH_OPENCV=ON)");
#endif
}

Image decode_image_bytes(std::vector<uint8_t> bytes, const std::string& path) {
#if CAN_WITH_OPENCV
  // The bytes are checked here, and decoded from memory: a damaged file is refused in our
  // words before libpng/libjpeg/OpenCV can print theirs (image_check.h).
  if (bytes.empty()) throw CorruptSampleError(path, "is a zero-byte file");
  const ImageBytesCheck check = check_image_bytes(bytes.data(), bytes.size());
  if (!check.problem.empty()) throw CorruptSampleError(path, check.problem);
  if (check.format == ImageFormat::Png) {
    std::vector<uint8_t> critical = png_without_ancillary_chunks(bytes.data(), bytes.size());
    if (!critical.empty()) bytes.swap(critical);
  }
  cv::Mat m;
  try {
    const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, bytes.data());
    m = cv::imdecode(encoded, cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
  } catch (const cv::Exception& e) {
    throw CorruptSampleError(path, std::string("cannot be decoded: ") + e.what());
  }
  if (m.empty() || m.dims != 2) throw CorruptSampleError(path, "is not a decodable image (corrupt or unsupported format)");
  if (m.depth() == CV_16U) {
    m.convertTo(m, CV_8U, 1.0 / 257.0);  // 65535 -> 255 exactly
  } else if (m.depth() != CV_8U) {
    cv::Mat scaled;
    double lo = 0, hi = 0;
    cv::minMaxLoc(m.reshape(1), &lo, &hi);
    m.convertTo(scaled, CV_8U, hi > lo ? 255.0 / (hi - lo) : 1.0, hi > lo ? -lo * 255.0 / (hi - lo) : 0.0);
    m = scaled;
  }
  switch (m.channels()) {
    case 1: break;
    case 2: cv::extractChannel(m, m, 0); break;  // gray + alpha: keep the gray plane
    case 3: break;
    case 4: cv::cvtColor(m, m, cv::COLOR_BGRA2BGR); break;
    default: throw CorruptSampleError(path, "has " + std::to_string(m.channels()) + " channels (expected 1 to 4)");
  }
  if (!m.isContinuous()) m = m.clone();
  Image img(m.rows, m.cols, m.channels());
  std::memcpy(img.pixels.data(), m.data, img.pixels.size());
  bgr_to_rgb(img);
  return img;
#else
  throw DataError(path, "this build has no OpenCV, so image files cannot be decoded (rebuild with CAN_WITH_OPENCV=ON)");
#endif
}

}  // namespace can::data
