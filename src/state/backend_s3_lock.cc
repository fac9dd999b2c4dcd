#include "state/backend_s3_lock.h"

#include "state/backend_s3_calls.h"

namespace state {
namespace {

using s3calls::failed;

BackendError conflict(const std::string& m) { return {BackendError::Kind::conflict, m}; }

BackendError not_ours(const LockInfo& h, const std::string& wanted) {
  return conflict("the lock is held by " + h.holder + " ('" + h.operation + "' since " + h.since + ") with id " +
                  h.id + ", not " + wanted);
}

BackendError unreadable(const std::string& where) {
  return {BackendError::Kind::failed, "the lock " + where + " holds something that is not a drctl lock"};
}

class S3ObjectLock : public RemoteLock {
 public:
  S3ObjectLock(aws::Client& c, BackendConfig b) : client_(c), config_(std::move(b)), key_(config_.key + ".lock") {}

  BackendResult<std::optional<LockHeld>> try_lock(const LockInfo& me) override {
    // Twice: a lock released between our refused write and our read is worth one more try.
    for (int attempt = 0; attempt < 2; ++attempt) {
      s3calls::PutCondition when;
      when.if_none_match = true;
      auto put = s3calls::put(client_, config_, key_, lock_to_json(me).dump(), when);
      if (put.ok()) return std::optional<LockHeld>{};
      if (!s3calls::lost_condition(put.error())) return model::err(failed(put.error()));
      auto held = info();
      if (!held.ok()) return model::err(held.error());
      if (held.value()) return std::optional<LockHeld>{LockHeld{*held.value()}};
    }
    return model::err(BackendError{BackendError::Kind::failed, "the lock " + where() + " keeps changing hands"});
  }

  BackendResult<model::Unit> unlock(const std::string& lock_id) override {
    auto got = s3calls::get(client_, config_, key_);
    if (!got.ok()) return model::err(failed(got.error()));
    if (!got.value()) return model::err(conflict("the state " + config_.describe() + " is not locked"));
    auto held = lock_from_json(got.value()->body);
    if (!held) return model::err(unreadable(where()));
    if (held->id != lock_id) return model::err(not_ours(*held, lock_id));
    // Deleting the exact version read: a lock written by someone else since is a different
    // version and survives. (Unversioned buckets have version "null"/"", deleting the key.)
    auto gone = s3calls::remove_version(client_, config_, key_, got.value()->version_id);
    if (!gone.ok()) return model::err(failed(gone.error()));
    return model::ok();
  }

  BackendResult<std::optional<LockInfo>> info() override {
    auto got = s3calls::get(client_, config_, key_);
    if (!got.ok()) return model::err(failed(got.error()));
    if (!got.value()) return std::optional<LockInfo>{};
    auto held = lock_from_json(got.value()->body);
    if (!held) return model::err(unreadable(where()));
    return std::optional<LockInfo>{*held};
  }

 private:
  std::string where() const { return "s3://" + config_.bucket + "/" + key_; }
  aws::Client& client_;
  BackendConfig config_;
  std::string key_;
};

class DynamoDbLock : public RemoteLock {
 public:
  DynamoDbLock(aws::Client& c, BackendConfig b) : client_(c), config_(std::move(b)) {}

  BackendResult<std::optional<LockHeld>> try_lock(const LockInfo& me) override {
    for (int attempt = 0; attempt < 2; ++attempt) {
      nlohmann::json req{{"TableName", config_.lock_table},
                         {"Item", {{"LockID", {{"S", lock_id()}}}, {"Info", {{"S", lock_to_json(me).dump()}}}}},
                         {"ConditionExpression", "attribute_not_exists(LockID)"}};
      auto put = client_.json(aws::services::dynamodb, config_.region, "PutItem", req);
      if (put.ok()) return std::optional<LockHeld>{};
      if (put.error().code != "ConditionalCheckFailedException") return model::err(failed(put.error()));
      auto held = info();
      if (!held.ok()) return model::err(held.error());
      if (held.value()) return std::optional<LockHeld>{LockHeld{*held.value()}};
    }
    return model::err(BackendError{BackendError::Kind::failed, "the lock item keeps changing hands"});
  }

  BackendResult<model::Unit> unlock(const std::string& id) override {
    auto raw = item();
    if (!raw.ok()) return model::err(raw.error());
    if (raw.value().empty()) return model::err(conflict("the state " + config_.describe() + " is not locked"));
    auto held = lock_from_json(raw.value());
    if (!held) return model::err(unreadable("item " + lock_id()));
    if (held->id != id) return model::err(not_ours(*held, id));
    nlohmann::json req{{"TableName", config_.lock_table},
                       {"Key", {{"LockID", {{"S", lock_id()}}}}},
                       {"ConditionExpression", "Info = :info"},
                       {"ExpressionAttributeValues", {{":info", {{"S", raw.value()}}}}}};
    auto del = client_.json(aws::services::dynamodb, config_.region, "DeleteItem", req);
    if (!del.ok()) return model::err(failed(del.error()));
    return model::ok();
  }

  BackendResult<std::optional<LockInfo>> info() override {
    auto raw = item();
    if (!raw.ok()) return model::err(raw.error());
    if (raw.value().empty()) return std::optional<LockInfo>{};
    auto held = lock_from_json(raw.value());
    if (!held) return model::err(unreadable("item " + lock_id()));
    return std::optional<LockInfo>{*held};
  }

 private:
  std::string lock_id() const { return config_.bucket + "/" + config_.key; }
  // The Info attribute of the lock item; "" when there is none.
  BackendResult<std::string> item() {
    nlohmann::json req{{"TableName", config_.lock_table},
                       {"Key", {{"LockID", {{"S", lock_id()}}}}},
                       {"ConsistentRead", true}};
    auto got = client_.json(aws::services::dynamodb, config_.region, "GetItem", req);
    if (!got.ok()) return model::err(failed(got.error()));
    const auto& j = got.value();
    if (!j.contains("Item") || !j["Item"].contains("Info")) return std::string();
    return j["Item"]["Info"].value("S", "");
  }
  aws::Client& client_;
  BackendConfig config_;
};

}  // namespace

std::unique_ptr<RemoteLock> make_remote_lock(aws::Client& client, const BackendConfig& config) {
  if (config.lock == LockMethod::dynamodb) return std::make_unique<DynamoDbLock>(client, config);
  return std::make_unique<S3ObjectLock>(client, config);
}

}  // namespace state
