// Lenient readers for XML replies (S3 rest-xml, IAM query): elements are found by local
// name, ignoring namespace prefixes; a missing element reads as empty.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

namespace resources::xml {

// First child element with that local name; an empty node when missing.
pugi::xml_node child(pugi::xml_node parent, std::string_view name);
// Follows a path of local names ("Role/Arn"); an empty node when any step is missing.
pugi::xml_node path(pugi::xml_node from, std::string_view slash_path);
// Text of child(parent, name), "" when missing.
std::string text(pugi::xml_node parent, std::string_view name);
// Every child element with that local name, in order.
std::vector<pugi::xml_node> children(pugi::xml_node parent, std::string_view name);

// Building request bodies: a document whose root element carries the service's namespace,
// a child element with text, and the compact serialisation AWS expects (no declaration).
pugi::xml_document document(const char* root, std::string_view xml_namespace);
pugi::xml_node add(pugi::xml_node parent, const char* name, const std::string& text);
std::string to_string(const pugi::xml_document& doc);

}  // namespace resources::xml
