// Crash points: deliberate SIGKILLs at named places, so tests can prove that a run killed
// anywhere converges when re-run. Inert unless DRCTL_TEST_KILL_AT is set to "NAME" or
// "NAME:N" (die the N-th time point NAME is reached; N defaults to 1). Points:
//   after-intent   journal intent committed, AWS call not made          (apply/executor.cc)
//   after-call     AWS call made, outcome not journaled                  (apply/executor.cc)
//   after-outcome  outcome journaled, state not written                  (apply/executor.cc)
//   after-record   state written                                         (apply/executor.cc)
//   in-call        a mutating AWS request was sent and its HTTP answer received, but not
//                  parsed: the call took effect and the caller never learns it (aws/client.cc)
//   in-commit      inside a state or journal write transaction, before COMMIT: the write is
//                  lost and SQLite must roll it back on the next open      (state/sqlite_*.cc)
//
// Header-only on purpose: the aws and state layers sit below apply and do not link it, yet
// call these points. An inline function's static locals are one object per program, so the
// counter is shared by every layer and thread.
#pragma once

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>

namespace apply {

// Dies (SIGKILL) when `point` is the configured point and this is its N-th arrival.
inline void crash_point(const char* point) {
  static const char* spec = std::getenv("DRCTL_TEST_KILL_AT");
  if (!spec || !*spec) return;
  static std::mutex mu;
  static int seen = 0;
  const char* colon = std::strchr(spec, ':');
  const std::string_view name = colon ? std::string_view(spec, colon - spec) : std::string_view(spec);
  const int nth = colon ? std::atoi(colon + 1) : 1;
  if (name != point) return;
  std::lock_guard lock(mu);
  if (++seen == nth) std::raise(SIGKILL);
}

// True for an AWS operation that changes something: everything except the read-only verb
// families (Describe*, Get*, List*, Head*, ...). Used to count only mutating requests.
inline bool is_mutating_operation(std::string_view operation) {
  static constexpr std::string_view kReadOnly[] = {"Describe", "Get", "List", "Head", "Lookup",
                                                   "Search", "Check", "Test", "AssumeRole"};
  for (std::string_view prefix : kReadOnly)
    if (operation.substr(0, prefix.size()) == prefix) return false;
  return true;
}

// The in-call point, reached once per HTTP attempt: counts mutating requests only.
inline void crash_point_in_call(std::string_view operation) {
  if (is_mutating_operation(operation)) crash_point("in-call");
}

}  // namespace apply
