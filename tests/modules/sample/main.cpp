// gazelle plus the sample module (module.cpp registers it before main runs).
#include "cli/cli.h"

int main(int argc, char** argv) { return gz::cli::run(argc, argv); }
