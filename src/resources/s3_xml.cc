#include "resources/s3_xml.h"

#include <sstream>

#include <openssl/evp.h>

#include "resources/common.h"

namespace resources::s3xml {
pugi::xml_document make(const char* root) { return xml::document(root, kNamespace); }

std::string content_md5(std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(body.data(), body.size(), digest, &len, EVP_md5(), nullptr);
  unsigned char b64[64];
  const int n = EVP_EncodeBlock(b64, digest, static_cast<int>(len));
  return std::string(reinterpret_cast<const char*>(b64), static_cast<size_t>(n));
}

aws::RestRequest put_config(const std::string& operation, const std::string& bucket,
                            const std::string& subresource, const std::string& body) {
  aws::RestRequest r;
  r.operation = operation;
  r.method = "PUT";
  r.path = "/" + bucket;
  r.query = {{subresource, ""}};
  r.headers = {{"Content-MD5", content_md5(body)}};
  r.body = body;
  r.content_type = "application/xml";
  return r;
}

aws::RestRequest bucket_call(const std::string& operation, const std::string& method,
                             const std::string& bucket, const std::string& subresource) {
  aws::RestRequest r;
  r.operation = operation;
  r.method = method;
  r.path = "/" + bucket;
  if (!subresource.empty()) r.query = {{subresource, ""}};
  return r;
}

aws::Result<aws::XmlDoc> call_xml(aws::Client& c, const std::string& region,
                                  const aws::RestRequest& r) {
  auto resp = c.rest(aws::services::s3, region, r);
  if (!resp) return model::err(resp.error());
  auto doc = aws::parse_xml(resp->body);
  if (!doc)
    return model::err(local_error("MalformedResponse", "the reply is not XML", "s3", r.operation));
  return doc;
}

aws::Result<std::string> get_versioning(aws::Client& c, const std::string& region,
                                        const std::string& bucket) {
  auto doc = call_xml(c, region, bucket_call("GetBucketVersioning", "GET", bucket, "versioning"));
  if (!doc) return model::err(doc.error());
  return xml::text((*doc)->document_element(), "Status");
}

aws::Result<model::Unit> put_versioning(aws::Client& c, const std::string& region,
                                        const std::string& bucket, const std::string& status) {
  auto doc = make("VersioningConfiguration");
  add(doc.document_element(), "Status", status);
  auto resp = c.rest(aws::services::s3, region,
                     put_config("PutBucketVersioning", bucket, "versioning", to_string(doc)));
  if (!resp) return model::err(resp.error());
  return model::ok();
}

std::string bucket_arn(const std::string& bucket) { return "arn:aws:s3:::" + bucket; }

}  // namespace resources::s3xml
