#include "apply/crash_point.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

namespace apply {

void crash_point(const char* point) {
  static const char* spec = std::getenv("DRCTL_TEST_KILL_AT");
  if (!spec || !*spec) return;
  static std::mutex mu;
  static int seen = 0;
  const char* colon = std::strchr(spec, ':');
  const std::string name = colon ? std::string(spec, colon) : std::string(spec);
  const int nth = colon ? std::atoi(colon + 1) : 1;
  if (name != point) return;
  std::lock_guard lock(mu);
  if (++seen == nth) std::raise(SIGKILL);
}

}  // namespace apply
