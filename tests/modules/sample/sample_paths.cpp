// The API tests of this folder run the gazelle_sample binary (see tests/api/api_fixture.h).
namespace gzt {
const char* gazelle_binary() { return SAMPLE_GAZELLE_BINARY; }
}  // namespace gzt
