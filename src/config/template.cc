#include "config/template.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include <openssl/evp.h>

#include "model/duration.h"

#include "config/digest.h"

namespace config {

namespace {

using nlohmann::json;
using model::err;
using Value = model::Result<json, std::string>;

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

Value duration_in(const json& v, long long unit, const char* unit_name) {
  if (v.is_null()) return json(nullptr);
  if (!v.is_string()) return err(std::string("expected a duration string, got ") + v.dump());
  const auto d = model::parse_duration(v.get<std::string>());
  if (!d) return err("invalid duration '" + v.get<std::string>() + "'");
  if (d->count() % unit != 0)
    return err("duration '" + v.get<std::string>() + "' is not a whole number of " + unit_name);
  return json(d->count() / unit);
}


// Text of a scalar for string()/concat(): strings as they are, numbers and booleans as JSON.
std::optional<std::string> text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return std::nullopt;
}

// 4 or 6 for an IPv4 or IPv6 address, else 0.
int ip_version(const json& v) {
  if (!v.is_string()) return 0;
  const std::string s = v.get<std::string>();
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return 4;
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return 6;
  return 0;
}

class Parser {
 public:
  Parser(std::string_view s, const TemplateContext& ctx) : s_(s), ctx_(ctx) {}

  Value parse_all() {
    auto v = expr();
    if (!v) return v;
    skip_ws();
    if (i_ != s_.size()) return err("unexpected '" + std::string(s_.substr(i_)) + "'");
    return v;
  }

 private:
  void skip_ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }

