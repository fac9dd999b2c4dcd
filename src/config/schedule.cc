#include "config/schedule.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

namespace config {

namespace {

using model::err;
using Error = std::string;

const std::array<const char*, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                             "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const std::array<const char*, 7> kDays = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

struct FieldInfo {
  const char* name;
  int lo, hi;
  bool month_names = false, day_names = false;
};

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t p = s.find(sep, start);
    out.emplace_back(s.substr(start, p == std::string_view::npos ? s.npos : p - start));
    if (p == std::string_view::npos) return out;
    start = p + 1;
  }
}

std::optional<int> value_of(const std::string& tok, const FieldInfo& f) {
  if (!tok.empty() && std::all_of(tok.begin(), tok.end(), ::isdigit) && tok.size() <= 4)
    return std::stoi(tok);
  std::string up = tok;
  for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (f.month_names)
    for (size_t i = 0; i < kMonths.size(); ++i)
      if (up == kMonths[i]) return static_cast<int>(i) + 1;
  if (f.day_names)
    for (size_t i = 0; i < kDays.size(); ++i)
      if (up == kDays[i]) return static_cast<int>(i) + 1;
  return std::nullopt;
}

// Parses one cron field made of *, lists, ranges and steps into `set` (indexed by value).
template <typename Set>
std::optional<Error> parse_field(const std::string& text, const FieldInfo& f, Set& set) {
  const std::string range_text =
      std::to_string(f.lo) + "-" + std::to_string(f.hi);
  for (const auto& item : split(text, ',')) {
    if (item.empty()) return std::string(f.name) + ": empty list item in '" + text + "'";
    std::string base = item;
    int step = 1;
    if (const auto slash = item.find('/'); slash != std::string::npos) {
      base = item.substr(0, slash);
      const std::string s = item.substr(slash + 1);
      if (s.empty() || s.size() > 4 || !std::all_of(s.begin(), s.end(), ::isdigit) || std::stoi(s) == 0)
        return std::string(f.name) + ": invalid step in '" + item + "'";
      step = std::stoi(s);
    }
    int lo = f.lo, hi = f.hi;
    if (base == "*") {
      // whole range
    } else if (const auto dash = base.find('-'); dash != std::string::npos && dash > 0) {
      const auto a = value_of(base.substr(0, dash), f), b = value_of(base.substr(dash + 1), f);
      if (!a || !b) return std::string(f.name) + ": invalid range '" + base + "'";
      lo = *a;
      hi = *b;
      if (lo > hi) return std::string(f.name) + ": range '" + base + "' runs backwards";
    } else {
      const auto v = value_of(base, f);
      if (!v) return std::string(f.name) + ": invalid value '" + base + "'";
      lo = *v;
      // "a/n" means from a to the end in steps of n.
      hi = item.find('/') != std::string::npos ? f.hi : *v;
    }
    if (lo < f.lo || hi > f.hi)
      return std::string(f.name) + ": '" + item + "' is outside " + range_text;
    for (int v = lo; v <= hi; v += step) set[v - f.lo] = true;
  }
  return std::nullopt;
}

std::optional<Error> parse_dom(const std::string& t, CronSpec& c) {
  const FieldInfo f{"day-of-month", 1, 31};
  if (t == "?") { c.dom_question = true; return std::nullopt; }
  if (t == "L") { c.dom_last = true; return std::nullopt; }
  if (t == "LW") { c.dom_last_weekday = true; return std::nullopt; }
  if (t.size() >= 2 && t.back() == 'W') {
    const auto v = value_of(t.substr(0, t.size() - 1), f);
    if (!v || *v < 1 || *v > 31) return "day-of-month: invalid nearest-weekday '" + t + "'";
    c.dom_nearest_weekday = *v;
    return std::nullopt;
  }
  std::bitset<31> days;
  if (auto e = parse_field(t, f, days)) return e;
  for (int d = 1; d <= 31; ++d) c.dom[d] = days[d - 1];
  return std::nullopt;
}

