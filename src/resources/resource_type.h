// ResourceType: the unit of extension. One implementation per AWS kind ("s3.replication"),
// each in its own file, registered in registry.cc.
//
// Attributes travel as JSON objects in the same shape both ways: what a module declares as
// desired is what read() reports as live, so plan/ can diff them key by key. Live may carry
// more keys than desired (computed ones such as "arn" or "id"); plan/ compares only the keys
// the desired object has and that the schema does not mark computed.
//
// A read has three outcomes: found, absent, failed. A failed read never looks like absent.
// Implementations are stateless and thread-safe: apply/ calls them from several threads.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "model/resource.h"

namespace resources {

enum class AttrKind {
  in_place,  // changed by update()
  replace,   // a change needs destroy + create
  computed,  // set by AWS; never diffed
};

struct Schema {
  std::map<std::string, AttrKind> attrs;  // top-level attribute -> kind; unlisted: in_place
  bool data_bearing = false;  // holds data (bucket, vault, replica): never destroyed or
                              // replaced without an explicit --allow-destroy
  AttrKind kind_of(const std::string& attr) const {
    auto it = attrs.find(attr);
    return it == attrs.end() ? AttrKind::in_place : it->second;
  }
};

// A live object: its cloud id (bucket name, plan id, role name) and attributes.
struct Live {
  std::string id;
  nlohmann::json attrs = nlohmann::json::object();
};

enum class ReadStatus { found, absent, failed };
struct ReadOutcome {
  ReadStatus status = ReadStatus::absent;
  Live live;                              // when found
  std::optional<aws::AwsError> error;     // when failed
};

// What a call is about: the resource's address and region, its desired attributes with
// references already resolved, and the cloud id state knows (empty if none).
struct Target {
  std::string address;
  std::string region;
  nlohmann::json attrs = nlohmann::json::object();
  std::string id;
};

// Facts that cannot change during one command and that several resources ask for (a hosted
// zone's apex name), remembered for the command's run. Thread-safe.
class RunMemo {
 public:
  std::optional<std::string> get(const std::string& key) const {
    std::lock_guard lock(mu_);
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  void put(const std::string& key, std::string value) {
    std::lock_guard lock(mu_);
    values_[key] = std::move(value);
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> values_;
};

struct Context {
  aws::Client& aws;
  std::string stack;  // for tags: drctl:stack
  std::shared_ptr<RunMemo> memo = std::make_shared<RunMemo>();
};

class ResourceType {
 public:
  virtual ~ResourceType() = default;
  virtual std::string_view name() const = 0;
  virtual const Schema& schema() const = 0;

  // Reads every target (all in `region`) with as few calls as the API allows; returns one
  // outcome per target address. A target with no id is looked up by its deterministic name.
  virtual std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                                  std::span<const Target> targets) const = 0;

  // Creates the object; idempotent where the API has a token (derived from the address).
  virtual aws::Result<Live> create(Context& ctx, const Target& want) const = 0;
  // Brings an existing object to `want`.
  virtual aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const = 0;
  // Deletes it; absent already counts as success.
  virtual aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const = 0;
};

// The resource types drctl knows, by name. Owned statically; never null for known names.
const ResourceType* find_type(std::string_view name);
std::vector<const ResourceType*> all_types();

}  // namespace resources
