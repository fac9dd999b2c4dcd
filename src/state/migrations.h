// Schema migrations for the state store: numbered files NNNN_name.sql (four digits, then
// '_', then [A-Za-z0-9_-]+) in the top-level state/ folder, applied in number order.
//
// Each pending migration runs in its own BEGIN IMMEDIATE transaction together with its row
// in schema_migrations(version, name, applied_at), so a crash leaves it wholly applied or
// not at all, and two processes opening the same new file apply it once. A migration file
// must not contain BEGIN/COMMIT itself. Other files in the folder are ignored.
//
// Refused, with a StateError and nothing changed:
// - the state has a migration this binary does not have (written by a newer drctl);
// - a migration numbered below one already applied is missing from the state (it was
//   added out of order);
// - two files share a number, or the folder cannot be read.
#pragma once

#include <string>
#include <vector>

#include "state/sqlite_db.h"

namespace state {

struct Migration {
  int version = 0;
  std::string name;  // file name, "0001_initial.sql"
  std::string path;
};

// The migrations in `dir`, sorted by version.
Result<std::vector<Migration>> list_migrations(const std::string& dir);

// Applies what the state lacks; returns the highest version applied afterwards.
Result<int> migrate(Db& db, const std::string& dir);

}  // namespace state
