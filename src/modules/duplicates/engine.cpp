#include "modules/duplicates/engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "modules/duplicates/names.h"
#include "modules/duplicates/similarity.h"

namespace gz::matching {

using json = nlohmann::json;

const char* level_name(int level) {
  static const char* names[] = {"missing", "different", "similar", "close", "exact"};
  return level >= 0 && level < kLevels ? names[level] : "?";
}

// ---------------------------------------------------------------------------------------------
// Comparisons

namespace {

constexpr char kSep = '\x1f';

// Equality of two short values without a library call (the comparisons' most frequent test).
inline bool eq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) return false;
  }
  for (; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

template <class Fn>
void for_each_value(std::string_view s, Fn&& fn) {
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(kSep, i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) fn(s.substr(i, j - i));
    i = j + 1;
  }
}

bool contains_word(std::string_view text, std::string_view word) {
  size_t pos = 0;
  while ((pos = text.find(word, pos)) != std::string_view::npos) {
    bool start = pos == 0 || text[pos - 1] == ' ';
    bool end = pos + word.size() == text.size() || text[pos + word.size()] == ' ';
    if (start && end) return true;
    pos += 1;
  }
  return false;
}

int compare_name(std::string_view a, std::string_view b) {
  if (eq(a, b)) return Exact;
  double jw = jaro_winkler(a, b);
  if (jw >= 0.94) return Close;
  // "jean" and "jean pierre", "de la tour" and "delatour"
  if ((a.size() >= 3 && contains_word(b, a)) || (b.size() >= 3 && contains_word(a, b))) return Close;
  if (a.size() >= 5 && b.size() >= 5 && damerau_levenshtein(a, b, 1) <= 1) return Close;
  if (jw >= 0.85) return Similar;
  return Different;
}

// First names: the French rules of names.h, then the plain comparison.
int compare_given(std::string_view a, std::string_view b) {
  if (eq(a, b)) return Exact;
  int words = compare_given_words(a, b);
  if (words >= 0) return words;
  int plain = compare_name(a, b);
  return plain;
}

// Family names: a name holding two around a marriage word ("dupont nee martin") agrees at best
// closely with either of them.
int compare_family(std::string_view a, std::string_view b) {
  if (eq(a, b)) return Exact;
  int best = compare_name(a, b);
  if (best >= Close || (a.find(' ') == std::string_view::npos && b.find(' ') == std::string_view::npos)) return best;
  std::string_view pa[4], pb[4];
  int na = 0, nb = 0;
  int parts_a = for_each_family_part(a, [&](std::string_view p) { if (na < 4) pa[na++] = p; });
  int parts_b = for_each_family_part(b, [&](std::string_view p) { if (nb < 4) pb[nb++] = p; });
  if (parts_a < 2 && parts_b < 2) return best;
  for (int i = 0; i < na; ++i)
    for (int j = 0; j < nb; ++j) best = std::max(best, std::min(int(Close), compare_name(pa[i], pb[j])));
  return best;
}

int compare_code(std::string_view a, std::string_view b) {
  if (eq(a, b)) return Exact;
  if (a.size() >= 4 && b.size() >= 4 && damerau_levenshtein(a, b, 1) <= 1) return Close;
  return Different;
}

int compare_date(std::string_view a, std::string_view b) {
  if (eq(a, b)) return Exact;
  if (a.size() == 8 && b.size() == 8) {
    if (damerau_levenshtein(a, b, 1) <= 1) return Close;
    if (eq(a.substr(0, 4), b.substr(0, 4)) && eq(a.substr(4, 2), b.substr(6, 2)) && eq(a.substr(6, 2), b.substr(4, 2)))
      return Close;  // day and month swapped
    if (eq(a.substr(0, 6), b.substr(0, 6)) || (eq(a.substr(4), b.substr(4)) && damerau_levenshtein(a.substr(0, 4), b.substr(0, 4), 1) <= 1))
      return Similar;
  }
  return Different;
}

int compare_address(std::string_view a, std::string_view b) {
  if (eq(a, b)) return Exact;
  std::string_view ta[24], tb[24];
  size_t na = 0, nb = 0;
  // Articles and prepositions ("rue de la Gare", "rue de la Paix") say nothing about a place.
  auto small = [](std::string_view w) {
    // de la le du et au of / l d / les des aux the, compared by hand (the hot loop of the scan)
    switch (w.size()) {
      case 1: return w[0] == 'l' || w[0] == 'd';
      case 2: {
        char x = w[0], y = w[1];
        return (x == 'd' && (y == 'e' || y == 'u')) || (x == 'l' && (y == 'a' || y == 'e')) || (x == 'e' && y == 't') ||
               (x == 'a' && y == 'u') || (x == 'o' && y == 'f');
      }
      case 3:
        return (w[1] == 'e' && w[2] == 's' && (w[0] == 'l' || w[0] == 'd')) || (w[0] == 'a' && w[1] == 'u' && w[2] == 'x') ||
               (w[0] == 't' && w[1] == 'h' && w[2] == 'e');
      default: return false;
    }
  };
  auto split = [&](std::string_view s, std::string_view* out, size_t& n, bool skip_small) {
    size_t i = 0;
    while (i < s.size() && n < 24) {
      size_t j = s.find(' ', i);
      if (j == std::string_view::npos) j = s.size();
      if (j > i && !(skip_small && small(s.substr(i, j - i)))) out[n++] = s.substr(i, j - i);
      i = j + 1;
    }
  };
  split(a, ta, na, true);
  split(b, tb, nb, true);
  if (na == 0 || nb == 0) {
    na = nb = 0;
    split(a, ta, na, false);
    split(b, tb, nb, false);
  }
  if (na == 0 || nb == 0) return Missing;
  bool used[24] = {};
  size_t matched = 0;
  for (size_t i = 0; i < na; ++i) {
    for (size_t j = 0; j < nb; ++j) {
      if (used[j]) continue;
      bool digits = std::isdigit(static_cast<unsigned char>(ta[i][0])) || std::isdigit(static_cast<unsigned char>(tb[j][0]));
      bool same = eq(ta[i], tb[j]) ||
                  (!digits && ta[i].size() >= 4 && tb[j].size() >= 4 && jaro_winkler(ta[i], tb[j]) >= 0.9);
      if (same) {
        used[j] = true;
        ++matched;
        break;
      }
    }
  }
  double ratio = 2.0 * double(matched) / double(na + nb);
  if (ratio >= 0.8) return Close;
  if (ratio >= 0.5) return Similar;
  return Different;
}

