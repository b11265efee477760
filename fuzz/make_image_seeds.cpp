// Writes the JPEG and WebP seeds of fuzz/corpus/image_file/ with OpenCV's encoders (run once;
// make_corpus.py writes the others). Not part of the build:
//   g++ fuzz/make_image_seeds.cpp -o /tmp/make_image_seeds $(pkg-config --cflags --libs opencv4)
//   /tmp/make_image_seeds fuzz/corpus/image_file
#include <opencv2/imgcodecs.hpp>
#include <opencv2/core.hpp>
int main(int, char** argv) {
  std::string d = argv[1];
  cv::Mat rgb(8, 8, CV_8UC3), gray(8, 16, CV_8UC1);
  for (int y = 0; y < 8; ++y) for (int x = 0; x < 8; ++x) rgb.at<cv::Vec3b>(y, x) = cv::Vec3b(x * 30, y * 30, (x + y) * 15);
  for (int y = 0; y < 8; ++y) for (int x = 0; x < 16; ++x) gray.at<uchar>(y, x) = x * 16 + y;
  cv::imwrite(d + "/seed-rgb-8x8.jpg", rgb, {cv::IMWRITE_JPEG_QUALITY, 80});
  cv::imwrite(d + "/seed-gray-16x8-progressive.jpg", gray, {cv::IMWRITE_JPEG_QUALITY, 80, cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  cv::imwrite(d + "/seed-rgb-8x8-lossy.webp", rgb, {cv::IMWRITE_WEBP_QUALITY, 80});
  cv::imwrite(d + "/seed-rgb-8x8-lossless.webp", rgb, {cv::IMWRITE_WEBP_QUALITY, 101});
}