  Value expr() {
    skip_ws();
    if (i_ >= s_.size()) return err(std::string("expression expected"));
    const char c = s_[i_];
    if (c == '\'') {
      std::string out;
      ++i_;
      while (i_ < s_.size() && s_[i_] != '\'') out += s_[i_++];
      if (i_ >= s_.size()) return err(std::string("unterminated string literal"));
      ++i_;
      return json(out);
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && i_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_ + 1])))) {
      const size_t start = i_++;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
      return json(std::stoll(std::string(s_.substr(start, i_ - start))));
    }
    if (!is_ident_start(c)) return err("unexpected '" + std::string(1, c) + "'");
    std::string name = ident();
    skip_ws();
    if (i_ < s_.size() && s_[i_] == '(') {
      ++i_;
      std::vector<json> args;
      skip_ws();
      if (i_ < s_.size() && s_[i_] == ')') {
        ++i_;
      } else {
        while (true) {
          auto a = expr();
          if (!a) return a;
          args.push_back(std::move(*a));
          skip_ws();
          if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
          if (i_ < s_.size() && s_[i_] == ')') { ++i_; break; }
          return err("expected ',' or ')' in call to " + name);
        }
      }
      auto result = call(name, args);
      if (!result) return result;
      return fields(std::move(*result));
    }
    if (name == "true") return json(true);
    if (name == "false") return json(false);
    if (name == "null") return json(nullptr);
    if (!ctx_.values.contains(name)) {
      std::string known;
      for (const auto& [k, _] : ctx_.values.items()) known += (known.empty() ? "" : ", ") + k;
      return err("unknown name '" + name + "' (known: " + known + ")");
    }
    return fields(ctx_.values[name]);
  }

  // `.field` accessors after a name or a call; a missing field is null.
  Value fields(json cur) {
    while (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (i_ >= s_.size() || !is_ident(s_[i_])) return err("field name expected after '.'");
      const std::string field = ident();
      cur = cur.is_object() && cur.contains(field) ? json(cur[field]) : json(nullptr);
    }
    return cur;
  }

  std::string ident() {
    const size_t start = i_;
    while (i_ < s_.size() && is_ident(s_[i_])) ++i_;
    return std::string(s_.substr(start, i_ - start));
  }

  Value call(const std::string& f, const std::vector<json>& a) {
    auto need = [&](size_t n) -> std::optional<std::string> {
      if (a.size() != n) return f + "() takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s");
      return std::nullopt;
    };
    if (f == "map") { if (auto e = need(0)) return err(*e); return json::object(); }
    if (f == "list") return json(a);
    if (f == "default") { if (auto e = need(2)) return err(*e); return a[0].is_null() ? a[1] : a[0]; }
    if (f == "if") { if (auto e = need(3)) return err(*e); return truthy(a[0]) ? a[1] : a[2]; }
    if (f == "not") { if (auto e = need(1)) return err(*e); return json(!truthy(a[0])); }
    if (f == "eq") { if (auto e = need(2)) return err(*e); return json(a[0] == a[1]); }
    if (f == "and" || f == "or") {
      if (a.empty()) return err(f + "() needs arguments");
      bool r = f == "and";
      for (const auto& x : a) r = f == "and" ? (r && truthy(x)) : (r || truthy(x));
      return json(r);
    }
    if (f == "contains") {
      if (auto e = need(2)) return err(*e);
      if (!a[0].is_array()) return json(false);
      for (const auto& x : a[0]) if (x == a[1]) return json(true);
      return json(false);
    }
    if (f == "has_kind") {
      if (auto e = need(1)) return err(*e);
      for (const auto& k : ctx_.kinds) if (a[0] == k) return json(true);
      return json(false);
    }
    if (f == "lower" || f == "upper") {
      if (auto e = need(1)) return err(*e);
      if (!a[0].is_string()) return err(f + "() takes a string");
      std::string s = a[0].get<std::string>();
      for (auto& c : s)
        c = static_cast<char>(f == "lower" ? std::tolower(static_cast<unsigned char>(c)) : std::toupper(static_cast<unsigned char>(c)));
      return json(s);
    }
    if (f == "string") {
      if (auto e = need(1)) return err(*e);
      if (a[0].is_null()) return json(nullptr);
      auto t = text_of(a[0]);
      if (!t) return err(std::string("string() takes a scalar, got ") + a[0].dump());
      return json(*t);
    }
    if (f == "concat") {
      std::string out;
      for (const auto& x : a) {
        auto t = text_of(x);
        if (!t) return err(std::string("concat() takes strings, numbers or booleans, got ") + x.dump());
        out += *t;
      }
      return json(out);
    }
    if (f == "sha256") {
      if (auto e = need(1)) return err(*e);
      if (!a[0].is_string()) return err(std::string("sha256() takes a string"));
      return json(sha256_hex(a[0].get<std::string>()));
    }
    if (f == "truncate") {
      if (auto e = need(2)) return err(*e);
      if (!a[0].is_string() || !a[1].is_number_integer() || a[1].get<long long>() < 0)
        return err(std::string("truncate() takes a string and a length"));
      return json(a[0].get<std::string>().substr(0, static_cast<size_t>(a[1].get<long long>())));
    }
    if (f == "fqdn") {
      if (auto e = need(1)) return err(*e);
      if (a[0].is_null()) return json(nullptr);
      if (!a[0].is_string()) return err(std::string("fqdn() takes a string"));
      std::string s = a[0].get<std::string>();
      for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (s.empty() || s.back() != '.') s += '.';
      return json(s);
    }
    if (f == "ip_version") { if (auto e = need(1)) return err(*e); return json(ip_version(a[0])); }
    if (f == "get") {
      if (auto e = need(2)) return err(*e);
      if (a[0].is_object() && a[1].is_string()) return a[0].value(a[1].get<std::string>(), json());
      if (a[0].is_array() && a[1].is_number_integer() && a[1].get<long long>() >= 0 &&
          static_cast<size_t>(a[1].get<long long>()) < a[0].size())
        return a[0][static_cast<size_t>(a[1].get<long long>())];
      return json(nullptr);
    }
    if (f == "length") {
      if (auto e = need(1)) return err(*e);
      if (a[0].is_null()) return json(0);
      if (a[0].is_string()) return json(a[0].get<std::string>().size());
      if (a[0].is_structured()) return json(a[0].size());
      return err(std::string("length() takes a string, list or mapping"));
    }
    if (f == "max" || f == "min") {
      // Nulls are skipped (so optional fields can be passed as they are); null if none is left.
      json best;
      for (const auto& x : a) {
        if (x.is_null()) continue;
        if (!x.is_number()) return err(f + "() takes numbers, got " + x.dump());
        if (best.is_null() || (f == "max" ? x > best : x < best)) best = x;
      }
      return best;
    }
    if (f == "gt" || f == "lt") {
      if (auto e = need(2)) return err(*e);
      if (!a[0].is_number() || !a[1].is_number()) return err(f + "() takes two numbers");
      return json(f == "gt" ? a[0] > a[1] : a[0] < a[1]);
    }
    if (f == "duration_days") { if (auto e = need(1)) return err(*e); return duration_in(a[0], 86400, "days"); }
    if (f == "duration_minutes") { if (auto e = need(1)) return err(*e); return duration_in(a[0], 60, "minutes"); }
    if (f == "duration_seconds") { if (auto e = need(1)) return err(*e); return duration_in(a[0], 1, "seconds"); }
    if (f == "duration_milliseconds") {
      if (auto e = need(1)) return err(*e);
      auto v = duration_in(a[0], 1, "seconds");
      if (!v || v->is_null()) return v;
      return json(v->get<long long>() * 1000);
    }
    return err("unknown function '" + f + "'");
  }

  std::string_view s_;
  size_t i_ = 0;
  const TemplateContext& ctx_;
};

