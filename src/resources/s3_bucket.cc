// s3.bucket: a DR bucket with versioning, default encryption, Object Lock and tags.
//
// S3 has no batched describe, so a read costs five calls per bucket (location, versioning,
// encryption, tagging, object lock). Create is CreateBucket followed by the same PUTs as an
// update from nothing; BucketAlreadyOwnedByYou counts as created so a create retried after a
// crash converges instead of failing.
//
// `object_lock` {mode, days | years} is in place. Create enables Object Lock with the
// x-amz-bucket-object-lock-enabled header; on an existing bucket PutObjectLockConfiguration
// with ObjectLockEnabled=Enabled enables it (AWS allows that on versioned buckets since 2023,
// so turning it on never replaces a data-bearing bucket). `object_lock: {}` is Object Lock
// without a default retention. Object Lock cannot be turned off: a desired bucket without
// the key leaves it as it is.
#include "resources/common.h"
#include "resources/s3_xml.h"
#include "resources/tags.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
namespace x = s3xml;

const aws::Service& s3() { return aws::services::s3; }

aws::Result<json> read_encryption(aws::Client& c, const std::string& region,
                                  const std::string& bucket) {
  auto doc = x::call_xml(c, region, x::bucket_call("GetBucketEncryption", "GET", bucket, "encryption"));
  if (!doc) {
    if (has_code(doc.error(), {"ServerSideEncryptionConfigurationNotFoundError"})) return json();
    return model::err(doc.error());
  }
  auto by_default = xml::path((*doc)->document_element(), "Rule/ApplyServerSideEncryptionByDefault");
  if (!by_default) return json();
  json enc = {{"algorithm", xml::text(by_default, "SSEAlgorithm")}};
  if (auto key = xml::text(by_default, "KMSMasterKeyID"); !key.empty()) enc["kms_key_id"] = key;
  return enc;
}

aws::Result<TagMap> read_tags(aws::Client& c, const std::string& region, const std::string& bucket) {
  auto doc = x::call_xml(c, region, x::bucket_call("GetBucketTagging", "GET", bucket, "tagging"));
  if (!doc) {
    if (has_code(doc.error(), {"NoSuchTagSet"})) return TagMap{};
    return model::err(doc.error());
  }
  TagMap tags;
  for (auto tag : xml::children(xml::child((*doc)->document_element(), "TagSet"), "Tag"))
    tags[xml::text(tag, "Key")] = xml::text(tag, "Value");
  return tags;
}

// GetObjectLockConfiguration: null when Object Lock is not enabled, else {mode, days|years}.
aws::Result<json> read_object_lock(aws::Client& c, const std::string& region, const std::string& bucket) {
  auto doc = x::call_xml(c, region, x::bucket_call("GetObjectLockConfiguration", "GET", bucket, "object-lock"));
  if (!doc) {
    if (has_code(doc.error(), {"ObjectLockConfigurationNotFoundError"})) return json();
    return model::err(doc.error());
  }
  auto root = (*doc)->document_element();
  if (xml::text(root, "ObjectLockEnabled") != "Enabled") return json();
  json lock = json::object();
  if (auto retention = xml::path(root, "Rule/DefaultRetention")) {
    if (auto mode = xml::text(retention, "Mode"); !mode.empty()) lock["mode"] = mode;
    // AWS sends one of Days/Years; moto sends both, the unused one as 0 (never valid in AWS).
    for (const char* unit : {"Days", "Years"}) {
      const auto text = xml::text(retention, unit);
      if (text.empty()) continue;
      try {
        if (const long long n = std::stoll(text); n > 0) lock[unit == std::string("Days") ? "days" : "years"] = n;
      } catch (const std::exception&) {
        return model::err(local_error("MalformedResponse", "DefaultRetention " + std::string(unit) + " '" +
                                                               text + "' is not a number", "s3",
                                      "GetObjectLockConfiguration"));
      }
    }
  }
  return lock;
}