int compare_email(std::string_view a, std::string_view b) {
  int best = Different;
  for_each_value(a, [&](std::string_view x) {
    for_each_value(b, [&](std::string_view y) {
      if (eq(x, y)) { best = Exact; return; }
      size_t ax = x.find('@'), ay = y.find('@');
      std::string_view lx = x.substr(0, ax), ly = y.substr(0, ay);
      if (lx.size() >= 4 && (lx == ly || (x.substr(ax) == y.substr(ay) && damerau_levenshtein(lx, ly, 1) <= 1)))
        best = std::max(best, int(Close));
    });
  });
  return best;
}

int compare_phone(std::string_view a, std::string_view b) {
  int best = Different;
  for_each_value(a, [&](std::string_view x) {
    for_each_value(b, [&](std::string_view y) {
      std::string_view sx = x.size() > 9 ? x.substr(x.size() - 9) : x, sy = y.size() > 9 ? y.substr(y.size() - 9) : y;
      if (eq(sx, sy)) { best = Exact; return; }
      if (damerau_levenshtein(sx, sy, 1) <= 1) best = std::max(best, int(Close));
    });
  });
  return best;
}

int compare_identifier(std::string_view a, std::string_view b) {
  int best = Missing;
  for_each_value(a, [&](std::string_view x) {
    for_each_value(b, [&](std::string_view y) {
      size_t ex = x.find('='), ey = y.find('=');
      if (ex == std::string_view::npos || ey == std::string_view::npos || x.substr(0, ex) != y.substr(0, ey)) return;
      std::string_view vx = x.substr(ex + 1), vy = y.substr(ey + 1);
      int level = vx == vy ? Exact : (vx.size() >= 5 && damerau_levenshtein(vx, vy, 1) <= 1) ? Close : Different;
      best = std::max(best, level);
    });
  });
  return best;
}

}  // namespace

int compare_values(Compare how, std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return Missing;
  switch (how) {
    case Compare::Name:
    case Compare::Text: return compare_name(a, b);
    case Compare::GivenName: return compare_given(a, b);
    case Compare::FamilyName: return compare_family(a, b);
    case Compare::Code: return compare_code(a, b);
    case Compare::Date: return compare_date(a, b);
    case Compare::Address: return compare_address(a, b);
    case Compare::Email: return compare_email(a, b);
    case Compare::Phone: return compare_phone(a, b);
    case Compare::Identifier: return compare_identifier(a, b);
  }
  return Missing;
}

namespace {

// Levels of every field into levels[0..F) (no allocation: the scan's hot loop).
void compare_into(const RecordSet& rs, uint32_t a, uint32_t b, int* levels) {
  const auto& fields = rs.fields();
  for (size_t f = 0; f < fields.size(); ++f) levels[f] = compare_values(fields[f].compare, rs.value(a, f), rs.value(b, f));
  for (size_t f = 0; f < fields.size(); ++f) {
    int g = fields[f].swap_with;
    if (g <= int(f) || std::min(levels[f], levels[size_t(g)]) >= Close) continue;
    // Given and family names typed the other way round count as close, not different.
    int s1 = compare_values(fields[f].compare, rs.value(a, f), rs.value(b, size_t(g)));
    if (s1 < Close) continue;
    int s2 = compare_values(fields[f].compare, rs.value(a, size_t(g)), rs.value(b, f));
    if (std::min(s1, s2) >= Close && std::min(s1, s2) > std::min(levels[f], levels[size_t(g)])) {
      levels[f] = std::min(s1, int(Close));
      levels[size_t(g)] = std::min(s2, int(Close));
    }
  }
}

}  // namespace

std::vector<int> compare_records(const RecordSet& rs, uint32_t a, uint32_t b) {
  std::vector<int> levels(rs.fields().size());
  compare_into(rs, a, b, levels.data());
  return levels;
}

// ---------------------------------------------------------------------------------------------
// RecordSet

RecordSet::RecordSet(std::vector<FieldSpec> fields) : fields_(std::move(fields)) {}

void RecordSet::reserve(size_t records, size_t bytes) {
  ids_.reserve(records);
  sources_.reserve(records);
  offsets_.reserve(records * fields_.size() + 1);
  ext_offsets_.reserve(records + 1);
  arena_.reserve(bytes);
}

uint32_t RecordSet::add(int64_t id, std::string_view external_id, const std::vector<std::string>& values, uint8_t source) {
  if (values.size() != fields_.size()) throw std::invalid_argument("RecordSet::add: one value per field expected");
  if (ids_.size() >= 0xFFFFFFF0u) throw std::length_error("too many records for one scan");
  for (const auto& v : values) {
    arena_ += v;
    offsets_.push_back(arena_.size());
  }
  ext_arena_ += external_id;
  ext_offsets_.push_back(ext_arena_.size());
  ids_.push_back(id);
  sources_.push_back(source);
  return uint32_t(ids_.size() - 1);
}

void RecordSet::append(const RecordSet& o) {
  uint64_t base = arena_.size(), ext_base = ext_arena_.size();
  arena_ += o.arena_;
  for (size_t k = 1; k < o.offsets_.size(); ++k) offsets_.push_back(base + o.offsets_[k]);
  ext_arena_ += o.ext_arena_;
  for (size_t k = 1; k < o.ext_offsets_.size(); ++k) ext_offsets_.push_back(ext_base + o.ext_offsets_[k]);
  ids_.insert(ids_.end(), o.ids_.begin(), o.ids_.end());
  sources_.insert(sources_.end(), o.sources_.begin(), o.sources_.end());
}

