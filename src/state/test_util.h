// Shared helpers for drctl_state_test: a temporary directory and raw SQLite look-ups that
// check the file independently of the Store under test.
#pragma once

#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "state/store.h"

namespace state_test {

inline const std::string kMigrations = std::string(DRCTL_SOURCE_DIR) + "/state";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "drctl-state-XXXXXX").string();
    char* p = mkdtemp(tmpl.data());
    if (p) path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline int mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

// First column of the first row, as text; "<error: ...>" or "<no row>" otherwise.
inline std::string query_one(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    out = std::string("<error: ") + sqlite3_errmsg(db) + ">";
    sqlite3_close(db);
    return out;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    out = std::string("<error: ") + sqlite3_errmsg(db) + ">";
  } else {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(st, 0);
      out = t ? reinterpret_cast<const char*>(t) : "<null>";
    } else if (rc == SQLITE_DONE) {
      out = "<no row>";
    } else {
      out = std::string("<error: ") + sqlite3_errmsg(db) + ">";
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

inline state::ResourceRecord named(const std::string& address) {
  state::ResourceRecord r;
  r.address = address;
  r.type = "s3.bucket";
  return r;
}

inline std::unique_ptr<state::Store> open_ok(const std::string& path,
                                             const std::string& migrations = kMigrations) {
  auto r = state::open_sqlite(path, migrations);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return nullptr;
  return std::move(*r);
}

}  // namespace state_test
