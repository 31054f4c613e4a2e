// Composition root: everything lives in the library; the CLI wires it together.
#include "cli/cli.h"

int main(int argc, char** argv) { return gz::cli::run(argc, argv); }
