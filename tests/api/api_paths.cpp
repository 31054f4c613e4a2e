// Where the gazelle executable under test is (see api_fixture.h).
#include "build_paths.h"

namespace gzt {
const char* gazelle_binary() { return GAZELLE_BINARY; }
}  // namespace gzt
