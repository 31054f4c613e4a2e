#include "modules/duplicates/names.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "modules/duplicates/engine.h"
#include "modules/duplicates/similarity.h"

namespace gz::matching {

namespace {

// A cheap hash of a short word (short forms have at most 7 letters): the scan asks for every pair
// of first names.
struct ShortHash {
  size_t operator()(std::string_view s) const {
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    return size_t(h);
  }
};
using NicknameMap = std::unordered_multimap<std::string_view, std::string_view, ShortHash>;

// Usual French short forms and pet names, folded, with the names they stand for.
const NicknameMap& nicknames() {
  static const NicknameMap m = [] {
    const std::vector<std::pair<const char*, std::vector<const char*>>> list = {
        {"alex", {"alexandre", "alexandra", "alexis", "alexia"}},
        {"fred", {"frederic", "frederique", "frederick"}},
        {"nico", {"nicolas", "nicole"}},
        {"seb", {"sebastien", "sebastienne"}},
        {"steph", {"stephane", "stephanie"}},
        {"stef", {"stephane", "stephanie"}},
        {"cathy", {"catherine"}},
        {"cath", {"catherine"}},
        {"kathy", {"catherine"}},
        {"isa", {"isabelle"}},
        {"zaza", {"isabelle"}},
        {"phil", {"philippe"}},
        {"fifi", {"philippe"}},
        {"ben", {"benjamin", "benoit"}},
        {"benji", {"benjamin"}},
        {"tom", {"thomas"}},
        {"max", {"maxime", "maximilien", "maxence"}},
        {"val", {"valentin", "valerie", "valentine", "valery"}},
        {"vero", {"veronique"}},
        {"caro", {"caroline"}},
        {"dom", {"dominique"}},
        {"domi", {"dominique"}},
        {"matt", {"mathieu", "matthieu", "mathias", "matthias"}},
        {"math", {"mathieu", "matthieu", "mathias", "mathilde"}},
        {"manu", {"emmanuel", "emmanuelle"}},
        {"pat", {"patrick", "patricia", "patrice"}},
        {"patou", {"patricia", "patrick"}},
        {"raph", {"raphael", "raphaelle"}},
        {"gaby", {"gabriel", "gabrielle"}},
        {"jacky", {"jacques", "jacqueline"}},
        {"jacquot", {"jacques"}},
        {"dany", {"daniel", "danielle"}},
        {"flo", {"florence", "florian", "florent", "floriane"}},
        {"nath", {"nathalie", "nathan", "nathanael"}},
        {"bea", {"beatrice"}},
        {"babeth", {"elisabeth"}},
        {"zabeth", {"elisabeth"}},
        {"mimi", {"emilie", "michele", "michel", "myriam"}},
        {"jo", {"joseph", "josiane", "josette", "jonathan", "johanna", "joelle", "jocelyne", "georges"}},
        {"greg", {"gregory", "gregoire"}},
        {"jerem", {"jeremy", "jeremie"}},
        {"tim", {"timothee"}},
        {"tony", {"anthony", "antoine", "antonin"}},
        {"toine", {"antoine"}},
        {"vince", {"vincent"}},
        {"ludo", {"ludovic", "ludivine"}},
        {"fab", {"fabrice", "fabien", "fabienne"}},
        {"momo", {"mohamed", "maurice", "monique"}},
        {"bob", {"robert"}},
        {"riri", {"henri"}},
        {"jojo", {"georges", "joseph", "josiane", "joelle"}},
        {"gege", {"gerard", "gerald"}},
        {"dede", {"andre", "andree"}},
        {"titi", {"thierry"}},
        {"kiki", {"christine", "christian"}},
        {"cricri", {"christine", "christian"}},
        {"chris", {"christophe", "christian", "christine", "christelle"}},
        {"tof", {"christophe"}},
        {"sandy", {"sandrine"}},
        {"fanny", {"stephanie"}},
        {"fanfan", {"francoise", "francois"}},
        {"cam", {"camille"}},
        {"lou", {"louise", "louis", "louna"}},
        {"loulou", {"louis", "louise"}},
        {"gigi", {"brigitte", "gilberte", "ginette"}},
        {"mel", {"melanie", "melissa"}},
        {"charlie", {"charlotte", "charles"}},
        {"coco", {"corinne", "colette"}},
        {"margot", {"margaux", "marguerite"}},
        {"jeannot", {"jean"}},
        {"pierrot", {"pierre"}},
        {"polo", {"paul"}},
        {"guigui", {"guillaume"}},
        {"juju", {"julien", "julie", "justine"}},
        {"nono", {"noel", "arnaud"}},
        {"xav", {"xavier"}},
        {"rom", {"romain"}},
        {"clem", {"clement", "clementine"}},
        {"jess", {"jessica"}},
        {"vic", {"victor", "victoria"}},
        {"ed", {"edouard", "edmond"}},
        {"gus", {"gustave"}},
        {"lolo", {"laurent", "laurence", "laure"}},
        {"steve", {"stephane", "steven"}},
        {"mathou", {"mathilde"}},
        {"nanou", {"anne"}},
        {"ric", {"eric", "frederic"}},
    };
    NicknameMap out;
    for (const auto& [short_form, names] : list)
      for (const char* n : names) out.emplace(short_form, n);
    return out;
  }();
  return m;
}

bool nickname_one_way(std::string_view s, std::string_view full) {
  auto range = nicknames().equal_range(s);
  for (auto it = range.first; it != range.second; ++it)
    if (it->second == full) return true;
  return false;
}

bool vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

// Words of a first name; a word of 2 or 3 consonants is initials ("jp" -> "j", "p").
int given_words(std::string_view s, std::string_view* out, int max) {
  int n = 0;
  size_t i = 0;
  while (i < s.size() && n < max) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view w = s.substr(i, j - i);
    if (!w.empty()) {
      bool initials = w.size() >= 2 && w.size() <= 3 && std::none_of(w.begin(), w.end(), vowel);
      if (initials)
        for (size_t k = 0; k < w.size() && n < max; ++k) out[n++] = w.substr(k, 1);
      else
        out[n++] = w;
    }
    i = j + 1;
  }
  return n;
}

// 2: the same word (equal, a short form, a slip); 1: an initial of the other; 0: no.
int word_match(std::string_view x, std::string_view y) {
  if (x == y) return x.size() == 1 ? 1 : 2;
  if (x.size() == 1 || y.size() == 1) return x[0] == y[0] ? 1 : 0;
  if (feminine_form(x, y)) return 0;
  if (nickname_of(x, y)) return 2;
  if (x.size() >= 5 && y.size() >= 5 && (damerau_levenshtein(x, y, 1) <= 1 || jaro_winkler(x, y) >= 0.94)) return 2;
  return 0;
}

}  // namespace

