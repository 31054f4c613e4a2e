#include "cli/cli.h"
namespace gz::cli {
void add_transfer_commands(CLI::App&, CliContext&, std::function<void()>&) {}
}  // namespace gz::cli
