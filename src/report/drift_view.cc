#include "report/drift_view.h"

#include <algorithm>

#include <fmt/format.h>

#include "report/text.h"

namespace report {
namespace {

using nlohmann::json;

std::string plural(int n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string summary_line(const DriftView& v) {
  if (v.entries.empty())
    return fmt::format("No drift: {} match what drctl applied.", plural(v.checked, "resource", "resources"));
  return fmt::format("{} of {} resources differ from what drctl applied: {} critical, {} warning, {} info.",
                     v.entries.size(), v.checked, v.critical, v.warning, v.info);
}

json impact_json(const plan::DriftImpact& i) {
  return {{"grade", plan::drift_grade_name(i.grade)}, {"effect", i.effect}};
}

// ---------------------------------------------------------------- Markdown

// A table cell: no line breaks, no column breaks, no raw HTML (GitHub renders it).
std::string md_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\n': case '\r': out += ' '; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '`': out += "'"; break;  // values go inside code spans
      default: out += c;
    }
  }
  return out;
}

std::string md_code(const std::string& s) { return "`" + md_cell(s) + "`"; }

const char* md_badge(plan::DriftGrade g) {
  switch (g) {
    case plan::DriftGrade::critical: return "🔴 **critical**";
    case plan::DriftGrade::warning: return "🟠 warning";
    case plan::DriftGrade::info: return "⚪ info";
  }
  return "?";
}

// ---------------------------------------------------------------- HTML

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

const char* grade_class(plan::DriftGrade g) {
  switch (g) {
    case plan::DriftGrade::critical: return "critical";
    case plan::DriftGrade::warning: return "warning";
    case plan::DriftGrade::info: return "info";
  }
  return "info";
}

// Badge colours; the SVG uses the same ones so the picture and the table agree.
const char* grade_fill(plan::DriftGrade g) {
  switch (g) {
    case plan::DriftGrade::critical: return "#c62828";
    case plan::DriftGrade::warning: return "#ef8f00";
    case plan::DriftGrade::info: return "#78909c";
  }
  return "#78909c";
}

constexpr const char* kCss =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1f2328;background:#fff}"
    "h1{font-size:24px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px}"
    "table{border-collapse:collapse;margin:8px 0;width:100%}th,td{border:1px solid #d0d7de;padding:6px 8px;"
    "text-align:left;vertical-align:top;font-size:14px}th{background:#f6f8fa}"
    "code{font-family:ui-monospace,monospace;background:#f6f8fa;padding:1px 4px;border-radius:4px}"
    ".badge{display:inline-block;padding:2px 10px;border-radius:10px;color:#fff;font-weight:700;font-size:13px}"
    ".badge.critical{background:#c62828}.badge.warning{background:#ef8f00}.badge.info{background:#78909c}"
    "td.nw{white-space:nowrap}.clean{color:#1a7f37;font-weight:700}.summary{font-size:16px;margin:8px 0 16px}"
    "section.entry{border-left:6px solid #d0d7de;padding:4px 12px;margin:16px 0}"
    "section.entry.critical{border-color:#c62828}section.entry.warning{border-color:#ef8f00}"
    "section.entry.info{border-color:#78909c}.effect{margin:4px 0}";

// The topology picture: primary and DR region boxes (global services above), each drifted
// resource drawn in its side's box with its grade's colour.
std::string topology_svg(const DriftView& v) {
  std::vector<const plan::RankedDrift*> sides[3];  // primary, dr, global
  for (const auto& r : v.entries) {
    const auto side = drift_side(r.entry, v);
    sides[side == "primary" ? 0 : side == "dr" ? 1 : 2].push_back(&r);
  }
  constexpr int kWidth = 1000, kRow = 30, kBoxW = 430;
  const int global_h = sides[2].empty() ? 0 : 50 + kRow * static_cast<int>(sides[2].size());
  const int rows = static_cast<int>(std::max({sides[0].size(), sides[1].size(), size_t{1}}));
  const int box_top = 10 + (global_h ? global_h + 20 : 0), box_h = 60 + kRow * rows;
  const int height = box_top + box_h + 10;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"topology\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"system-ui,sans-serif\" font-size=\"14\">\n",
      kWidth, height);
  auto rows_in = [&](const std::vector<const plan::RankedDrift*>& list, int x, int y, int w) {
    if (list.empty()) {
      out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#1a7f37\" font-weight=\"700\">no drift</text>\n", x + 16, y + 20);
      return;
    }
    for (const auto* r : list) {
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{}\"/>\n", x + 12, y,
                         w - 24, kRow - 6, grade_fill(r->impact.grade));
      out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#fff\" font-weight=\"700\">{} {}</text>\n", x + 22, y + 17,
                         esc(plan::drift_grade_name(r->impact.grade)), esc(r->entry.address));
      y += kRow;
    }
  };
  auto box = [&](int x, int y, int w, int h, const std::string& title, const std::vector<const plan::RankedDrift*>& list) {
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"10\" fill=\"#f6f8fa\" stroke=\"#57606a\" "
                       "stroke-width=\"2\"/>\n", x, y, w, h);
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"16\" font-weight=\"700\" fill=\"#1f2328\">{}</text>\n",
                       x + 14, y + 26, esc(title));
    rows_in(list, x, y + 42, w);
  };
  if (global_h) box(20, 10, kWidth - 40, global_h, "global (IAM, Route 53)", sides[2]);
  box(20, box_top, kBoxW, box_h, "primary: " + v.primary_region, sides[0]);
  box(kWidth - 20 - kBoxW, box_top, kBoxW, box_h, "DR: " + v.dr_region, sides[1]);
  const int arrow_y = box_top + 26, x1 = 20 + kBoxW + 8, x2 = kWidth - 20 - kBoxW - 8;
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#57606a\" stroke-width=\"3\"/>\n", x1,
                     arrow_y, x2 - 10, arrow_y);
  out += fmt::format("<polygon points=\"{},{} {},{} {},{}\" fill=\"#57606a\"/>\n", x2, arrow_y, x2 - 12, arrow_y - 7,
                     x2 - 12, arrow_y + 7);
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#57606a\">replication</text>\n",
                     (x1 + x2) / 2, arrow_y - 8);
  out += "</svg>\n";
  return out;
}

}  // namespace

std::string drift_side(const plan::DriftEntry& e, const DriftView& v) {
  if (e.type.rfind("iam.", 0) == 0 || e.type.rfind("route53.", 0) == 0) return "global";
  if (e.region == v.primary_region) return "primary";
  if (e.region == v.dr_region) return "dr";
  return "global";
}

DriftView make_drift_view(const plan::DriftReport& r, const std::string& primary_region, const std::string& dr_region) {
  DriftView v;
  v.stack = r.stack;
  v.primary_region = primary_region;
  v.dr_region = dr_region;
  v.checked = r.checked;
  v.drifted = r.drifted();
  v.unreadable = r.unreadable();
  v.entries = plan::rank_drift(r);
  v.not_applied = r.not_applied;
  for (const auto& e : v.entries) {
    switch (e.impact.grade) {
      case plan::DriftGrade::critical: ++v.critical; break;
      case plan::DriftGrade::warning: ++v.warning; break;
      case plan::DriftGrade::info: ++v.info; break;
    }
  }
  return v;
}

json drift_json(const DriftView& v) {
  // The entry shape is plan::to_json's, so both stay one definition; impacts are added to it.
  plan::DriftReport ranked;
  ranked.stack = v.stack;
  ranked.checked = v.checked;
  ranked.not_applied = v.not_applied;
  for (const auto& e : v.entries) ranked.entries.push_back(e.entry);
  json out = plan::to_json(ranked);
  for (size_t i = 0; i < v.entries.size(); ++i) {
    auto& entry = out["entries"][i];
    entry["impact"] = impact_json(v.entries[i].impact);
    for (size_t a = 0; a < v.entries[i].attr_impacts.size(); ++a)
      entry["attributes"][a]["impact"] = impact_json(v.entries[i].attr_impacts[a]);
  }
  out["primary_region"] = v.primary_region;
  out["dr_region"] = v.dr_region;
  out["impact_counts"] = {{"critical", v.critical}, {"warning", v.warning}, {"info", v.info}};
  return out;
}

std::string drift_markdown(const DriftView& v) {
  std::string out = fmt::format("## drctl drift: {}\n\n", md_code(v.stack));
  out += fmt::format("**{}** Primary {}, DR {}.\n\n", summary_line(v), md_cell(v.primary_region), md_cell(v.dr_region));
  if (!v.entries.empty()) {
    out += "| impact | resource | region | workload | what it does to recovery |\n|---|---|---|---|---|\n";
    for (const auto& r : v.entries)
      out += fmt::format("| {} | {} ({}) | {} | {} | {} |\n", md_badge(r.impact.grade), md_code(r.entry.address),
                         plan::drift_kind_name(r.entry.kind), md_cell(r.entry.region),
                         r.entry.workload.empty() ? "-" : md_cell(r.entry.workload), md_cell(r.impact.effect));
    for (const auto& r : v.entries) {
      out += fmt::format("\n### {} {}\n\n", md_code(r.entry.address), plan::drift_kind_name(r.entry.kind));
      out += fmt::format("{}: {}\n", md_badge(r.impact.grade), md_cell(r.impact.effect));
      if (!r.entry.detail.empty()) out += fmt::format("\n> {}\n", md_cell(r.entry.detail));
      if (r.entry.attrs.empty()) continue;
      out += "\n| attribute | expected (applied) | live | impact |\n|---|---|---|---|\n";
      for (size_t i = 0; i < r.entry.attrs.size(); ++i) {
        const auto& a = r.entry.attrs[i];
        out += fmt::format("| {} | {} | {} | {}: {} |\n", md_code(a.path), md_code(value_text(a.expected)),
                           md_code(value_text(a.actual)), plan::drift_grade_name(r.attr_impacts[i].grade),
                           md_cell(r.attr_impacts[i].effect));
      }
    }
    if (v.drifted) out += "\nRun `drctl apply` on the stack to restore what drifted.\n";
  }
  if (!v.not_applied.empty())
    out += fmt::format("\n{} in the configuration not applied yet (pending, not drift).\n",
                       plural(static_cast<int>(v.not_applied.size()), "resource is", "resources are"));
  return out;
}

std::string drift_html(const DriftView& v) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width\"><title>drctl drift: " +
                    esc(v.stack) + "</title>\n<style>" + kCss + "</style></head>\n<body>\n";
  out += "<h1>Drift report: <code>" + esc(v.stack) + "</code></h1>\n";
  out += "<p class=\"summary\">" +
         (v.entries.empty() ? "<span class=\"clean\">" + esc(summary_line(v)) + "</span>" : esc(summary_line(v))) +
         "</p>\n";
  for (auto [grade, n] : {std::pair{plan::DriftGrade::critical, v.critical}, std::pair{plan::DriftGrade::warning, v.warning},
                          std::pair{plan::DriftGrade::info, v.info}})
    if (n) out += fmt::format("<span class=\"badge {}\">{} {}</span> ", grade_class(grade), n, plan::drift_grade_name(grade));
  out += "\n<h2>Topology</h2>\n" + topology_svg(v);
  if (!v.entries.empty()) {
    out += "<h2>Drifted resources, worst first</h2>\n<table>\n<tr><th>impact</th><th>resource</th><th>region</th>"
           "<th>workload</th><th>what it does to recovery</th></tr>\n";
    for (const auto& r : v.entries)
      out += fmt::format("<tr><td><span class=\"badge {}\">{}</span></td><td><code>{}</code> ({})</td><td class=\"nw\">{}</td>"
                         "<td>{}</td><td>{}</td></tr>\n",
                         grade_class(r.impact.grade), plan::drift_grade_name(r.impact.grade), esc(r.entry.address),
                         plan::drift_kind_name(r.entry.kind), esc(r.entry.region),
                         r.entry.workload.empty() ? "-" : esc(r.entry.workload), esc(r.impact.effect));
    out += "</table>\n";
    for (const auto& r : v.entries) {
      out += fmt::format("<section class=\"entry {}\">\n<h2><code>{}</code> {}</h2>\n<p class=\"effect\"><span class=\"badge "
                         "{}\">{}</span> {}</p>\n",
                         grade_class(r.impact.grade), esc(r.entry.address), plan::drift_kind_name(r.entry.kind),
                         grade_class(r.impact.grade), plan::drift_grade_name(r.impact.grade), esc(r.impact.effect));
      if (!r.entry.detail.empty()) out += "<p>" + esc(r.entry.detail) + "</p>\n";
      if (!r.entry.attrs.empty()) {
        out += "<table>\n<tr><th>attribute</th><th>expected (applied)</th><th>live</th><th>impact</th></tr>\n";
        for (size_t i = 0; i < r.entry.attrs.size(); ++i) {
          const auto& a = r.entry.attrs[i];
          out += fmt::format("<tr><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td>"
                             "<td><span class=\"badge {}\">{}</span> {}</td></tr>\n",
                             esc(a.path), esc(value_text(a.expected)), esc(value_text(a.actual)),
                             grade_class(r.attr_impacts[i].grade), plan::drift_grade_name(r.attr_impacts[i].grade),
                             esc(r.attr_impacts[i].effect));
        }
        out += "</table>\n";
      }
      out += "</section>\n";
    }
    if (v.drifted) out += "<p>Run <code>drctl apply</code> on the stack to restore what drifted.</p>\n";
  }
  if (!v.not_applied.empty())
    out += "<p>" + esc(plural(static_cast<int>(v.not_applied.size()), "resource is", "resources are")) +
           " in the configuration not applied yet (pending, not drift).</p>\n";
  out += "</body></html>\n";
  return out;
}

}  // namespace report
