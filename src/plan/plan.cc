#include "plan/plan.h"

namespace plan {

const char* action_name(Action a) {
  switch (a) {
    case Action::noop: return "no-op";
    case Action::create: return "create";
    case Action::update: return "update";
    case Action::replace: return "replace";
    case Action::destroy: return "destroy";
    case Action::import_: return "import";
  }
  return "?";
}

Summary Plan::summary() const {
  Summary s;
  for (const auto& c : changes) {
    switch (c.action) {
      case Action::noop: ++s.noop; break;
      case Action::create: ++s.create; break;
      case Action::update: ++s.update; break;
      case Action::replace: ++s.replace; break;
      case Action::destroy: ++s.destroy; break;
      case Action::import_: ++s.import; break;
    }
  }
  return s;
}

const Change* Plan::find(const std::string& address) const {
  for (const auto& c : changes)
    if (c.address == address) return &c;
  return nullptr;
}

}  // namespace plan
