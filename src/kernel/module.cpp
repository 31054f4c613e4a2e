#include "kernel/module.h"

#include "core/message.h"

#include <set>
#include <stdexcept>

namespace gz::modules {
// The composition root: src/modules/composition.cpp.
std::vector<const kernel::Module*> composition();
}  // namespace gz::modules

namespace gz::kernel {

namespace {
std::vector<const Module*>& extras() {
  static std::vector<const Module*> v;
  return v;
}
}  // namespace

ExtraModule::ExtraModule(const Module& m) { extras().push_back(&m); }

const std::vector<const Module*>& modules() {
  static const std::vector<const Module*> all = [] {
    std::vector<const Module*> v = gz::modules::composition();
    for (const Module* m : extras()) v.push_back(m);
    // Dependencies come first, so that a module's entities, roles and routes can rely on them.
    std::set<std::string> seen;
    for (const Module* m : v) {
      for (const auto& d : m->depends)
        if (!seen.count(d)) throw std::logic_error("module " + m->name + " depends on " + d + ", which is not listed before it");
      if (!seen.insert(m->name).second) throw std::logic_error("module " + m->name + " is listed twice");
    }
    for (const Module* m : v) add_french_messages(m->messages_fr);
    return v;
  }();
  return all;
}

const Module* find_module(std::string_view name) {
  for (const Module* m : modules()) if (m->name == name) return m;
  return nullptr;
}

}  // namespace gz::kernel
