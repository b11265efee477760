#include "core/data/image_file.h"

#include <cstring>
#include <filesystem>

#include "core/data/data_error.h"

#if CAN_WITH_OPENCV
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace can::data {

bool can_decode_image_files() {
#if CAN_WITH_OPENCV
  return true;
#else
  return false;
#endif
}

Image read_image_file(const std::string& path) {
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  if (ec) throw CorruptSampleError(path, "cannot be read (" + ec.message() + ")");
  if (bytes == 0) throw CorruptSampleError(path, "is a zero-byte file");
#if CAN_WITH_OPENCV
  cv::Mat m;
  try {
    m = cv::imread(path, cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
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
