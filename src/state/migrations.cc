#include "state/migrations.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "state/lock_info.h"

namespace state {

namespace fs = std::filesystem;

namespace {

std::string pad4(int v) {
  std::string s = std::to_string(v);
  return std::string(s.size() < 4 ? 4 - s.size() : 0, '0') + s;
}

Result<std::string> read_file(const Migration& m) {
  std::ifstream in(m.path, std::ios::binary);
  if (!in) return model::err(StateError{"cannot read migration " + m.path});
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return model::err(StateError{"cannot read migration " + m.path});
  return ss.str();
}

Result<std::set<int>> applied_versions(Db& db) {
  auto st = db.prepare("SELECT version FROM schema_migrations", "reading schema_migrations");
  if (!st) return model::err(st.error());
  std::set<int> out;
  for (;;) {
    auto row = st->step();
    if (!row) return model::err(row.error());
    if (!*row) break;
    out.insert(static_cast<int>(st->int64(0)));
  }
  return out;
}

// Refuses a state this binary cannot safely use; see the header.
Result<model::Unit> check_compatible(const std::set<int>& applied,
                                     const std::vector<Migration>& known, const Db& db) {
  std::set<int> known_versions;
  for (const auto& m : known) known_versions.insert(m.version);
  const int newest_known = known.empty() ? 0 : known.back().version;
  for (int v : applied) {
    if (!known_versions.count(v)) {
      return model::err(StateError{
          "state file " + db.path() + " was written by a newer drctl: it has schema migration " +
          pad4(v) + ", which this binary does not know (it knows up to " + pad4(newest_known) +
          "); upgrade drctl to use this state"});
    }
  }
  const int newest_applied = applied.empty() ? 0 : *applied.rbegin();
  for (const auto& m : known) {
    if (m.version < newest_applied && !applied.count(m.version)) {
      return model::err(StateError{"state file " + db.path() + " lacks schema migration " +
                                   m.name + " although the later " + pad4(newest_applied) +
                                   " is applied; migrations must be added in order"});
    }
  }
  return model::ok();
}

}  // namespace

Result<std::vector<Migration>> list_migrations(const std::string& dir) {
  static const std::regex kName(R"(^([0-9]{4})_[A-Za-z0-9_-]+\.sql$)");
  std::vector<Migration> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return model::err(StateError{"cannot list migrations in " + dir + ": " + ec.message()});
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    std::smatch m;
    if (!std::regex_match(name, m, kName)) continue;
    if (!entry.is_regular_file(ec)) continue;
    out.push_back({std::stoi(m[1].str()), name, entry.path().string()});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version)
      return model::err(StateError{"two migrations share number " + pad4(out[i].version) +
                                   " in " + dir + ": " + out[i - 1].name + ", " + out[i].name});
  }
  if (out.empty()) return model::err(StateError{"no migrations (NNNN_name.sql) in " + dir});
  return out;
}

Result<int> migrate(Db& db, const std::string& dir) {
  auto known = list_migrations(dir);
  if (!known) return model::err(known.error());

  STATE_TRY(db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY NOT NULL,"
                    " name TEXT NOT NULL,"
                    " applied_at TEXT NOT NULL)",
                    "creating schema_migrations"));

  {
    // Checked before any change, so a too-new state is refused untouched.
    auto applied = applied_versions(db);
    if (!applied) return model::err(applied.error());
    STATE_TRY(check_compatible(*applied, *known, db));
  }

  for (const auto& m : *known) {
    auto tx = Tx::begin(db, "applying migration " + m.name);
    if (!tx) return model::err(tx.error());
    // Re-read under the write lock: another process may have applied it meanwhile.
    auto applied = applied_versions(db);
    if (!applied) return model::err(applied.error());
    if (applied->count(m.version)) continue;  // Tx rolls back an empty transaction
    STATE_TRY(check_compatible(*applied, *known, db));
    auto sql = read_file(m);
    if (!sql) return model::err(sql.error());
    STATE_TRY(db.exec(*sql, "applying migration " + m.name));
    auto ins = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) "
                          "VALUES (?, ?, ?)",
                          "recording migration " + m.name);
    if (!ins) return model::err(ins.error());
    ins->bind(m.version).bind(m.name).bind(now_iso8601());
    STATE_TRY(ins->run());
    STATE_TRY(tx->commit());
  }
  return known->back().version;
}

}  // namespace state