// ---------------------------------------------------------------------------------------------
// Model

double Model::weight(size_t f, int level) const {
  if (level == Missing || f >= m.size()) return 0;
  return std::log2(m[f][size_t(level)] / u[f][size_t(level)]);
}

double Model::household_adjustment(const int* levels, size_t n) const {
  if (p_household <= 0 || h.size() != u.size()) return 0;
  // log2 R: how much likelier the levels are for two people of one home than for two strangers.
  double log_r = 0;
  for (size_t f = 0; f < n && f < h.size(); ++f)
    if (levels[f] != Missing) log_r += std::log2(h[f][size_t(levels[f])] / u[f][size_t(levels[f])]);
  // Non-matches are households (share q) and strangers: P(levels | non-match) = P(levels | stranger)
  // · (q·R + 1 − q). Computed in the log domain (R spans 2^±60).
  double q = std::clamp(p_household / std::max(1e-12, 1 - p), 1e-12, 1 - 1e-12);
  double x = std::log2(q) + log_r, y = std::log2(1 - q), top = std::max(x, y);
  return -(top + std::log2(std::exp2(x - top) + std::exp2(y - top)));
}

void Model::attach(const std::vector<FieldSpec>& fs) {
  given_field = birth_field = street_field = landline_field = -1;
  location.assign(fs.size(), false);
  for (size_t f = 0; f < fs.size(); ++f) {
    location[f] = fs[f].household && fs[f].compare != Compare::FamilyName && fs[f].compare != Compare::Email;
    if (fs[f].compare == Compare::GivenName && given_field < 0) given_field = int(f);
    if (fs[f].compare == Compare::Date && birth_field < 0) birth_field = int(f);
    if (fs[f].compare == Compare::Address && street_field < 0) street_field = int(f);
    if (fs[f].compare == Compare::Phone && fs[f].household && landline_field < 0) landline_field = int(f);
  }
}

double Model::field_weight(size_t f, const int* levels, size_t n) const {
  double w = weight(f, levels[f]);
  if (w < 0 && f < location.size() && location[f]) {
    // Only the most negative location weight counts (the first of equals).
    for (size_t g = 0; g < n && g < location.size(); ++g) {
      if (g == f || !location[g]) continue;
      double v = weight(g, levels[g]);
      if (v < w || (v == w && g < f)) return 0;
    }
  }
  if (levels[f] != Different) return w;
  if (int(f) == birth_field) return std::min(w, -kStrongly);
  if (int(f) == given_field) {
    bool same_home = (street_field >= 0 && size_t(street_field) < n && levels[street_field] >= Close) ||
                     (landline_field >= 0 && size_t(landline_field) < n && levels[landline_field] == Exact);
    if (same_home) return std::min(w, -kStrongly);
  }
  return w;
}

double Model::score(const int* levels, size_t n) const {
  double s = 0;
  for (size_t f = 0; f < n; ++f) s += field_weight(f, levels, n);
  return s + household_adjustment(levels, n);
}

double Model::share() const { return std::max(p, kMinShare); }

double Model::probability(double score) const {
  double prior = std::log2(share() / (1 - share()));
  return 1.0 / (1.0 + std::exp2(-(score + prior)));
}

double Model::default_upper() const { return std::log2(99.0) - std::log2(share() / (1 - share())); }
double Model::default_lower() const { return std::max(0.0, -std::log2(share() / (1 - share()))); }

json Model::to_json() const {
  json fl = json::array();
  for (size_t f = 0; f < fields.size(); ++f) {
    json levels = json::object();
    for (int l = 1; l < kLevels; ++l) {
      levels[level_name(l)] = {{"m", m[f][size_t(l)]}, {"u", u[f][size_t(l)]}, {"weight", weight(f, l)}};
      if (f < h.size()) levels[level_name(l)]["h"] = h[f][size_t(l)];
    }
    fl.push_back({{"field", fields[f]}, {"levels", levels}});
  }
  return {{"p", p}, {"p_household", p_household}, {"iterations", iterations}, {"converged", converged}, {"fields", fl}};
}

Model Model::from_json(const json& j) {
  Model md;
  md.p = j.value("p", 0.01);
  md.iterations = j.value("iterations", 0);
  md.converged = j.value("converged", false);
  md.p_household = j.value("p_household", 0.0);
  for (const auto& f : j.value("fields", json::array())) {
    md.fields.push_back(f.value("field", ""));
    std::array<double, kLevels> m{}, u{}, h{};
    m.fill(1);
    u.fill(1);
    h.fill(1);
    const json& levels = f.value("levels", json::object());
    for (int l = 1; l < kLevels; ++l) {
      const json& v = levels.value(level_name(l), json::object());
      m[size_t(l)] = v.value("m", 1.0);
      u[size_t(l)] = v.value("u", 1.0);
      h[size_t(l)] = v.value("h", u[size_t(l)]);
    }
    md.m.push_back(m);
    md.u.push_back(u);
    md.h.push_back(h);
  }
  if (md.p_household <= 0) md.h.clear();
  return md;
}

Model Model::prior(const Profile& profile) { return prior_of(profile.fields); }

