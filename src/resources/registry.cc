#include "resources/types.h"

namespace resources {

std::vector<const ResourceType*> all_types() {
  return {&s3_bucket_type(),    &s3_replication_type(), &iam_role_type(),
          &backup_vault_type(), &backup_plan_type(),    &backup_selection_type()};
}

const ResourceType* find_type(std::string_view name) {
  for (const auto* t : all_types())
    if (t->name() == name) return t;
  return nullptr;
}

}  // namespace resources
