#include "cli/cli.h"
namespace gz::cli {
void add_demo_command(CLI::App&, CliContext&, std::function<void()>&) {}
}  // namespace gz::cli