// Finds the '}' closing an expression that starts at `from`, skipping quoted text.
size_t closing_brace(const std::string& s, size_t from) {
  bool quoted = false;
  for (size_t i = from; i < s.size(); ++i) {
    if (s[i] == '\'') quoted = !quoted;
    else if (s[i] == '}' && !quoted) return i;
  }
  return std::string::npos;
}

std::optional<json> render_node(const json& t, const TemplateContext& ctx, const std::string& pointer,
                                std::optional<TemplateError>& error) {
  if (error) return std::nullopt;
  if (t.is_string()) {
    auto v = render_string(t.get<std::string>(), ctx);
    if (!v) { error = TemplateError{pointer, v.error()}; return std::nullopt; }
    return *v;
  }
  if (t.is_object()) {
    if (t.contains("$when")) {
      const json& w = t["$when"];
      json cond = w;
      if (w.is_string()) {
        auto v = render_string(w.get<std::string>(), ctx);
        if (!v) { error = TemplateError{pointer + "/$when", v.error()}; return std::nullopt; }
        cond = *v;
      }
      if (!truthy(cond)) return std::nullopt;
    }
    json out = json::object();
    for (const auto& [k, v] : t.items()) {
      if (k == "$when") continue;
      auto r = render_node(v, ctx, pointer + "/" + k, error);
      if (error) return std::nullopt;
      if (r && !r->is_null()) out[k] = std::move(*r);
    }
    return out;
  }
  if (t.is_array()) {
    json out = json::array();
    for (size_t i = 0; i < t.size(); ++i) {
      const std::string item_pointer = pointer + "/" + std::to_string(i);
      if (t[i].is_object() && t[i].contains("$for")) {
        // One item per element of the list, with the element bound to `item`.
        const json& f = t[i]["$for"];
        auto list = f.is_string() ? render_string(f.get<std::string>(), ctx) : model::Result<json, std::string>(f);
        if (!list) { error = TemplateError{item_pointer + "/$for", list.error()}; return std::nullopt; }
        if (list->is_null()) continue;
        if (!list->is_array()) { error = TemplateError{item_pointer + "/$for", "$for needs a list, got " + list->dump()}; return std::nullopt; }
        json body = t[i];
        body.erase("$for");
        for (const auto& element : *list) {
          TemplateContext each = ctx;
          each.values["item"] = element;
          auto r = render_node(body, each, item_pointer, error);
          if (error) return std::nullopt;
          if (r) out.push_back(std::move(*r));
        }
        continue;
      }
      auto r = render_node(t[i], ctx, item_pointer, error);
      if (error) return std::nullopt;
      if (r) out.push_back(std::move(*r));
    }
    return out;
  }
  return t;
}

}  // namespace

bool truthy(const json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v != 0;
  if (v.is_string() || v.is_structured()) return !v.empty();
  return true;
}

model::Result<json, std::string> evaluate_expression(std::string_view expr, const TemplateContext& ctx) {
  return Parser(expr, ctx).parse_all();
}

model::Result<json, std::string> render_string(const std::string& s, const TemplateContext& ctx) {
  // Whole-string expression: keep the JSON type.
  if (s.size() >= 3 && s.rfind("${", 0) == 0 && closing_brace(s, 2) == s.size() - 1)
    return evaluate_expression(std::string_view(s).substr(2, s.size() - 3), ctx);
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s.compare(i, 3, "$${") == 0) { out += "${"; i += 3; continue; }
    if (s.compare(i, 2, "${") == 0) {
      const size_t close = closing_brace(s, i + 2);
      if (close == std::string::npos) return err("unterminated '${' in '" + s + "'");
      const std::string expr = s.substr(i + 2, close - i - 2);
      auto v = evaluate_expression(expr, ctx);
      if (!v) return v;
      if (v->is_null()) return err("'" + expr + "' is not set, so it cannot be spliced into text");
      if (v->is_structured()) return err("'" + expr + "' is a " + (v->is_array() ? "list" : "mapping") + " and cannot be spliced into text");
      out += v->is_string() ? v->get<std::string>() : v->dump();
      i = close + 1;
      continue;
    }
    out += s[i++];
  }
  return json(out);
}

model::Result<json, TemplateError> render(const json& tmpl, const TemplateContext& ctx) {
  std::optional<TemplateError> error;
  auto r = render_node(tmpl, ctx, "", error);
  if (error) return err(*error);
  return r ? *r : json(nullptr);
}

}  // namespace config
