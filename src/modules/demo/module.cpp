#include "modules/demo/module.h"

#include "cli/cli.h"

namespace gz::modules::demo {

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "demo";
    m.label = {"Données de démonstration", "Demo data"};
    m.depends = {"users", "customers", "activity", "orders", "sales"};
    m.commands = cli::add_demo_command;  // cmd_demo.cpp
    return m;
  }();
  return m;
}

}  // namespace gz::modules::demo
