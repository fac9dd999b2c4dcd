// Views of a drill (dr::DrillRecord): a text summary for the terminal and a Markdown report
// (the file `drctl drill --report` writes; JSON is dr::drill_json). Decide nothing: the
// achieved RTO and the verdict come from dr/drill.h.
#pragma once

#include <string>

#include "dr/drill.h"
#include "report/style.h"

namespace report {

std::string drill_text(const dr::DrillRecord& r, const Style& style);
std::string drill_markdown(const dr::DrillRecord& r);
// One line for `assess` and `report`: "last drill 12 days ago: 41m vs RTO 1h (meets)".
std::string last_drill_line(const std::optional<dr::DrillRecord>& r, const std::string& now_iso);

}  // namespace report
