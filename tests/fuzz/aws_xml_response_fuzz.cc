// libFuzzer target: XML replies as drctl reads them. Input: a response body.
//   aws::parse_xml (query/ec2/rest-xml replies), aws::query_result (<ActionResult> lookup),
//   aws::parse_error on the same body as a 400 (query/rest-xml/ec2 error documents), and the
//   lenient readers of resources/xml_util.h (local names, paths, children) walked over the tree.
// Invariants checked: a parsed reply has a root element; serialising the parsed document and
// parsing it again gives a document with the same root name.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "aws/client.h"
#include "aws/error_parse.h"
#include "aws/pagination.h"
#include "resources/xml_util.h"

namespace {

// Reads every element the way resource types do: by local name, one level at a time.
void walk(pugi::xml_node n, int depth) {
  if (depth > 64) return;  // resource types never read deeper than a handful of levels
  for (pugi::xml_node c : resources::xml::children(n, n.first_child().name()))
    (void)resources::xml::text(c, "Value");
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) walk(c, depth + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);

  aws::HttpResponse r{400, {{"content-type", "text/xml"}}, body};
  aws::AwsError e = aws::parse_error(r);
  if (e.code.empty()) std::abort();

  aws::XmlDoc doc = aws::parse_xml(body);
  if (!doc) return 0;
  pugi::xml_node root = doc->document_element();
  if (!root) std::abort();
  std::string action = root.name();
  if (action.size() > 8 && action.compare(action.size() - 8, 8, "Response") == 0)
    action.resize(action.size() - 8);
  pugi::xml_node result = aws::query_result(doc, action);
  (void)result.child("NextToken").text().as_string();
  (void)resources::xml::path(result, "ResourceRecordSets/ResourceRecordSet/Name");
  (void)resources::xml::text(resources::xml::path(root, "Role/Arn"), "Arn");
  walk(root, 0);

  std::string again = resources::xml::to_string(*doc);
  aws::XmlDoc reparsed = aws::parse_xml(again);
  if (!reparsed || std::string(reparsed->document_element().name()) != root.name()) std::abort();
  return 0;
}
