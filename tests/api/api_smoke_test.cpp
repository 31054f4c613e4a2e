#include <gtest/gtest.h>
TEST(ApiPlaceholder, Builds) { SUCCEED(); }
