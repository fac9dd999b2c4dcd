// DR Auto Scaling groups: the group can reach its failover size (MaxSize at least the
// drctl:failover-desired tag, read from AWS as the failover runbook reads it), and what it
// launches exists in the DR region: its launch template version (DescribeLaunchTemplateVersions)
// and that version's AMI (DescribeImages). Shapes: botocore data/ec2/2016-11-15.
#include <fmt/format.h>

#include "aws/pagination.h"
#include "dr/readiness_internal.h"
#include "resources/common.h"
#include "resources/xml_util.h"

namespace dr::readiness_detail {

namespace {

namespace xml = resources::xml;

aws::Result<pugi::xml_node> ec2_call(aws::Client& c, const std::string& region, const std::string& action,
                                     const aws::Params& params, aws::XmlDoc& keep) {
  auto doc = c.query(aws::services::ec2, region, action, params);
  if (!doc) return model::err(doc.error());
  keep = *doc;
  if (!keep) return model::err(resources::local_error("MalformedResponse", "the reply is not XML", "ec2", action));
  return aws::query_result(keep, action);
}

// The AMI of the template version the group launches: found (image id, maybe ""), absent
// (nullopt: no such template or version), failed.
aws::Result<std::optional<std::string>> template_image(aws::Client& c, const std::string& region,
                                                       const nlohmann::json& lt) {
  aws::Params params;
  const std::string id = resources::get_string(lt, "id", ""), name = resources::get_string(lt, "name", "");
  if (!id.empty()) params.emplace_back("LaunchTemplateId", id);
  else params.emplace_back("LaunchTemplateName", name);
  params.emplace_back("LaunchTemplateVersion.1", resources::get_string(lt, "version", "$Default").empty()
                                                     ? "$Default"
                                                     : resources::get_string(lt, "version", "$Default"));
  aws::XmlDoc keep;
  auto res = ec2_call(c, region, "DescribeLaunchTemplateVersions", params, keep);
  if (!res) {
    if (resources::has_code(res.error(), {"InvalidLaunchTemplateId.NotFound", "InvalidLaunchTemplateName.NotFoundException",
                                          "InvalidLaunchTemplateId.VersionNotFound", "InvalidLaunchTemplateId.Malformed"}))
      return std::optional<std::string>();
    return model::err(res.error());
  }
  auto item = xml::child(xml::child(*res, "launchTemplateVersionSet"), "item");
  if (!item) return std::optional<std::string>();
  return std::optional<std::string>(xml::text(xml::child(item, "launchTemplateData"), "imageId"));
}

// Whether the AMI is registered in the region: true / false / failed.
aws::Result<bool> image_exists(aws::Client& c, const std::string& region, const std::string& image_id) {
  aws::XmlDoc keep;
  auto res = ec2_call(c, region, "DescribeImages", {{"ImageId.1", image_id}}, keep);
  if (!res) {
    if (resources::has_code(res.error(), {"InvalidAMIID.NotFound", "InvalidAMIID.Malformed", "InvalidAMIID.Unavailable"}))
      return false;
    return model::err(res.error());
  }
  return static_cast<bool>(xml::child(xml::child(*res, "imagesSet"), "item"));
}

long long as_number(const nlohmann::json& j, long long def) {
  if (j.is_number()) return j.get<long long>();
  if (j.is_string()) {
    try {
      return std::stoll(j.get<std::string>());
    } catch (...) {
      return def;
    }
  }
  return def;
}

void check_launch_template(const Probe& p, const model::Resource& r, const nlohmann::json& live, Sink& out) {
  const std::string a = r.address.str();
  if (!live.contains("launch_template") || !live["launch_template"].is_object()) {
    if (live.contains("launch_configuration"))
      out.add(r.workload, finding("compute.launch_template", Grade::info, true,
                                  fmt::format("group launches from launch configuration {}",
                                              resources::str_attr(live, "launch_configuration")),
                                  "DescribeAutoScalingGroups " + r.region, a, r.where));
    return;
  }
  const auto& lt = live["launch_template"];
  const std::string lt_name = resources::get_string(lt, "name", resources::get_string(lt, "id", "?"));
  auto image = template_image(p.aws, r.region, lt);
  if (!image) return out.failed_read(a, image.error(), "launch template " + lt_name);
  const std::string ev = fmt::format("DescribeLaunchTemplateVersions {} {} version {}", r.region, lt_name,
                                     resources::get_string(lt, "version", "$Default"));
  out.add(r.workload, finding("compute.launch_template", Grade::critical, image->has_value(),
                              fmt::format("launch template {} {} in {}", lt_name,
                                          image->has_value() ? "exists" : "does not exist", r.region),
                              ev + (image->has_value() ? ": found" : ": not found"), a, r.where));
  if (!image->has_value() || (*image)->empty()) return;
  const std::string ami = **image;
  auto exists = image_exists(p.aws, r.region, ami);
  if (!exists) return out.failed_read(a, exists.error(), "AMI " + ami);
  out.add(r.workload, finding("compute.ami", Grade::critical, *exists,
                              fmt::format("AMI {} of launch template {} {} in {}", ami, lt_name,
                                          *exists ? "exists" : "does not exist", r.region),
                              fmt::format("DescribeImages {} {}: {}", r.region, ami, *exists ? "found" : "not found"),
                              a, r.where));
}

}  // namespace

void check_compute(const Probe& p, Sink& out) {
  for (const auto& r : p.graph.resources) {
    if (r.address.type != "autoscaling.capacity") continue;
    const auto* live = p.live(r.address.str());
    if (!live) continue;
    const std::string a = r.address.str();
    const auto& live_tags = live->contains("tags") ? (*live)["tags"] : nlohmann::json::object();
    const bool tagged = live_tags.contains("drctl:failover-desired");
    const long long failover_desired =
        as_number(tagged ? live_tags["drctl:failover-desired"]
                         : r.attrs.value("tags", nlohmann::json::object()).value("drctl:failover-desired", nlohmann::json()),
                  -1);
    const long long max = as_number(live->value("max", nlohmann::json()), -1);
    if (failover_desired >= 0 && max >= 0)
      out.add(r.workload,
              finding("capacity.failover_max", Grade::warning, max >= failover_desired,
                      fmt::format("group {} max {} {} the failover desired {}", resources::str_attr(r.attrs, "group"), max,
                                  max >= failover_desired ? "allows" : "is below", failover_desired),
                      fmt::format("DescribeAutoScalingGroups {}: MaxSize={} drctl:failover-desired={}{}", r.region, max,
                                  failover_desired, tagged ? "" : " (from the configuration: the tag is missing)"),
                      a, r.where));
    check_launch_template(p, r, *live, out);
  }
}

}  // namespace dr::readiness_detail