aws::Result<model::Unit> put_object_lock(aws::Client& c, const std::string& region, const std::string& bucket,
                                         const json& lock) {
  if (lock.contains("days") && lock.contains("years"))
    return model::err(local_error("InvalidDesired", "object_lock takes days or years, not both", "s3",
                                  "PutObjectLockConfiguration"));
  auto doc = x::make("ObjectLockConfiguration");
  auto root = doc.document_element();
  x::add(root, "ObjectLockEnabled", "Enabled");
  if (lock.contains("mode")) {
    auto retention = root.append_child("Rule").append_child("DefaultRetention");
    x::add(retention, "Mode", str_attr(lock, "mode"));
    for (const char* unit : {"days", "years"})
      if (lock.contains(unit) && lock[unit].is_number_integer())
        x::add(retention, unit == std::string("days") ? "Days" : "Years", std::to_string(lock[unit].get<long long>()));
  }
  auto r = c.rest(s3(), region, x::put_config("PutObjectLockConfiguration", bucket, "object-lock", x::to_string(doc)));
  if (!r) return model::err(r.error());
  return model::ok();
}

ReadOutcome read_one(aws::Client& c, const std::string& region, const std::string& bucket) {
  // GetBucketLocation answers NoSuchBucket for a missing bucket (HeadBucket has no body, so
  // a bare 404 there could not be told apart from a missing route).
  auto loc = x::call_xml(c, region, x::bucket_call("GetBucketLocation", "GET", bucket, "location"));
  if (!loc) return has_code(loc.error(), {"NoSuchBucket"}) ? absent() : failed(loc.error());
  auto versioning = x::get_versioning(c, region, bucket);
  if (!versioning) return failed(versioning.error());
  auto enc = read_encryption(c, region, bucket);
  if (!enc) return failed(enc.error());
  auto tags = read_tags(c, region, bucket);
  if (!tags) return failed(tags.error());
  auto lock = read_object_lock(c, region, bucket);
  if (!lock) return failed(lock.error());

  Live live{bucket, {{"bucket", bucket}, {"arn", x::bucket_arn(bucket)}, {"tags", tag_json(*tags)}}};
  if (!versioning->empty()) live.attrs["versioning"] = *versioning;
  if (!enc->is_null()) live.attrs["encryption"] = *enc;
  if (!lock->is_null()) live.attrs["object_lock"] = *lock;
  return found(std::move(live));
}

aws::Result<model::Unit> put_encryption(aws::Client& c, const std::string& region,
                                        const std::string& bucket, const json& enc) {
  auto doc = x::make("ServerSideEncryptionConfiguration");
  auto by_default = doc.document_element().append_child("Rule").append_child(
      "ApplyServerSideEncryptionByDefault");
  x::add(by_default, "SSEAlgorithm", str_attr(enc, "algorithm"));
  if (auto key = str_attr(enc, "kms_key_id"); !key.empty()) x::add(by_default, "KMSMasterKeyID", key);
  auto r = c.rest(s3(), region, x::put_config("PutBucketEncryption", bucket, "encryption", x::to_string(doc)));
  if (!r) return model::err(r.error());
  return model::ok();
}

aws::Result<model::Unit> put_tags(aws::Client& c, const std::string& region,
                                  const std::string& bucket, const TagMap& tags) {
  if (tags.empty()) {
    // An empty TagSet is rejected; deleting the tagging is how S3 spells "no tags".
    auto r = c.rest(s3(), region, x::bucket_call("DeleteBucketTagging", "DELETE", bucket, "tagging"));
    if (!r) return model::err(r.error());
    return model::ok();
  }
  auto doc = x::make("Tagging");
  auto set = doc.document_element().append_child("TagSet");
  for (const auto& [k, v] : tags) {
    auto tag = set.append_child("Tag");
    x::add(tag, "Key", k);
    x::add(tag, "Value", v);
  }
  auto r = c.rest(s3(), region, x::put_config("PutBucketTagging", bucket, "tagging", x::to_string(doc)));
  if (!r) return model::err(r.error());
  return model::ok();
}