std::optional<Error> parse_dow(const std::string& t, CronSpec& c) {
  const FieldInfo f{"day-of-week", 1, 7, false, true};
  if (t == "?") { c.dow_question = true; return std::nullopt; }
  if (t == "L") { c.dow[7] = true; return std::nullopt; }  // L alone = Saturday (Quartz)
  if (const auto hash = t.find('#'); hash != std::string::npos) {
    const auto d = value_of(t.substr(0, hash), f);
    const std::string k = t.substr(hash + 1);
    if (!d || *d < 1 || *d > 7 || k.size() != 1 || k[0] < '1' || k[0] > '5')
      return "day-of-week: invalid '#' form '" + t + "' (want e.g. 2#1, the first Monday)";
    c.dow_nth_day = *d;
    c.dow_nth = k[0] - '0';
    return std::nullopt;
  }
  if (t.size() >= 2 && t.back() == 'L') {
    const auto d = value_of(t.substr(0, t.size() - 1), f);
    if (!d || *d < 1 || *d > 7) return "day-of-week: invalid last-day form '" + t + "'";
    c.dow_last = *d;
    return std::nullopt;
  }
  std::bitset<7> days;
  if (auto e = parse_field(t, f, days)) return e;
  for (int d = 1; d <= 7; ++d) c.dow[d] = days[d - 1];
  return std::nullopt;
}

model::Result<Schedule, Error> parse_cron(std::string_view body, Schedule s) {
  std::vector<std::string> fields;
  std::string cur;
  for (char ch : body) {
    if (ch == ' ' || ch == '\t') {
      if (!cur.empty()) fields.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) fields.push_back(std::move(cur));
  if (fields.size() != 6)
    return err("cron needs 6 fields (minutes hours day-of-month month day-of-week year), got " +
               std::to_string(fields.size()));
  CronSpec& c = s.cron;
  if (auto e = parse_field(fields[0], {"minutes", 0, 59}, c.minutes)) return err(*e);
  if (auto e = parse_field(fields[1], {"hours", 0, 23}, c.hours)) return err(*e);
  if (auto e = parse_dom(fields[2], c)) return err(*e);
  std::bitset<12> months;
  if (auto e = parse_field(fields[3], {"month", 1, 12, true}, months)) return err(*e);
  for (int m = 1; m <= 12; ++m) c.months[m] = months[m - 1];
  if (auto e = parse_dow(fields[4], c)) return err(*e);
  c.years.assign(kMaxYear - kMinYear + 1, false);
  if (auto e = parse_field(fields[5], {"year", kMinYear, kMaxYear}, c.years)) return err(*e);
  if (c.dom_question == c.dow_question)
    return err(std::string("day-of-month and day-of-week: exactly one must be '?'"));
  return s;
}

model::Result<Schedule, Error> parse_rate(std::string_view body, Schedule s) {
  static const std::regex re(R"(\s*([0-9]{1,6}) +(minute|minutes|hour|hours|day|days)\s*)");
  std::cmatch m;
  if (!std::regex_match(body.begin(), body.end(), m, re))
    return err(std::string("rate needs 'N unit' with unit minute(s), hour(s) or day(s)"));
  const long n = std::stol(m[1].str());
  const std::string unit = m[2].str();
  if (n <= 0) return err(std::string("rate value must be positive"));
  const bool plural = unit.back() == 's';
  if ((n == 1) == plural)
    return err(n == 1 ? std::string("rate of 1 takes a singular unit (e.g. 'rate(1 hour)')")
                      : std::string("rate above 1 takes a plural unit (e.g. 'rate(2 hours)')"));
  const long size = unit[0] == 'm' ? 60 : unit[0] == 'h' ? 3600 : 86400;
  s.kind = Schedule::Kind::rate;
  s.every = model::Seconds(n * size);
  return s;
}

int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : d[m - 1];
}

