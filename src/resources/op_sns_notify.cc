// op.sns_notify: publishes one message about the runbook to the stack's DR-region topic.
// attrs: `topic` (topic name, looked up in the step's region with ListTopics), `subject`,
// `message`. The cloud id is the MessageId SNS returned.
//
// A notification leaves nothing in AWS to read back, so "done" is what state remembers: read
// reports found when the target carries an id (a message was published by an earlier run) and
// absent otherwise, without calling AWS. A run killed between Publish and the state write
// publishes again: notifications are at-least-once.
#include "resources/capacity_common.h"
#include "resources/common.h"
#include "resources/op_common.h"
#include "resources/types.h"
#include "resources/xml_util.h"

namespace resources::op {
namespace {

class SnsNotify final : public ResourceType {
 public:
  std::string_view name() const override { return "op.sns_notify"; }
  const Schema& schema() const override { return op_schema(); }

  std::map<std::string, ReadOutcome> read(Context&, const std::string&, std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    for (const auto& t : targets) out[t.address] = t.id.empty() ? absent() : found(done(t));
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto topic = str_attr(want.attrs, "topic");
    Target lookup{want.address, want.region, {{"name", topic}}, ""};
    auto topics = sns_topic_type().read(ctx, want.region, std::span(&lookup, 1));
    const auto& t = topics[want.address];
    if (t.status == ReadStatus::failed && t.error) return model::err(*t.error);
    if (t.status != ReadStatus::found)
      return model::err(local_error("NotFound", "SNS topic " + topic + " does not exist in " + want.region, "sns", "Publish"));
    aws::XmlDoc keep;
    auto r = capacity::call_query(ctx.aws, aws::services::sns, want.region, "Publish",
                                  {{"TopicArn", t.live.id},
                                   {"Subject", str_attr(want.attrs, "subject")},
                                   {"Message", str_attr(want.attrs, "message")}},
                                  keep);
    if (!r) return model::err(r.error());
    const auto id = xml::text(*r, "MessageId");
    return done(want, id.empty() ? "published" : id);  // an id is what marks the step done
  }
  aws::Result<Live> update(Context& ctx, const Target& want, const Live&) const override { return create(ctx, want); }
  aws::Result<model::Unit> destroy(Context&, const Target&) const override { return model::ok(); }
};

}  // namespace
}  // namespace resources::op

namespace resources {
const ResourceType& op_sns_notify_type() {
  static const op::SnsNotify t;
  return t;
}
}  // namespace resources
