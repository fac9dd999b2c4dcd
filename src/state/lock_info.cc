#include "state/lock_info.h"

#include <pwd.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <ctime>
#include <random>

namespace state {

std::string now_iso8601() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string random_hex(int bytes) {
  static const char kHex[] = "0123456789abcdef";
  // A fresh random_device per call: no shared state between threads.
  std::random_device rd;
  std::string out;
  out.reserve(static_cast<size_t>(bytes) * 2);
  for (int i = 0; i < bytes; ++i) {
    unsigned b = rd() & 0xffu;
    out += kHex[b >> 4];
    out += kHex[b & 0xfu];
  }
  return out;
}

std::string new_lineage() {
  std::string h = random_hex(16);
  h[12] = '4';                                      // version 4
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) & 3];  // RFC 4122 variant
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20);
}

namespace {
std::string host_name() {
  char buf[HOST_NAME_MAX + 1] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "unknown";
  return buf;
}

std::string user_name() {
  // getpwuid_r, not getenv("USER"): sudo and CI runners often leave USER stale or unset.
  struct passwd pw{};
  struct passwd* found = nullptr;
  char buf[4096];
  if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &found) == 0 && found && found->pw_name)
    return found->pw_name;
  if (const char* u = std::getenv("USER"); u && *u) return u;
  return "uid" + std::to_string(geteuid());
}
}  // namespace

LockInfo new_lock_info(const std::string& operation) {
  LockInfo l;
  l.id = random_hex(16);
  l.host = host_name();
  l.holder = user_name() + "@" + l.host;
  l.pid = static_cast<long long>(getpid());
  l.operation = operation;
  l.since = now_iso8601();
  return l;
}

}  // namespace state