Model Model::prior_of(const std::vector<FieldSpec>& fields) {
  Model md;
  md.p = 0.05;
  md.converged = true;
  for (const auto& f : fields) {
    md.fields.push_back(f.name);
    // m: how often a true duplicate shows each level; u: how often two different people do,
    // among candidates sharing a blocking key. Strong fields (dates, identifiers, e-mails,
    // phones) rarely agree by chance.
    bool strong = f.compare == Compare::Date || f.compare == Compare::Identifier || f.compare == Compare::Email ||
                  f.compare == Compare::Phone;
    std::array<double, kLevels> m{1, 0.05, 0.05, 0.1, 0.8}, u{1, 0.85, 0.08, 0.04, 0.03};
    if (strong) u = {1, 0.97, 0.015, 0.01, 0.005};
    // A company's legal id (SIREN/SIRET) is issued once: two firms share it only by a typo.
    if (f.name == "legal_id") u = {1, 0.97, 0.01, 0.005, 0.0005};
    // People have several e-mail addresses (work, personal, a new provider): another address is
    // weak evidence of another person.
    if (f.compare == Compare::Email) m = {1, 0.3, 0.05, 0.05, 0.6};
    // Two people of one home: the same home (one town, most often one landline and family name,
    // sometimes one e-mail), like strangers otherwise.
    std::array<double, kLevels> h = u;
    if (f.household) {
      switch (f.compare) {
        case Compare::Address: h = {1, 0.15, 0.1, 0.15, 0.6}; break;
        case Compare::Email: h = {1, 0.8, 0.02, 0.03, 0.15}; break;
        case Compare::Phone: h = {1, 0.35, 0.02, 0.03, 0.6}; break;
        case Compare::FamilyName: h = {1, 0.2, 0.02, 0.08, 0.7}; break;
        default: h = {1, 0.05, 0.01, 0.04, 0.9}; break;  // postcode, town, region
      }
      md.p_household = 0.05;
    }
    md.m.push_back(m);
    md.u.push_back(u);
    md.h.push_back(h);
  }
  if (md.p_household <= 0) md.h.clear();
  md.attach(fields);
  return md;
}

double score_levels(const Model& model, const std::vector<int>& levels) { return model.score(levels.data(), levels.size()); }

// ---------------------------------------------------------------------------------------------
// Scan

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

template <class Fn>
void parallel(int threads, size_t n, Fn&& fn) {
  threads = std::max(1, std::min<int>(threads, int(n / 1000) + 1));
  if (threads == 1) {
    fn(0, size_t(0), n);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    size_t lo = n * size_t(t) / size_t(threads), hi = n * size_t(t + 1) / size_t(threads);
    pool.emplace_back([&, t, lo, hi] { fn(t, lo, hi); });
  }
  for (auto& th : pool) th.join();
}

uint32_t encode(const int* levels, size_t n) {
  uint32_t code = 0;
  for (size_t f = n; f-- > 0;) code = code * kLevels + uint32_t(levels[f]);
  return code;
}

void decode(uint32_t code, size_t n, std::vector<int>& levels) {
  levels.resize(n);
  for (size_t f = 0; f < n; ++f) {
    levels[f] = int(code % kLevels);
    code /= kLevels;
  }
}

