// A face detection in relative image coordinates (0..1 of the image width/height), as MediaPipe's
// Detection proto with a RELATIVE_BOUNDING_BOX location.
#pragma once

#include <vector>

namespace face {

struct Keypoint {
  float x = 0, y = 0;
};

struct Detection {
  float score = 0;
  float xmin = 0, ymin = 0, width = 0, height = 0;
  // For the face model: right eye, left eye, nose tip, mouth centre, right ear tragion, left ear
  // tragion (the subject's right/left, so the "right eye" appears on the image's left).
  std::vector<Keypoint> keypoints;

  float xmax() const { return xmin + width; }
  float ymax() const { return ymin + height; }
};

}  // namespace face
