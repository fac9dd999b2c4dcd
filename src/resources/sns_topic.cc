// sns.topic: a notification topic with an exact set of subscriptions and its tags. The cloud
// id is the topic ARN.
//
// Read, per region and whatever the number of topics: one ListTopics (NextToken pages, stops
// once every wanted topic is seen), matched by ARN when state knows it, else by name (the
// ARN's last segment); then, only if a wanted topic exists, one ListSubscriptions (every
// subscription of the region, NextToken pages, grouped by TopicArn) and one tag index
// (GetResources "sns", see tag_index.h) instead of a ListSubscriptionsByTopic and a
// ListTagsForResource per topic. A topic the index does not list has no tags. Subscriptions
// are reported as {protocol, endpoint}, ordered like desired, including ones still pending
// confirmation (an email subscription stays "PendingConfirmation" until a person clicks), so
// a plan does not loop on them.
// Create: CreateTopic is idempotent by name; if the topic exists with other tags AWS refuses
// the tags (InvalidParameter), so it is created again without them and tags are converged.
// Subscriptions converge by Subscribe (idempotent per protocol+endpoint) and Unsubscribe of
// extras; pending ones have no ARN yet and cannot be unsubscribed, so they are left.
#include <algorithm>
#include <set>

#include "aws/pagination.h"
#include "resources/capacity_common.h"
#include "resources/common.h"
#include "resources/tag_index.h"
#include "resources/types.h"
#include "resources/xml_util.h"