// Puts every desired setting that differs from `have` (an empty object after a create).
aws::Result<Live> converge(aws::Client& c, const Target& want, const std::string& bucket,
                           const json& have) {
  const json& w = want.attrs;
  if (w.contains("versioning") && (!have.contains("versioning") || have["versioning"] != w["versioning"])) {
    if (auto r = x::put_versioning(c, want.region, bucket, str_attr(w, "versioning")); !r)
      return model::err(r.error());
  }
  if (w.contains("encryption") && w["encryption"].is_object() &&
      (!have.contains("encryption") || have["encryption"] != w["encryption"])) {
    if (auto r = put_encryption(c, want.region, bucket, w["encryption"]); !r) return model::err(r.error());
  }
  // After versioning: Object Lock on an existing bucket needs versioning Enabled first.
  if (w.contains("object_lock") && w["object_lock"].is_object() &&
      (!have.contains("object_lock") || have["object_lock"] != w["object_lock"])) {
    if (auto r = put_object_lock(c, want.region, bucket, w["object_lock"]); !r) return model::err(r.error());
  }
  if (w.contains("tags")) {
    const TagMap want_tags = tag_map(w["tags"]);
    const TagMap have_tags = tag_map(have.value("tags", json::object()));
    if (want_tags != have_tags)
      if (auto r = put_tags(c, want.region, bucket, want_tags); !r) return model::err(r.error());
  }
  Live live{bucket, w};
  live.attrs["bucket"] = bucket;
  live.attrs["arn"] = x::bucket_arn(bucket);
  return live;
}

class S3Bucket final : public ResourceType {
 public:
  std::string_view name() const override { return "s3.bucket"; }
  const Schema& schema() const override {
    static const Schema s{{{"bucket", AttrKind::replace}, {"arn", AttrKind::computed}}, true};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    for (const auto& t : targets) {
      const auto bucket = id_or_attr(t, "bucket");
      out[t.address] = bucket.empty() ? failed(local_error("InvalidDesired", "no bucket name", "s3"))
                                      : read_one(ctx.aws, region, bucket);
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto bucket = str_attr(want.attrs, "bucket");
    if (bucket.empty()) return model::err(local_error("InvalidDesired", "no bucket name", "s3", "CreateBucket"));
    aws::RestRequest r;
    r.operation = "CreateBucket";
    r.method = "PUT";
    r.path = "/" + bucket;
    if (want.region != "us-east-1") {  // us-east-1 rejects its own name as a constraint
      auto doc = x::make("CreateBucketConfiguration");
      x::add(doc.document_element(), "LocationConstraint", want.region);
      r.body = x::to_string(doc);
      r.content_type = "application/xml";
    }
    const bool lock = want.attrs.contains("object_lock") && want.attrs["object_lock"].is_object();
    if (lock) r.headers.emplace_back("x-amz-bucket-object-lock-enabled", "true");
    auto resp = ctx.aws.rest(s3(), want.region, r);
    if (!resp && !has_code(resp.error(), {"BucketAlreadyOwnedByYou"})) return model::err(resp.error());
    // A bucket we just created with the header has Object Lock without a default retention;
    // an adopted one may not have it at all, so it gets the full PutObjectLockConfiguration.
    json have = json::object();
    if (lock && resp) have["object_lock"] = json::object();
    return converge(ctx.aws, want, bucket, have);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    const auto bucket = have.id.empty() ? str_attr(want.attrs, "bucket") : have.id;
    return converge(ctx.aws, want, bucket, have.attrs);
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    const auto bucket = id_or_attr(have, "bucket");
    // A bucket that still holds objects answers BucketNotEmpty: returned as is, drctl does
    // not empty data-bearing buckets.
    auto r = ctx.aws.rest(s3(), have.region, x::bucket_call("DeleteBucket", "DELETE", bucket, ""));
    if (!r && !has_code(r.error(), {"NoSuchBucket"})) return model::err(r.error());
    return model::ok();
  }
};

}  // namespace

const ResourceType& s3_bucket_type() {
  static const S3Bucket t;
  return t;
}

}  // namespace resources
