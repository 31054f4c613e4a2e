// core/text: folding for accent- and case-insensitive matching, words, lengths.
#include <gtest/gtest.h>

#include "core/text.h"

using namespace gz;

TEST(Fold, RemovesAccentsAndCase) {
  EXPECT_EQ(text::fold("Hélène LEFÈVRE"), "helene lefevre");
  EXPECT_EQ(text::fold("ÉLOÏSE Brûlé-Château"), "eloise brule-chateau");
  EXPECT_EQ(text::fold("Ça va à Noël"), "ca va a noel");
  EXPECT_EQ(text::fold("Straße"), "strasse");
  EXPECT_EQ(text::fold("plain ASCII 123"), "plain ascii 123");
  EXPECT_EQ(text::fold(""), "");
}

TEST(Fold, ExpandsLigatures) {
  EXPECT_EQ(text::fold("Œuvre"), "oeuvre");
  EXPECT_EQ(text::fold("cœur"), "coeur");
  EXPECT_EQ(text::fold("Lætitia"), "laetitia");
  EXPECT_EQ(text::fold("Æsop"), "aesop");
  EXPECT_EQ(text::fold("Øresund"), "oresund");
  EXPECT_EQ(text::fold("Łódź"), "lodz");
  EXPECT_EQ(text::fold("ﬁnance"), "finance");  // NFKD expands the fi ligature
}

TEST(Fold, KeepsOtherScriptsAndNormalisesApostrophes) {
  EXPECT_EQ(text::fold("Ελληνικά"), "ελληνικα");
  EXPECT_EQ(text::fold("Москва"), "москва");
  EXPECT_EQ(text::fold("l’été"), "l'ete");
  // Decomposed input (e + combining acute) folds like precomposed.
  EXPECT_EQ(text::fold("He\xCC\x81le\xCC\x80ne"), text::fold("Hélène"));
}

TEST(FoldWords, SplitsOnPunctuation) {
  EXPECT_EQ(text::fold_words("  Hélène   LEFÈVRE-Dupont, (Paris) "), "helene lefevre dupont paris");
  EXPECT_EQ(text::fold_words("helene.lefevre@example.fr"), "helene lefevre example fr");
  EXPECT_EQ(text::fold_words("!!!"), "");
  EXPECT_EQ(text::words("L'Œuvre de Zoé"), (std::vector<std::string>{"l", "oeuvre", "de", "zoe"}));
  EXPECT_TRUE(text::words("  ").empty());
}

TEST(TextHelpers, LengthCountsCodePoints) {
  EXPECT_EQ(text::length("abc"), 3u);
  EXPECT_EQ(text::length("Hélène"), 6u);
  EXPECT_EQ(text::length("œ€😀"), 3u);
  EXPECT_EQ(text::length(""), 0u);
}

TEST(TextHelpers, ValidUtf8TrimDigits) {
  EXPECT_TRUE(text::valid_utf8("Hélène"));
  EXPECT_FALSE(text::valid_utf8("\xff\xfe"));
  EXPECT_FALSE(text::valid_utf8("H\xC3"));        // truncated sequence
  EXPECT_FALSE(text::valid_utf8("\xC0\xAF"));     // overlong encoding
  EXPECT_EQ(text::trim(" \t a b \n"), "a b");
  EXPECT_EQ(text::trim("   "), "");
  EXPECT_EQ(text::digits_only("+33 (0)6 12-34"), "33061234");
}