// dow: 1 = Sunday.
bool day_matches(const CronSpec& c, int day, int dim, int dow, int y, int m) {
  if (!c.dom_question) {
    if (c.dom_last) return day == dim;
    auto weekday = [&](int d) { return ((dow - 1 + (d - day)) % 7 + 7) % 7 + 1; };
    if (c.dom_last_weekday) {
      int d = dim;
      while (weekday(d) == 1 || weekday(d) == 7) --d;
      return day == d;
    }
    if (c.dom_nearest_weekday) {
      int n = c.dom_nearest_weekday;
      if (n > dim) return false;
      const int w = weekday(n);
      if (w == 7) n = n == 1 ? 3 : n - 1;          // Saturday -> Friday (or Monday on the 1st)
      else if (w == 1) n = n == dim ? n - 2 : n + 1;  // Sunday -> Monday (or Friday at month end)
      return day == n;
    }
    return c.dom[day];
  }
  if (c.dow_last) return dow == c.dow_last && day + 7 > dim;
  if (c.dow_nth) return dow == c.dow_nth_day && (day - 1) / 7 + 1 == c.dow_nth;
  return c.dow[dow];
}

struct Gaps {
  long long longest = -1, shortest = -1;
  long long runs = 0;
};

Gaps cron_gaps(const CronSpec& c) {
  std::vector<int> times;  // minutes of the day
  for (int h = 0; h < 24; ++h)
    for (int m = 0; m < 60; ++m)
      if (c.hours[h] && c.minutes[m]) times.push_back(h * 60 + m);
  Gaps g;
  if (times.empty()) return g;
  long long intra_max = -1, intra_min = -1;
  for (size_t i = 1; i < times.size(); ++i) {
    const long long d = times[i] - times[i - 1];
    intra_max = std::max(intra_max, d);
    intra_min = intra_min < 0 ? d : std::min(intra_min, d);
  }
  long long dayno = 0, last_day = -1;
  int dow = 5;  // 1970-01-01 was a Thursday
  for (int y = kMinYear; y <= kMaxYear; ++y) {
    for (int m = 1; m <= 12; ++m) {
      const int dim = days_in_month(y, m);
      const bool month_ok = c.years[y - kMinYear] && c.months[m];
      for (int d = 1; d <= dim; ++d, ++dayno, dow = dow % 7 + 1) {
        if (!month_ok || !day_matches(c, d, dim, dow, y, m)) continue;
        if (last_day >= 0) {
          const long long gap = (dayno - last_day) * 1440 + times.front() - times.back();
          g.longest = std::max(g.longest, gap);
          g.shortest = g.shortest < 0 ? gap : std::min(g.shortest, gap);
        }
        if (intra_max >= 0) {
          g.longest = std::max(g.longest, intra_max);
          g.shortest = g.shortest < 0 ? intra_min : std::min(g.shortest, intra_min);
        }
        g.runs += static_cast<long long>(times.size());
        last_day = dayno;
      }
    }
  }
  return g;
}

}  // namespace

model::Result<Schedule, std::string> parse_schedule(std::string_view text) {
  Schedule s;
  s.text = std::string(text);
  const auto open = text.find('(');
  if (open == std::string_view::npos || text.empty() || text.back() != ')')
    return err(std::string("expected cron(...) or rate(...)"));
  const std::string_view head = text.substr(0, open);
  const std::string_view body = text.substr(open + 1, text.size() - open - 2);
  if (head == "cron") return parse_cron(body, std::move(s));
  if (head == "rate") return parse_rate(body, std::move(s));
  return err("unknown schedule kind '" + std::string(head) + "' (expected cron or rate)");
}

std::optional<model::Seconds> interval_of(const Schedule& s) {
  if (s.kind == Schedule::Kind::rate) return s.every;
  const Gaps g = cron_gaps(s.cron);
  if (g.runs < 2) return std::nullopt;
  return model::Seconds(g.longest * 60);
}

std::optional<model::Seconds> interval_of(std::string_view text) {
  auto s = parse_schedule(text);
  if (!s) return std::nullopt;
  return interval_of(*s);
}

std::optional<model::Seconds> shortest_interval_of(const Schedule& s) {
  if (s.kind == Schedule::Kind::rate) return s.every;
  const Gaps g = cron_gaps(s.cron);
  if (g.runs < 2) return std::nullopt;
  return model::Seconds(g.shortest * 60);
}

}  // namespace config
