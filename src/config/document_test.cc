#include "config/document.h"

#include <gtest/gtest.h>

#include "config/test_util.h"

namespace config {
namespace {

using testing_util::dump;

const char* kText =
    "version: 1\n"                       // 1
    "regions: { primary: us-east-1, dr: us-west-2 }\n"  // 2
    "workloads:\n"                       // 3
    "  assets:\n"                        // 4
    "    kind: s3\n"                     // 5
    "    rtc: true\n"                    // 6
    "    quoted: \"true\"\n"             // 7
    "    count: 42\n"                    // 8
    "    ratio: 1.5\n"                   // 9
    "    word: yes\n"                    // 10
    "    empty:\n"                       // 11
    "    list:\n"                        // 12
    "      - a\n"                        // 13
    "      - '7'\n";                     // 14

TEST(Document, KeepsThePositionOfEveryNestedNode) {
  model::Diagnostics diags;
  auto doc = load_yaml_text(kText, "stack.dr.yaml", diags);
  ASSERT_TRUE(doc) << dump(diags);
  EXPECT_EQ(doc->keys.at("/workloads/assets/rtc"), (model::SourceRange{"stack.dr.yaml", 6, 5}));
  EXPECT_EQ(doc->values.at("/workloads/assets/rtc"), (model::SourceRange{"stack.dr.yaml", 6, 10}));
  EXPECT_EQ(doc->keys.at("/workloads/assets"), (model::SourceRange{"stack.dr.yaml", 4, 3}));
  EXPECT_EQ(doc->keys.at("/regions/dr"), (model::SourceRange{"stack.dr.yaml", 2, 32}));
  EXPECT_EQ(doc->values.at("/regions/dr"), (model::SourceRange{"stack.dr.yaml", 2, 36}));
  EXPECT_EQ(doc->keys.at("/workloads/assets/list/1"), (model::SourceRange{"stack.dr.yaml", 14, 9}));
  // An empty value has no mark of its own: its key stands in.
  EXPECT_EQ(doc->value_at("/workloads/assets/empty"), (model::SourceRange{"stack.dr.yaml", 11, 5}));
  // Unknown pointers fall back to the nearest ancestor.
  EXPECT_EQ(doc->key_at("/workloads/assets/nope/deeper"), (model::SourceRange{"stack.dr.yaml", 4, 3}));
}

TEST(Document, TypesScalarsTheYaml12Way) {
  model::Diagnostics diags;
  auto doc = load_yaml_text(kText, "s.dr.yaml", diags);
  ASSERT_TRUE(doc) << dump(diags);
  const auto& a = doc->value["workloads"]["assets"];
  EXPECT_EQ(doc->value["version"], 1);
  EXPECT_TRUE(doc->value["version"].is_number_integer());
  EXPECT_EQ(a["rtc"], true);
  EXPECT_EQ(a["quoted"], "true");
  EXPECT_EQ(a["count"], 42);
  EXPECT_DOUBLE_EQ(a["ratio"].get<double>(), 1.5);
  EXPECT_EQ(a["word"], "yes");  // YAML 1.1 booleans stay strings
  EXPECT_TRUE(a["empty"].is_null());
  EXPECT_EQ(a["list"], nlohmann::json({"a", "7"}));
}

TEST(Document, MalformedYamlIsAnErrorAtTheParserMark) {
  model::Diagnostics diags;
  auto doc = load_yaml_text("a: 1\nb: [1, 2\nc: 3\n", "bad.dr.yaml", diags);
  EXPECT_FALSE(doc);
  ASSERT_EQ(diags.size(), 1u) << dump(diags);
  EXPECT_EQ(diags[0].severity, model::Severity::error);
  EXPECT_EQ(diags[0].summary, "malformed YAML: end of sequence flow not found");
  EXPECT_EQ(diags[0].where, (model::SourceRange{"bad.dr.yaml", 3, 2}));
}

// Found by the config_stack fuzzer (regression-invalid-utf8.yaml in its corpus): a truncated
// UTF-8 sequence reached the JSON Schema validator, which read past the string.
TEST(Document, InvalidUtf8IsAnErrorAtTheByte) {
  model::Diagnostics diags;
  EXPECT_FALSE(load_yaml_text("stack: shop\nsource: order\xB0\xB0s\n", "bad.dr.yaml", diags));
  ASSERT_EQ(diags.size(), 1u) << dump(diags);
  EXPECT_EQ(diags[0].summary, "invalid UTF-8 (byte 0xB0): YAML files must be UTF-8");
  EXPECT_EQ(diags[0].where, (model::SourceRange{"bad.dr.yaml", 2, 14}));
  for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82"}) {
    model::Diagnostics d;
    EXPECT_FALSE(load_yaml_text(std::string("a: ") + bad + "\n", "x.dr.yaml", d)) << bad;  // overlong, surrogate, > U+10FFFF, truncated
  }
  model::Diagnostics ok;
  EXPECT_TRUE(load_yaml_text("name: \"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"\n", "ok.dr.yaml", ok)) << dump(ok);
}

TEST(Document, DuplicateKeysAreErrorsAtTheRepeat) {
  model::Diagnostics diags;
  auto doc = load_yaml_text("a:\n  x: 1\n  y: 2\n  x: 3\n", "dup.dr.yaml", diags);
  EXPECT_FALSE(doc);
  ASSERT_EQ(diags.size(), 1u) << dump(diags);
  EXPECT_EQ(diags[0].summary, "duplicate key 'x'");
  EXPECT_EQ(diags[0].field, "a.x");
  EXPECT_EQ(diags[0].where, (model::SourceRange{"dup.dr.yaml", 4, 3}));
  EXPECT_EQ(diags[0].detail, "first defined at line 2");
}

TEST(Document, FieldPathsShowListIndexes) {
  auto root = nlohmann::json::parse(R"({"backups":{"select":{"resources":["a","b"]}},"m":{"0":1}})");
  EXPECT_EQ(field_of(root, "/backups/select/resources/1"), "backups.select.resources[1]");
  EXPECT_EQ(field_of(root, "/m/0"), "m.0");
  EXPECT_EQ(pointer_append("/a", "x/y~z"), "/a/x~1y~0z");
}

}  // namespace
}  // namespace config
