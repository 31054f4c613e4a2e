// Composition root: everything lives in the library; the CLI wires it together.
#include "cli/cli.h"
#include "core/memory.h"

int main(int argc, char** argv) {
  gz::memory::keep_freed_memory_for_reuse();  // analyses reuse their large arrays (core/memory.h)
  return gz::cli::run(argc, argv);
}
