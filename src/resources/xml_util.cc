#include "resources/xml_util.h"

#include <sstream>

namespace resources::xml {
namespace {

std::string_view local_name(const char* name) {
  std::string_view n(name);
  auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

}  // namespace

pugi::xml_node child(pugi::xml_node parent, std::string_view name) {
  for (auto c = parent.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  return {};
}

pugi::xml_node path(pugi::xml_node from, std::string_view slash_path) {
  pugi::xml_node n = from;
  while (n && !slash_path.empty()) {
    auto slash = slash_path.find('/');
    n = child(n, slash_path.substr(0, slash));
    slash_path = slash == std::string_view::npos ? "" : slash_path.substr(slash + 1);
  }
  return n;
}

std::string text(pugi::xml_node parent, std::string_view name) {
  return child(parent, name).text().as_string();
}

std::vector<pugi::xml_node> children(pugi::xml_node parent, std::string_view name) {
  std::vector<pugi::xml_node> out;
  for (auto c = parent.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local_name(c.name()) == name) out.push_back(c);
  return out;
}

pugi::xml_document document(const char* root, std::string_view xml_namespace) {
  pugi::xml_document doc;
  doc.append_child(root).append_attribute("xmlns") = std::string(xml_namespace).c_str();
  return doc;
}

pugi::xml_node add(pugi::xml_node parent, const char* name, const std::string& text) {
  auto n = parent.append_child(name);
  n.text().set(text.c_str());
  return n;
}

std::string to_string(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return out.str();
}

}  // namespace resources::xml
