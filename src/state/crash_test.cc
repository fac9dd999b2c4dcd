// A writer SIGKILLed in the middle of committing leaves a sound state: integrity_check is
// ok, and the serial matches the resources that were committed.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>

#include <gtest/gtest.h>

#include "state/test_util.h"

namespace {

using namespace state_test;

TEST(Crash, KilledWriterLeavesConsistentState) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string path = tmp.file("stack.drstate");
  { ASSERT_TRUE(open_ok(path)); }

  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    auto s = state::open_sqlite(path, kMigrations);
    if (!s.ok()) _exit(2);
    const std::string payload(2000, 'p');  // several pages per commit
    for (int i = 0; i < 1000000; ++i) {
      state::ResourceRecord r;
      r.address = "r." + std::to_string(i);
      r.type = "s3.bucket";
      r.desired = {{"i", i}, {"payload", payload}};
      if (!(*s)->put_resource(r).ok()) _exit(3);
      if (write(fds[1], &i, sizeof i) != sizeof i) _exit(4);
    }
    _exit(0);
  }
  close(fds[1]);
  // Let it commit a few hundred, then kill it wherever it is.
  int last = -1;
  while (last < 300) {
    int i = 0;
    ASSERT_EQ(read(fds[0], &i, sizeof i), (ssize_t)sizeof i) << "writer died early";
    last = i;
  }
  usleep(static_cast<useconds_t>(std::random_device{}() % 3000));  // vary where it dies
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  for (int i = 0; read(fds[0], &i, sizeof i) == (ssize_t)sizeof i;) last = i;  // drain to EOF
  close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status));

  EXPECT_EQ(query_one(path, "PRAGMA integrity_check"), "ok");
  auto s = open_ok(path);
  ASSERT_TRUE(s);
  auto m = s->meta();
  ASSERT_TRUE(m.ok());
  auto all = s->resources();  // every row's JSON still parses
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(m->serial, static_cast<long long>(all->size()));
  // Puts 0..last were reported committed; one more may have committed before its report.
  EXPECT_GE(m->serial, last + 1);
  EXPECT_LE(m->serial, last + 2);
  ASSERT_TRUE(s->put_resource(named("after")).ok());
  EXPECT_EQ(s->meta()->serial, m->serial + 1);
}

}  // namespace
