#include <gtest/gtest.h>

#include "core/validate.h"

using namespace gz;

TEST(Siret, AcceptsValidSirenAndSiret) {
  EXPECT_FALSE(validate::siren_or_siret("732 829 320"));        // a valid SIREN
  EXPECT_FALSE(validate::siren_or_siret("73282932000074"));     // a valid SIRET
}