struct UnionFind {
  std::vector<uint32_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  uint32_t find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(uint32_t a, uint32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

// EM over the distinct comparison patterns (counted), with a light smoothing so that a level
// never seen keeps a finite weight. Two classes (match, non-match), or three when some fields are
// shared by a household (match, two people of one home, strangers; see engine.h).
// patterns: the distinct pattern codes, ascending; counts: how many candidate pairs show each.
Model estimate(const std::vector<FieldSpec>& fields, const std::vector<uint32_t>& patterns,
               const std::vector<double>& counts, int max_iterations) {
  const size_t F = fields.size();
  std::vector<std::vector<int>> levels(patterns.size());
  for (size_t k = 0; k < patterns.size(); ++k) decode(patterns[k], F, levels[k]);
  const bool households = std::any_of(fields.begin(), fields.end(), [](const FieldSpec& f) { return f.household; });

  Model md;
  for (const auto& f : fields) md.fields.push_back(f.name);
  md.attach(fields);
  md.m.assign(F, {1, 0.05, 0.05, 0.1, 0.8});
  md.u.assign(F, {1, 0, 0, 0, 0});
  // u starts at the level frequencies over all candidates (most of them are non-matches).
  for (size_t k = 0; k < patterns.size(); ++k)
    for (size_t f = 0; f < F; ++f)
      if (levels[k][f] != Missing) md.u[f][size_t(levels[k][f])] += counts[k];
  for (size_t f = 0; f < F; ++f) {
    double total = 0;
    for (int l = 1; l < kLevels; ++l) total += md.u[f][size_t(l)] + 1;
    for (int l = 1; l < kLevels; ++l) md.u[f][size_t(l)] = (md.u[f][size_t(l)] + 1) / total;
  }
  md.p = 0.1;
  if (households) {
    // Households start as "the same home, other people".
    for (size_t f = 0; f < F; ++f)
      md.h.push_back(fields[f].household ? std::array<double, kLevels>{1, 0.1, 0.05, 0.1, 0.75} : md.u[f]);
    md.p_household = 0.1;
  }
  // Counts are smoothed by 0.5 and by the prior's levels as if seen on kPriorPairs pairs: nothing
  // on a base of thousands of candidate pairs, but a base of a few dozen (where EM alone can
  // settle anywhere) keeps sensible weights.
  const double smoothing = 0.5, kPriorPairs = 4;
  const Model prior = Model::prior_of(fields);
  // Keeps class a on the side of agreement against class b for one field: a(different) ≤
  // b(different), a(exact) ≥ b(exact), the middle levels taking what mass remains (never negative:
  // b's own exact and different shares sum to at most 1).
  auto agree_more = [](std::array<double, kLevels>& a, const std::array<double, kLevels>& b) {
    if (a[Different] <= b[Different] && a[Exact] >= b[Exact]) return;
    a[Different] = std::min(a[Different], b[Different]);
    a[Exact] = std::max(a[Exact], b[Exact]);
    double rest = std::max(0.0, 1 - a[Different] - a[Exact]), middle = a[Similar] + a[Close];
    a[Similar] = middle > 0 ? a[Similar] / middle * rest : rest / 2;
    a[Close] = middle > 0 ? a[Close] / middle * rest : rest / 2;
  };
  std::vector<double> gm(patterns.size()), gh(patterns.size());
  for (int it = 0; it < max_iterations; ++it) {
    double matches = 0, homes = 0, total = 0;
    for (size_t k = 0; k < patterns.size(); ++k) {
      double lm = std::log(md.p), lu = std::log(std::max(1e-12, 1 - md.p - md.p_household));
      double lh = households ? std::log(md.p_household) : -1e300;
      for (size_t f = 0; f < F; ++f) {
        int l = levels[k][f];
        if (l == Missing) continue;
        lm += std::log(md.m[f][size_t(l)]);
        lu += std::log(md.u[f][size_t(l)]);
        if (households) lh += std::log(md.h[f][size_t(l)]);
      }
      double top = std::max({lm, lu, lh});
      double em = std::exp(lm - top), eu = std::exp(lu - top), eh = households ? std::exp(lh - top) : 0;
      gm[k] = em / (em + eu + eh);
      gh[k] = eh / (em + eu + eh);
      matches += gm[k] * counts[k];
      homes += gh[k] * counts[k];
      total += counts[k];
    }
    std::vector<std::array<double, kLevels>> m(F), u(F), h(F);
    for (size_t f = 0; f < F; ++f)
      for (int l = 1; l < kLevels; ++l) {
        m[f][size_t(l)] = smoothing + kPriorPairs * prior.m[f][size_t(l)];
        u[f][size_t(l)] = smoothing + kPriorPairs * prior.u[f][size_t(l)];
        h[f][size_t(l)] = smoothing + (households ? kPriorPairs * prior.h[f][size_t(l)] : 0);
      }
    for (size_t k = 0; k < patterns.size(); ++k)
      for (size_t f = 0; f < F; ++f) {
        int l = levels[k][f];
        if (l == Missing) continue;
        m[f][size_t(l)] += gm[k] * counts[k];
        u[f][size_t(l)] += (1 - gm[k] - gh[k]) * counts[k];
        h[f][size_t(l)] += gh[k] * counts[k];
      }
    double change = 0;
    for (size_t f = 0; f < F; ++f) {
      double sm = 0, su = 0, sh = 0;
      for (int l = 1; l < kLevels; ++l) {
        sm += m[f][size_t(l)];
        su += u[f][size_t(l)];
        sh += h[f][size_t(l)];
      }
      std::array<double, kLevels> nm{}, nu{}, nh{};
      // Two people of one home look like two strangers on what is personal (first name, birth
      // date, mobile, identifiers): one distribution for both classes on those fields. Without
      // this tie, on a base made mostly of duplicates EM can make the "strangers" a second match
      // class and the household class the non-matches (seen on FEBRL set 1).
      const bool tied = households && !fields[f].household;
      for (int l = 1; l < kLevels; ++l) {
        nm[size_t(l)] = m[f][size_t(l)] / sm;
        // (tied: the two classes' counts pooled, their smoothing counted once)
        nu[size_t(l)] = tied ? (u[f][size_t(l)] + h[f][size_t(l)] - smoothing) / (su + sh - (kLevels - 1) * smoothing)
                             : u[f][size_t(l)] / su;
        nh[size_t(l)] = tied ? nu[size_t(l)] : h[f][size_t(l)] / sh;
      }
      // The match class must be the one whose values agree: disagreeing can never be evidence
      // of a duplicate, nor agreeing evidence against one. Without this, on a small base with few
      // true duplicates EM can settle on a "match" class of pairs that differ (seen on the demo
      // data: people sharing a surname in different towns proposed for merge).
      agree_more(nm, nu);
      // And two people of one home agree on the home at least as strangers do.
      if (households && fields[f].household) agree_more(nh, nu);
      for (int l = 1; l < kLevels; ++l) {
        change = std::max({change, std::abs(nm[size_t(l)] - md.m[f][size_t(l)]), std::abs(nu[size_t(l)] - md.u[f][size_t(l)])});
        md.m[f][size_t(l)] = nm[size_t(l)];
        md.u[f][size_t(l)] = nu[size_t(l)];
        if (households) {
          change = std::max(change, std::abs(nh[size_t(l)] - md.h[f][size_t(l)]));
          md.h[f][size_t(l)] = nh[size_t(l)];
        }
      }
    }
    double np = std::clamp((matches + kPriorPairs * prior.p) / (total + kPriorPairs), 1e-6, 1 - 1e-6);
    change = std::max(change, std::abs(np - md.p));
    md.p = np;
    if (households) {
      double nph = std::clamp((homes + kPriorPairs * prior.p_household) / (total + kPriorPairs), 1e-6, 1 - np - 1e-6);
      change = std::max(change, std::abs(nph - md.p_household));
      md.p_household = nph;
    }
    md.iterations = it + 1;
    if (change < 1e-6) {
      md.converged = true;
      break;
    }
  }
  return md;
}

}  // namespace

ScanResult scan(const Profile& profile, const RecordSet& rs, const ScanOptions& o) {
  ScanResult result;
  result.records = rs.size();
  const size_t n = rs.size();
  const size_t F = rs.fields().size();
  if (F > 13) throw std::invalid_argument("a profile compares at most 13 fields (pattern codes are 32-bit)");
  const size_t T = size_t(std::max(1, o.threads));
  auto t0 = Clock::now();
  auto tell = [&](const char* stage, double fraction) {
    if (o.progress) o.progress(stage, fraction);
  };
  tell("blocking", 0);

  // 1. Blocking keys: (key, record) entries sorted so that each block is a run.
  std::vector<std::vector<std::pair<uint64_t, uint32_t>>> per_thread(T);
  parallel(o.threads, n, [&](int t, size_t lo, size_t hi) {
    auto& out = per_thread[size_t(t)];
    out.reserve((hi - lo) * 14);
    std::vector<uint64_t> keys;
    for (size_t r = lo; r < hi; ++r) {
      keys.clear();
      profile.blocking_keys(rs, uint32_t(r), keys);
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (uint64_t k : keys) out.emplace_back(k, uint32_t(r));
    }
    // Each thread sorts its share; the shares are merged below.
    std::sort(out.begin(), out.end());
  });
  std::vector<std::pair<uint64_t, uint32_t>> entries;
  {
    size_t total = 0;
    for (auto& v : per_thread) total += v.size();
    entries.reserve(total);
    for (auto& v : per_thread) {
      size_t mid = entries.size();
      entries.insert(entries.end(), v.begin(), v.end());
      std::vector<std::pair<uint64_t, uint32_t>>().swap(v);
      std::inplace_merge(entries.begin(), entries.begin() + std::ptrdiff_t(mid), entries.end());
    }
  }

  // Block boundaries. A block of 2..max_block records is expanded to all its pairs; a larger one
  // (a common name, a shared switchboard) to the pairs of neighbours in sorted order.
  std::vector<size_t> starts;
  for (size_t i = 0; i < entries.size(); ++i)
    if (i == 0 || entries[i].first != entries[i - 1].first) starts.push_back(i);
  starts.push_back(entries.size());
  const size_t blocks = starts.size() - 1;
  auto is_small = [&](size_t k) {
    size_t size = starts[k + 1] - starts[k];
    return size >= 2 && size <= o.max_block;
  };
  // Each pair is compared once although it may share several keys: in the first (lowest-numbered)
  // small block the two records share. For that, each record's small blocks, ascending (CSR).
  std::vector<uint32_t> rb_start(n + 1, 0), rb;
  for (size_t k = 0; k < blocks; ++k)
    if (is_small(k))
      for (size_t i = starts[k]; i < starts[k + 1]; ++i) ++rb_start[entries[i].second + 1];
  for (size_t r = 0; r < n; ++r) rb_start[r + 1] += rb_start[r];
  if (blocks >= 0xFFFFFFFFu) throw std::length_error("too many blocking keys for one scan");
  rb.resize(rb_start[n]);
  {
    std::vector<uint32_t> fill(rb_start.begin(), rb_start.end() - 1);
    for (size_t k = 0; k < blocks; ++k)
      if (is_small(k))
        for (size_t i = starts[k]; i < starts[k + 1]; ++i) rb[fill[entries[i].second]++] = uint32_t(k);
  }
  // Whether records a and b share a small block numbered below `below`.
  auto share_before = [&](uint32_t a, uint32_t b, uint32_t below) {
    const uint32_t *x = rb.data() + rb_start[a], *xe = rb.data() + rb_start[a + 1];
    const uint32_t *y = rb.data() + rb_start[b], *ye = rb.data() + rb_start[b + 1];
    while (x != xe && y != ye && *x < below && *y < below) {
      if (*x == *y) return true;
      if (*x < *y) ++x;
      else ++y;
    }
    return false;
  };
  std::vector<uint64_t> gone;  // dismissed pairs as record indexes
  if (!o.dismissed.empty()) {
    std::unordered_map<int64_t, uint32_t> index;
    index.reserve(n);
    for (uint32_t r = 0; r < n; ++r) index.emplace(rs.id(r), r);
    for (auto [x, y] : o.dismissed) {
      auto ix = index.find(x), iy = index.find(y);
      if (ix == index.end() || iy == index.end()) continue;
      uint32_t a = std::min(ix->second, iy->second), b = std::max(ix->second, iy->second);
      gone.push_back(uint64_t(a) << 32 | b);
    }
    std::sort(gone.begin(), gone.end());
  }
  auto wanted = [&](uint32_t a, uint32_t b) {  // a < b
    if (o.link_only && rs.source(a) == rs.source(b)) return false;
    return gone.empty() || !std::binary_search(gone.begin(), gone.end(), uint64_t(a) << 32 | b);
  };
  auto sort_key = [&](uint32_t r) {
    std::string s;
    for (size_t f : profile.sort_fields) {
      s += rs.value(r, f);
      s += '\x01';
    }
    return s;
  };
  // Blocks of two records or more (most keys, e-mails and phones above all, are one record's).
  std::vector<uint32_t> multi;
  for (size_t k = 0; k < blocks; ++k)
    if (starts[k + 1] - starts[k] >= 2) multi.push_back(uint32_t(k));
  result.seconds_blocking = since(t0);
  tell("comparing", 0);

  // 2. Comparison levels of every candidate pair, as one pattern code each, block by block: the
  // records of a block are compared with each other while they are in the cache. Threads take
  // blocks by chunks from a shared counter (block sizes vary a lot).
  auto t1 = Clock::now();
  struct Part {
    std::vector<uint64_t> pairs;  // a << 32 | b
    std::vector<uint32_t> codes;
    std::vector<uint64_t> neighbours;  // pairs of neighbours in oversized blocks, compared later
    size_t oversized = 0;
  };
  std::vector<Part> parts(T);
  std::atomic<size_t> next_block{0};
  auto run_threads = [&](auto&& fn) {
    std::vector<std::thread> pool;
    for (size_t t = 1; t < T; ++t) pool.emplace_back([&, t] { fn(t); });
    fn(0);
    for (auto& th : pool) th.join();
  };
  // Records of a block are scattered in memory: while a block is compared, the values of the next
  // one and the offsets of the one after are fetched into the cache.
  auto prefetch_block = [&](size_t m, bool values) {
    if (m >= multi.size()) return;
    size_t k = multi[m], e = std::min(starts[k + 1], starts[k] + 64);
    for (size_t i = starts[k]; i < e; ++i) {
      uint32_t r = entries[i].second;
      if (values) {
        rs.prefetch_values(r);
        __builtin_prefetch(rb.data() + rb_start[r]);
      } else {
        rs.prefetch_offsets(r);
        __builtin_prefetch(rb_start.data() + r);
      }
    }
  };
  run_threads([&](size_t t) {
    Part& part = parts[t];
    int levels[16];
    const size_t chunk = 256;
    for (;;) {
      size_t lo = next_block.fetch_add(chunk), hi = std::min(multi.size(), lo + chunk);
      if (lo >= multi.size()) break;
      // Thread 0 is the caller's: it tells the progress (small blocks first, then neighbours).
      if (t == 0 && o.progress) tell("comparing", 0.8 * double(lo) / double(multi.size()));
      prefetch_block(lo, false);
      prefetch_block(lo + 1, false);
      prefetch_block(lo, true);
      for (size_t m = lo; m < hi; ++m) {
        prefetch_block(m + 2, false);
        prefetch_block(m + 1, true);
        size_t k = multi[m];
        size_t s = starts[k], e = starts[k + 1], size = e - s;
        if (size <= o.max_block) {
          // Entries of a block are in record order: a < b.
          for (size_t i = s; i < e; ++i)
            for (size_t j = i + 1; j < e; ++j) {
              uint32_t a = entries[i].second, b = entries[j].second;
              if (share_before(a, b, uint32_t(k)) || !wanted(a, b)) continue;
              compare_into(rs, a, b, levels);
              part.pairs.push_back(uint64_t(a) << 32 | b);
              part.codes.push_back(encode(levels, F));
            }
          continue;
        }
        ++part.oversized;
        std::vector<std::pair<std::string, uint32_t>> members;
        members.reserve(size);
        for (size_t i = s; i < e; ++i) members.emplace_back(sort_key(entries[i].second), entries[i].second);
        std::sort(members.begin(), members.end());
        for (size_t i = 0; i < members.size(); ++i)
          for (size_t j = i + 1; j < members.size() && j <= i + o.window; ++j) {
            uint32_t a = std::min(members[i].second, members[j].second), b = std::max(members[i].second, members[j].second);
            part.neighbours.push_back(uint64_t(a) << 32 | b);
          }
      }
    }
  });
  std::vector<std::pair<uint64_t, uint32_t>>().swap(entries);
  // Neighbours in oversized blocks: once each, unless a small block has them already.
  std::vector<uint64_t> neighbours;
  for (auto& part : parts) {
    neighbours.insert(neighbours.end(), part.neighbours.begin(), part.neighbours.end());
    std::vector<uint64_t>().swap(part.neighbours);
    result.oversized_blocks += part.oversized;
  }
  std::sort(neighbours.begin(), neighbours.end());
  neighbours.erase(std::unique(neighbours.begin(), neighbours.end()), neighbours.end());
  tell("comparing", 0.8);
  parallel(o.threads, neighbours.size(), [&](int t, size_t lo, size_t hi) {
    Part& part = parts[size_t(t)];
    int levels[16];
    for (size_t i = lo; i < hi; ++i) {
      if (i + 16 < hi) {  // b is anywhere in memory (a moves slowly): fetch ahead
        uint32_t r = uint32_t(neighbours[i + 16] & 0xFFFFFFFFu);
        rs.prefetch_offsets(r);
        __builtin_prefetch(rb_start.data() + r);
      }
      if (i + 8 < hi) {
        uint32_t r = uint32_t(neighbours[i + 8] & 0xFFFFFFFFu);
        rs.prefetch_values(r);
        __builtin_prefetch(rb.data() + rb_start[r]);
      }
      uint32_t a = uint32_t(neighbours[i] >> 32), b = uint32_t(neighbours[i] & 0xFFFFFFFFu);
      if (share_before(a, b, 0xFFFFFFFFu) || !wanted(a, b)) continue;
      compare_into(rs, a, b, levels);
      part.pairs.push_back(neighbours[i]);
      part.codes.push_back(encode(levels, F));
    }
  });
  std::vector<uint64_t>().swap(neighbours);
  // Distinct patterns and their counts, for EM.
  std::unordered_map<uint32_t, uint64_t> histogram;
  for (auto& part : parts) {
    result.candidate_pairs += part.pairs.size();
    for (uint32_t c : part.codes) ++histogram[c];
  }
  result.seconds_comparing = since(t1);

  // 3. Weights: estimated by EM, or given.
  tell("weights", 0);
  auto t2 = Clock::now();
  std::vector<uint32_t> patterns;
  for (const auto& [code, count] : histogram) patterns.push_back(code);
  std::sort(patterns.begin(), patterns.end());
  std::vector<double> counts;
  for (uint32_t p : patterns) counts.push_back(double(histogram[p]));
  result.model = o.fixed_model ? *o.fixed_model : estimate(rs.fields(), patterns, counts, o.em_iterations);
  result.model.attach(rs.fields());
  result.threshold_upper = o.has_upper ? o.threshold_upper : result.model.default_upper();
  result.threshold_lower = o.has_lower ? o.threshold_lower : result.model.default_lower();
  if (result.threshold_lower > result.threshold_upper) result.threshold_lower = result.threshold_upper;
  std::unordered_map<uint32_t, float> pattern_score;
  {
    std::vector<int> levels;
    for (uint32_t p : patterns) {
      decode(p, F, levels);
      pattern_score.emplace(p, float(score_levels(result.model, levels)));
    }
  }
  for (auto& part : parts) {
    for (size_t i = 0; i < part.pairs.size(); ++i) {
      float s = pattern_score.find(part.codes[i])->second;
      if (s >= result.threshold_lower)
        result.pairs.push_back({uint32_t(part.pairs[i] >> 32), uint32_t(part.pairs[i] & 0xFFFFFFFFu), s});
    }
    std::vector<uint64_t>().swap(part.pairs);
    std::vector<uint32_t>().swap(part.codes);
  }
  // In pair order whatever the threads did (clusters list their pairs in this order).
  std::sort(result.pairs.begin(), result.pairs.end(),
            [](const Pair& x, const Pair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  result.seconds_em = since(t2);

  // 4. Clusters: groups in which every pair scores at least the lower threshold (no chaining);
  // "proposed" when the pairs above the upper threshold alone connect a group that was not cut
  // out of a longer chain.
  tell("clustering", 0);
  auto t3 = Clock::now();
  {
    const Model& model = result.model;
    int levels[16];
    result.clusters = cluster_pairs(result.pairs, n, result.threshold_lower, result.threshold_upper,
                                    [&](uint32_t a, uint32_t b) {
                                      compare_into(rs, a, b, levels);
                                      return float(model.score(levels, F));
                                    });
  }
  result.seconds_clustering = since(t3);
  return result;
}

std::vector<Cluster> cluster_pairs(const std::vector<Pair>& pairs, size_t n, double lower, double upper,
                                   const std::function<float(uint32_t, uint32_t)>& score_of) {
  // Components of the pairs first (most are two records, which need nothing more).
  UnionFind all(n);
  for (const auto& p : pairs)
    if (p.score >= lower) all.unite(p.a, p.b);
  std::unordered_map<uint32_t, std::vector<const Pair*>> by_root;
  for (const auto& p : pairs)
    if (p.score >= lower) by_root[all.find(p.a)].push_back(&p);
  std::vector<Cluster> out;
  auto key = [](uint32_t a, uint32_t b) { return a < b ? uint64_t(a) << 32 | b : uint64_t(b) << 32 | a; };
  for (auto& [root, edges] : by_root) {
    // Every pair of the component that was scored, and a cache for the others.
    std::unordered_map<uint64_t, float> known;
    for (const Pair* p : edges) known[key(p->a, p->b)] = p->score;
    auto score = [&](uint32_t a, uint32_t b) {
      auto [it, inserted] = known.emplace(key(a, b), 0.0f);
      if (inserted) it->second = score_of(std::min(a, b), std::max(a, b));
      return it->second;
    };
    std::sort(edges.begin(), edges.end(), [](const Pair* x, const Pair* y) {
      return x->score != y->score ? x->score > y->score : (x->a != y->a ? x->a < y->a : x->b < y->b);
    });
    // Strongest pairs first; two groups join only when every pair across them is a probable match.
    std::unordered_map<uint32_t, std::vector<uint32_t>> groups;  // representative -> members
    std::unordered_map<uint32_t, uint32_t> group_of;
    for (const Pair* p : edges)
      for (uint32_t r : {p->a, p->b})
        if (group_of.emplace(r, r).second) groups[r] = {r};
    // Pass 1: every pair across the two groups is probable (at least lower). Pass 2, for what
    // pass 1 left apart: nothing speaks against any pair across (all at least 0: a weak pair, a
    // slip on both sides, no more) and the group goes to review.
    bool cut = false;
    std::unordered_map<uint32_t, bool> loose;  // representative -> joined in pass 2
    for (int pass = 1; pass <= 2; ++pass) {
      const double floor = pass == 1 ? lower : std::min(0.0, lower);
      for (const Pair* p : edges) {
        uint32_t ga = group_of[p->a], gb = group_of[p->b];
        if (ga == gb) continue;
        bool all_ok = true;
        for (uint32_t x : groups[ga]) {
          for (uint32_t y : groups[gb])
            if (score(x, y) < floor) {
              all_ok = false;
              break;
            }
          if (!all_ok) break;
        }
        if (!all_ok) {
          if (pass == 2) cut = true;
          continue;
        }
        if (groups[ga].size() < groups[gb].size()) std::swap(ga, gb);
        for (uint32_t y : groups[gb]) {
          groups[ga].push_back(y);
          group_of[y] = ga;
        }
        bool was_loose = loose[ga] || loose[gb];
        groups.erase(gb);
        loose.erase(gb);
        loose[ga] = was_loose || pass == 2;
      }
    }
    for (auto& [rep, members] : groups) {
      if (members.size() < 2) continue;
      Cluster c;
      c.members = members;
      std::sort(c.members.begin(), c.members.end());
      c.split = cut || loose[rep];
      std::vector<float> best(c.members.size(), -1e30f);
      UnionFind strong(c.members.size());
      for (size_t i = 0; i < c.members.size(); ++i)
        for (size_t j = i + 1; j < c.members.size(); ++j) {
          float sc = score(c.members[i], c.members[j]);
          c.pairs.push_back({c.members[i], c.members[j], sc});
          best[i] = std::max(best[i], sc);
          best[j] = std::max(best[j], sc);
          if (sc >= upper) strong.unite(uint32_t(i), uint32_t(j));
        }
      c.member_scores = best;
      c.best_score = *std::max_element(best.begin(), best.end());
      c.proposed = !c.split;
      for (size_t i = 1; i < c.members.size(); ++i) c.proposed &= strong.find(uint32_t(i)) == strong.find(0);
      out.push_back(std::move(c));
    }
  }
  // Strongest clusters first.
  std::sort(out.begin(), out.end(), [](const Cluster& x, const Cluster& y) {
    return x.best_score != y.best_score ? x.best_score > y.best_score : x.members.front() < y.members.front();
  });
  return out;
}

json ScanResult::summary() const {
  size_t proposed = 0, in_clusters = 0;
  for (const auto& c : clusters) {
    proposed += c.proposed;
    in_clusters += c.members.size();
  }
  return {{"records", records},
          {"candidate_pairs", candidate_pairs},
          {"oversized_blocks", oversized_blocks},
          {"pairs", pairs.size()},
          {"clusters", clusters.size()},
          {"proposed", proposed},
          {"review", clusters.size() - proposed},
          {"records_in_clusters", in_clusters},
          {"threshold_upper", threshold_upper},
          {"threshold_lower", threshold_lower},
          {"seconds", {{"blocking", seconds_blocking}, {"comparing", seconds_comparing}, {"em", seconds_em},
                       {"clustering", seconds_clustering}}},
          {"model", model.to_json()}};
}

std::vector<FieldExplanation> explain(const Model& model, const RecordSet& rs, uint32_t a, uint32_t b) {
  auto levels = compare_records(rs, a, b);
  std::vector<FieldExplanation> out;
  auto shown = [](std::string_view v) {
    std::string s(v);
    for (auto& c : s)
      if (c == kSep) c = '|';
    return s;
  };
  for (size_t f = 0; f < rs.fields().size(); ++f)
    out.push_back({rs.fields()[f].name, shown(rs.value(a, f)), shown(rs.value(b, f)), levels[f],
                   model.field_weight(f, levels.data(), levels.size())});
  double household = model.household_adjustment(levels.data(), levels.size());
  if (household <= -0.01) out.push_back({"household", "", "", Missing, household});
  return out;
}

json explanation_json(const std::vector<FieldExplanation>& e) {
  json out = json::array();
  for (const auto& x : e)
    out.push_back({{"field", x.field}, {"a", x.a}, {"b", x.b}, {"level", level_name(x.level)},
                   {"weight", std::round(x.weight * 100) / 100}});
  return out;
}

}  // namespace gz::matching
