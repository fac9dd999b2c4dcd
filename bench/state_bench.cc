// state_bench: writes N resource records to a fresh SQLite state the way apply does (one
// put_resource, hence one transaction, per resource), reopens the file and reads them all back
// the way plan does. Prints one JSON line: {"resources", "write_s", "read_s", "file_bytes"}.
//
//   state_bench PATH MIGRATIONS_DIR [N=10000]
//
// Records carry attributes shaped like an autoscaling.capacity / health check (desired,
// last_applied and live, ~0.5 KB each), so the file size is what a real stack of N would need.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "state/store.h"

namespace {

nlohmann::json attrs(int i) {
  const std::string w = "w" + std::to_string(i);
  return {{"caller_reference", "drctl-0123456789abcdef0123456789abcdef"},
          {"type", "HTTPS"},
          {"fqdn", w + "-primary.bench.example.net"},
          {"port", 443},
          {"path", "/health"},
          {"request_interval", 30},
          {"failure_threshold", 3},
          {"tags",
           {{"drctl:stack", "bench"},
            {"drctl:address", "route53.health_check." + w + "-primary"},
            {"Name", "drctl-bench-" + w + "-primary"}}}};
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::uintmax_t size_or_zero(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: state_bench PATH MIGRATIONS_DIR [N]\n");
    return 1;
  }
  const std::string path = argv[1], migrations = argv[2];
  const int n = argc > 3 ? std::stoi(argv[3]) : 10000;
  std::filesystem::remove(path);

  auto t = std::chrono::steady_clock::now();
  {
    auto store = state::open_sqlite(path, migrations);
    if (!store.ok()) {
      std::fprintf(stderr, "open: %s\n", store.error().message.c_str());
      return 1;
    }
    for (int i = 0; i < n; ++i) {
      state::ResourceRecord r;
      r.address = "route53.health_check.w" + std::to_string(i) + "-primary";
      r.type = "route53.health_check";
      r.region = "us-east-1";
      r.cloud_id = "hc-" + std::to_string(i);
      r.desired = attrs(i);
      r.last_applied = r.desired;
      r.live = r.desired;
      r.live["id"] = r.cloud_id;
      r.live["version"] = 1;
      r.read_at = state::now_iso8601();
      r.workload = "w" + std::to_string(i);
      if (auto put = store.value()->put_resource(r); !put.ok()) {
        std::fprintf(stderr, "put: %s\n", put.error().message.c_str());
        return 1;
      }
    }
  }  // closing checkpoints the WAL into the main file
  const double write_s = seconds_since(t);

  t = std::chrono::steady_clock::now();
  size_t read = 0;
  {
    auto store = state::open_sqlite(path, migrations);
    if (!store.ok()) return 1;
    auto all = store.value()->resources();
    if (!all.ok()) {
      std::fprintf(stderr, "read: %s\n", all.error().message.c_str());
      return 1;
    }
    read = all.value().size();
  }
  const double read_s = seconds_since(t);
  std::printf("{\"resources\": %zu, \"write_s\": %.3f, \"read_s\": %.3f, \"file_bytes\": %ju}\n",
              read, write_s, read_s, size_or_zero(path) + size_or_zero(path + "-wal"));
  return read == static_cast<size_t>(n) ? 0 : 1;
}