bool nickname_of(std::string_view a, std::string_view b) {
  // Short forms have at most 7 letters.
  if (std::min(a.size(), b.size()) > 7 || a == b) return false;
  return (a.size() <= 7 && nickname_one_way(a, b)) || (b.size() <= 7 && nickname_one_way(b, a));
}

bool feminine_form(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);  // a: the shorter
  // Every form below starts like its masculine (the common case, other initials, stops here).
  if (a.size() < 3 || a == b || a[0] != b[0]) return false;
  static const std::vector<std::pair<std::string_view, std::string_view>> irregular = {
      {"laurent", "laurence"}, {"frederic", "frederique"}, {"yves", "yvette"},   {"alexandre", "alexandra"},
      {"jules", "julie"},      {"jules", "juliette"},      {"paul", "paula"},    {"eric", "erica"},
      {"jean", "jeannine"},    {"jean", "jeannette"},      {"francis", "francine"}, {"pierre", "pierrette"},
      {"dominique", "dominica"}, {"mathieu", "mathilde"},  {"lucien", "lucie"}, {"louis", "louisa"},
      {"paul", "pauline"},     {"rene", "renee"},          {"andre", "andree"}, {"aime", "aimee"}};
  for (const auto& [x, y] : irregular)
    if (a.size() == std::min(x.size(), y.size()) && b.size() == std::max(x.size(), y.size()) &&
        ((a == x && b == y) || (a == y && b == x)))
      return true;
  // jean+ne, daniel+le, yvon+ne, louis+e, paul+ette; not after a final e ("sophie" / "sophiee"
  // is a slip: the few such pairs, rene / renee, are listed above)
  if (a.back() != 'e' && b.substr(0, a.size()) == a) {
    std::string_view tail = b.substr(a.size());
    if (tail == "e" || tail == "ette") return true;
    if (tail.size() == 2 && tail[0] == a.back() && tail[1] == 'e') return true;
  }
  // antoine / antoinette: the masculine ends in a silent e
  if (a.back() == 'e' && b.size() == a.size() + 3 && b.substr(0, a.size() - 1) == a.substr(0, a.size() - 1) &&
      b.substr(a.size() - 1) == "ette")
    return true;
  return false;
}