namespace resources {
namespace {

using nlohmann::json;
const aws::Service& sns() { return aws::services::sns; }

std::string name_of_arn(const std::string& arn) {
  auto colon = arn.rfind(':');
  return colon == std::string::npos ? arn : arn.substr(colon + 1);
}

struct Subscription {
  std::string arn;  // "PendingConfirmation" while unconfirmed
  json key;         // {protocol, endpoint}
};

json sub_key(const std::string& protocol, const std::string& endpoint) {
  return {{"protocol", protocol}, {"endpoint", endpoint}};
}

// Desired subscriptions as {protocol, endpoint}, duplicates dropped.
json desired_subs(const json& attrs) {
  json out = json::array();
  if (!attrs.is_object() || !attrs.contains("subscriptions") || !attrs["subscriptions"].is_array()) return out;
  for (const auto& s : attrs["subscriptions"]) {
    auto k = sub_key(get_string(s, "protocol", ""), get_string(s, "endpoint", ""));
    if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  }
  return out;
}

aws::Result<std::vector<Subscription>> list_subs(aws::Client& c, const std::string& region, const std::string& arn) {
  std::vector<Subscription> subs;
  auto st = aws::paginate_query(c, sns(), region, "ListSubscriptionsByTopic", {{"TopicArn", arn}},
                                [&](const pugi::xml_node& res) {
                                  for (auto m : xml::children(xml::child(res, "Subscriptions"), "member"))
                                    subs.push_back({xml::text(m, "SubscriptionArn"),
                                                    sub_key(xml::text(m, "Protocol"), xml::text(m, "Endpoint"))});
                                  return true;
                                },
                                {"NextToken", "NextToken"});
  if (!st) return model::err(st.error());
  return subs;
}

// Every subscription of the region by topic ARN (ListSubscriptions, paged): one pass for all
// topics. A topic without subscriptions has no entry.
aws::Result<std::map<std::string, std::vector<Subscription>>> subs_by_topic(aws::Client& c, const std::string& region) {
  std::map<std::string, std::vector<Subscription>> by_topic;
  auto st = aws::paginate_query(c, sns(), region, "ListSubscriptions", {},
                                [&](const pugi::xml_node& res) {
                                  for (auto m : xml::children(xml::child(res, "Subscriptions"), "member"))
                                    by_topic[xml::text(m, "TopicArn")].push_back(
                                        {xml::text(m, "SubscriptionArn"),
                                         sub_key(xml::text(m, "Protocol"), xml::text(m, "Endpoint"))});
                                  return true;
                                },
                                {"NextToken", "NextToken"});
  if (!st) return model::err(st.error());
  return by_topic;
}

// ListTagsForResource of one topic: only the create path needs it (a topic taken over by name).
aws::Result<TagMap> list_tags(aws::Client& c, const std::string& region, const std::string& arn) {
  aws::XmlDoc keep;
  auto res = capacity::call_query(c, sns(), region, "ListTagsForResource", {{"ResourceArn", arn}}, keep);
  if (!res) return model::err(res.error());
  TagMap tags;
  for (auto m : xml::children(xml::child(*res, "Tags"), "member")) tags[xml::text(m, "Key")] = xml::text(m, "Value");
  return tags;
}

aws::Result<model::Unit> call_void(aws::Client& c, const std::string& region, const std::string& action,
                                   const aws::Params& p) {
  aws::XmlDoc keep;
  auto r = capacity::call_query(c, sns(), region, action, p, keep);
  if (!r) return model::err(r.error());
  return model::ok();
}

aws::Result<model::Unit> sync_tags(aws::Client& c, const std::string& region, const std::string& arn,
                                   const TagMap& want, const TagMap& have) {
  const auto d = diff_tags(want, have);
  if (!d.set.empty()) {
    aws::Params p{{"ResourceArn", arn}};
    capacity::add_tag_list(p, "Tags", d.set);
    if (auto r = call_void(c, region, "TagResource", p); !r) return r;
  }
  if (!d.remove.empty()) {
    aws::Params p{{"ResourceArn", arn}};
    capacity::add_member_list(p, "TagKeys", d.remove);
    if (auto r = call_void(c, region, "UntagResource", p); !r) return r;
  }
  return model::ok();
}

// Subscribes what is missing and unsubscribes confirmed extras.
aws::Result<model::Unit> sync_subs(aws::Client& c, const std::string& region, const std::string& arn,
                                   const json& want) {
  auto have = list_subs(c, region, arn);
  if (!have) return model::err(have.error());
  for (const auto& w : want) {
    if (std::any_of(have->begin(), have->end(), [&](const Subscription& s) { return s.key == w; })) continue;
    auto r = call_void(c, region, "Subscribe",
                       {{"TopicArn", arn},
                        {"Protocol", get_string(w, "protocol", "")},
                        {"Endpoint", get_string(w, "endpoint", "")},
                        {"ReturnSubscriptionArn", "true"}});
    if (!r) return r;
  }
  for (const auto& s : *have) {
    if (std::find(want.begin(), want.end(), s.key) != want.end()) continue;
    if (s.arn.rfind("arn:", 0) != 0) continue;  // PendingConfirmation / Deleted: no ARN to unsubscribe
    auto r = call_void(c, region, "Unsubscribe", {{"SubscriptionArn", s.arn}});
    if (!r && !has_code(r.error(), {"NotFound"})) return r;
  }
  return model::ok();
}

Live result(const Target& want, const std::string& arn) {
  Live live{arn, want.attrs};
  live.attrs["name"] = name_of_arn(arn);
  live.attrs["arn"] = arn;
  if (want.attrs.contains("subscriptions")) live.attrs["subscriptions"] = desired_subs(want.attrs);
  return live;
}

// The ARNs of the wanted topics that exist, by target address (one paged ListTopics).
aws::Result<std::map<std::string, std::string>> find_topics(aws::Client& c, const std::string& region,
                                                           std::span<const Target> targets) {
  std::map<std::string, std::string> by_address;
  auto st = aws::paginate_query(c, sns(), region, "ListTopics", {},
                                [&](const pugi::xml_node& res) {
                                  for (auto m : xml::children(xml::child(res, "Topics"), "member")) {
                                    const auto arn = xml::text(m, "TopicArn");
                                    for (const auto& t : targets)
                                      if (t.id.empty() ? name_of_arn(arn) == str_attr(t.attrs, "name") : arn == t.id)
                                        by_address[t.address] = arn;
                                  }
                                  return by_address.size() < targets.size();  // stop once all are seen
                                },
                                {"NextToken", "NextToken"});
  if (!st) return model::err(st.error());
  return by_address;
}

class SnsTopic final : public ResourceType {
 public:
  std::string_view name() const override { return "sns.topic"; }
  const Schema& schema() const override {
    static const Schema s{{{"name", AttrKind::replace}, {"arn", AttrKind::computed}}, false};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    auto topics = find_topics(ctx.aws, region, targets);
    if (!topics) {
      for (const auto& t : targets) out[t.address] = failed(topics.error());
      return out;
    }
    for (const auto& t : targets)
      if (!topics->count(t.address)) out[t.address] = absent();
    if (topics->empty()) return out;  // nothing exists: no subscription or tag to read

    // The region-wide reads; a failure fails every topic that exists (never "none" / "no tags").
    auto subs = subs_by_topic(ctx.aws, region);
    aws::Result<TagIndex> tags = subs ? tag_index(ctx.aws, region, {"sns"}) : model::err(subs.error());
    for (const auto& t : targets) {
      auto it = topics->find(t.address);
      if (it == topics->end()) continue;
      if (!tags) {
        out[t.address] = failed(tags.error());
        continue;
      }
      const auto& arn = it->second;
      json live_subs = json::array();
      if (auto s = subs->find(arn); s != subs->end())
        for (const auto& sub : s->second)
          if (std::find(live_subs.begin(), live_subs.end(), sub.key) == live_subs.end()) live_subs.push_back(sub.key);
      out[t.address] = found(Live{arn,
                                  {{"name", name_of_arn(arn)},
                                   {"arn", arn},
                                   {"subscriptions", capacity::order_like(live_subs, desired_subs(t.attrs))},
                                   {"tags", tag_json(tags_in(*tags, arn))}}});
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto name = str_attr(want.attrs, "name");
    const TagMap tags = tag_map(want.attrs.value("tags", json::object()));
    aws::Params p{{"Name", name}};
    capacity::add_tag_list(p, "Tags", tags);
    aws::XmlDoc keep;
    auto res = capacity::call_query(ctx.aws, sns(), want.region, "CreateTopic", p, keep);
    bool tags_set = true;
    if (!res && !tags.empty() && has_code(res.error(), {"InvalidParameter"})) {
      // The topic exists with other tags (left by an interrupted run or made by hand): take it
      // by name without tags, then converge the tags.
      res = capacity::call_query(ctx.aws, sns(), want.region, "CreateTopic", {{"Name", name}}, keep);
      tags_set = false;
    }
    if (!res) return model::err(res.error());
    const auto arn = xml::text(*res, "TopicArn");
    if (arn.empty()) return model::err(local_error("MalformedResponse", "CreateTopic returned no TopicArn", "sns", "CreateTopic"));
    if (!tags_set) {
      auto have = list_tags(ctx.aws, want.region, arn);
      if (!have) return model::err(have.error());
      if (auto r = sync_tags(ctx.aws, want.region, arn, tags, *have); !r) return model::err(r.error());
    }
    if (auto r = sync_subs(ctx.aws, want.region, arn, desired_subs(want.attrs)); !r) return model::err(r.error());
    return result(want, arn);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    const auto arn = have.id.empty() ? str_attr(have.attrs, "arn") : have.id;
    if (want.attrs.contains("subscriptions") &&
        desired_subs(want.attrs) != have.attrs.value("subscriptions", json()))
      if (auto r = sync_subs(ctx.aws, want.region, arn, desired_subs(want.attrs)); !r) return model::err(r.error());
    if (want.attrs.contains("tags"))
      if (auto r = sync_tags(ctx.aws, want.region, arn, tag_map(want.attrs["tags"]),
                             tag_map(have.attrs.value("tags", json::object())));
          !r)
        return model::err(r.error());
    return result(want, arn);
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    std::string arn = have.id.empty() ? str_attr(have.attrs, "arn") : have.id;
    if (arn.empty()) {
      auto topics = find_topics(ctx.aws, have.region, std::span(&have, 1));
      if (!topics) return model::err(topics.error());
      if (topics->empty()) return model::ok();
      arn = topics->begin()->second;
    }
    // Deleting a topic deletes its subscriptions too.
    auto r = call_void(ctx.aws, have.region, "DeleteTopic", {{"TopicArn", arn}});
    if (!r && !has_code(r.error(), {"NotFound"})) return r;
    return model::ok();
  }
};

}  // namespace

const ResourceType& sns_topic_type() {
  static const SnsTopic t;
  return t;
}

}  // namespace resources