int compare_given_words(std::string_view a, std::string_view b) {
  if (feminine_form(a, b)) return Different;
  std::string_view wa[8], wb[8];
  int na = given_words(a, wa, 8), nb = given_words(b, wb, 8);
  if (na == 0 || nb == 0) return -1;
  if (na == 1 && nb == 1) {
    // One word each (the common case): a short form, an initial, or the plain comparison.
    if (wa[0].size() == 1 || wb[0].size() == 1) return wa[0][0] == wb[0][0] ? Similar : -1;
    if (nickname_of(wa[0], wb[0])) return Close;
    // "max" / "maxence": the beginning of a name is how some sign
    std::string_view s = wa[0].size() < wb[0].size() ? wa[0] : wb[0], l = wa[0].size() < wb[0].size() ? wb[0] : wa[0];
    if (s.size() >= 3 && l.size() >= s.size() + 2 && l.substr(0, s.size()) == s) return Similar;
    return -1;
  }
  if (na == nb) {
    // Each word agrees; in a compound name one short word may also be one slip away
    // ("pierre yve" / "pierre yves") when the others agree in full.
    int slips = 0;
    bool agree = true;
    for (int i = 0; i < na; ++i) {
      if (word_match(wa[i], wb[i]) > 0) continue;
      if (wa[i].size() >= 3 && wb[i].size() >= 3 && !feminine_form(wa[i], wb[i]) &&
          damerau_levenshtein(wa[i], wb[i], 1) <= 1 && ++slips == 1)
        continue;
      agree = false;
    }
    if (agree && slips < na) return Close;
    // The same words the other way round ("pierre jean") or with a slip are left to the plain
    // comparison; otherwise two compound names that differ by a word are two people.
    bool crossed = na == 2 && word_match(wa[0], wb[1]) == 2 && word_match(wa[1], wb[0]) == 2;
    return crossed ? Close : Different;
  }
  // Fewer words on one side: its words, in order, among the other's.
  std::string_view* s = na < nb ? wa : wb;
  std::string_view* l = na < nb ? wb : wa;
  int ns = std::min(na, nb), nl = std::max(na, nb);
  int j = 0, full = 0;
  for (int i = 0; i < ns; ++i) {
    while (j < nl && word_match(s[i], l[j]) == 0) ++j;
    if (j == nl) return -1;
    full += word_match(s[i], l[j]) == 2;
    ++j;
  }
  return full > 0 ? Close : Similar;
}

bool is_marriage_word(std::string_view w) {
  return w == "nee" || w == "epouse" || w == "ep" || w == "epse" || w == "veuve" || w == "vve" || w == "divorcee" ||
         w == "dite" || w == "dit" || w == "ne";
}

}  // namespace gz::matching
