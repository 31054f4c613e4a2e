// Duplicate scan benchmark (bench/README.md, "Duplicate detection"): N synthetic contacts
// (French and English names, birth dates, addresses, e-mails, phones) of which a share has one
// duplicate with typos, normalised through the contacts profile (as records read from the
// database are) and scanned on 2 threads. Peer in the same run: the published simple rule
// (block on the first name only), timed and scored on the same records.
//   duplicates_bench [records=1000000] [duplicate_share=0.1] [threads=2] [contacts.csv]
// With a CSV path, the records are also written there (external_id = the record's number) for
// `gazelle import contacts`, so that reading them back from the database can be timed with
// `gazelle duplicates scan --no-store --format json` (bench/README.md).
#include <chrono>
#include <ctime>
#include <memory>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "io/csv.h"
#include "modules/duplicates/engine.h"

using namespace gz::matching;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
// CPU seconds of all the process's threads: on a shared machine the wall time also counts waiting.
static double cpu() { return double(std::clock()) / CLOCKS_PER_SEC; }

int main(int argc, char** argv) {
  size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000000;
  double share = argc > 2 ? std::atof(argv[2]) : 0.1;
  int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  std::ofstream csv_file;
  std::unique_ptr<gz::io::CsvWriter> csv;
  if (argc > 4) {
    csv_file.open(argv[4], std::ios::binary | std::ios::trunc);
    if (!csv_file) {
      std::fprintf(stderr, "cannot write %s\n", argv[4]);
      return 1;
    }
    csv = std::make_unique<gz::io::CsvWriter>(csv_file);
    csv->write_row({"external_id", "first_name", "last_name", "birth_date", "street", "postcode", "city", "emails", "phones"});
  }
  const char* firsts[] = {"Jean", "Marie", "Pierre", "Sophie", "Luc", "Hélène", "François", "Isabelle", "Nicolas",
                          "Camille", "Thomas", "Julie", "Antoine", "Céline", "Mathieu", "Émilie", "Laurent", "Nathalie",
                          "Olivier", "Aurélie", "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael",
                          "Linda", "William", "Elizabeth", "David", "Susan", "Richard", "Jessica", "Joseph", "Sarah",
                          "Charles", "Karen", "Chloé", "Léa", "Hugo", "Louis", "Manon", "Gabriel", "Inès", "Raphaël",
                          "Zoé", "Arthur", "Jade", "Noah"};
  const char* lasts[] = {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
                         "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
                         "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert",
                         "Bonnet", "François", "Martinez", "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller",
                         "Davis", "Wilson", "Anderson", "Taylor", "Gauthier", "Perrin", "Morin", "Mathieu", "Clément",
                         "Gautier", "Nicolas", "Henry", "Rousseau", "Blanc"};
  const char* streets[] = {"rue de la Paix", "avenue Victor Hugo", "boulevard Haussmann", "rue Nationale",
                           "chemin des Vignes", "place de la Mairie", "High Street", "Station Road", "allée des Tilleuls",
                           "rue du Moulin", "impasse des Lilas", "route de Lyon"};
  std::mt19937_64 rng(42);
  auto pick = [&](size_t k) { return size_t(rng() % k); };
  // Surnames: a few common ones (a tenth of the people) and many rarer ones built from syllables
  // (~65,000), so that name blocks have realistic sizes at a million.
  const char* syll[] = {"mar", "tin", "ber", "nard", "du", "bois", "le", "roy", "mo", "reau", "si", "mon", "fa", "bre",
                        "gar", "cia", "ro", "bert", "pe", "tit", "ri", "chard", "la", "fon", "ta", "ine", "ga", "lli",
                        "va", "rin", "bou", "cher", "fer", "rand", "ge", "rard", "ma", "thieu", "vi", "al"};
  auto person = [&](size_t i) {
    json r;
    std::string last;
    if (pick(10) == 0) {
      last = lasts[pick(50)];
    } else {
      for (size_t k = 0, parts = 2 + pick(2); k < parts; ++k) last += syll[pick(40)];
      last[0] = char(last[0] - 'a' + 'A');
    }
    r["first_name"] = firsts[pick(50)];
    r["last_name"] = last;
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", 1940 + int(pick(65)), 1 + int(pick(12)), 1 + int(pick(28)));
    r["birth_date"] = date;
    r["street"] = std::to_string(1 + pick(150)) + " " + streets[pick(12)];
    char pc[8];
    std::snprintf(pc, sizeof pc, "%05d", int(1000 + pick(94000)));
    r["postcode"] = pc;
    r["city"] = "Ville" + std::to_string(pick(5000));
    if (pick(2)) r["emails"] = json::array({"c" + std::to_string(i) + "@example.fr"});
    if (pick(2)) r["phones"] = json::array({"+336" + std::to_string(10000000 + i % 89999999)});
    return r;
  };
  auto typo = [&](std::string s) {
    if (s.size() < 3) return s;
    size_t p = 1 + pick(s.size() - 2);
    switch (pick(3)) {
      case 0: s.erase(p, 1); break;                   // deletion
      case 1: std::swap(s[p], s[p - 1]); break;        // transposition
      default: s[p] = char('a' + pick(26)); break;    // substitution
    }
    return s;
  };

  auto t0 = Clock::now();
  double c0 = cpu();
  const Profile& profile = *find_profile("contacts");
  RecordSet rs(profile.fields);
  rs.reserve(n, n * 120);
  std::vector<int64_t> truth_of(n, -1);  // record -> original it duplicates
  size_t originals = size_t(double(n) / (1 + share));
  std::vector<json> kept;
  for (size_t i = 0; i < n; ++i) {
    json r;
    if (i < originals) {
      r = person(i);
      if (i < size_t(double(originals) * share) + 1) kept.push_back(r);
    } else {
      size_t o = (i - originals) % kept.size();
      r = kept[o];
      truth_of[i] = int64_t(o);
      // One or two changes: a typo in a name, the birth date or the street, a field left out.
      for (size_t k = 0, changes = 1 + pick(2); k < changes; ++k) switch (pick(5)) {
          case 0: r["last_name"] = typo(r["last_name"]); break;
          case 1: r["first_name"] = typo(r["first_name"]); break;
          case 2: r["street"] = typo(r["street"]); break;
          case 3: r.erase("emails"); r.erase("phones"); break;
          default: r["birth_date"] = typo(r["birth_date"].get<std::string>()); break;
        }
    }
    rs.add(int64_t(i + 1), "", profile.normalise(r));
    if (csv) {
      auto first = [&](const char* k) { return r.contains(k) && !r[k].empty() ? r[k][0].get<std::string>() : ""; };
      csv->write_row({std::to_string(i + 1), r["first_name"], r["last_name"], r["birth_date"], r["street"], r["postcode"],
                      r["city"], first("emails"), first("phones")});
    }
  }
  double t_norm = since(t0), c_norm = cpu() - c0;
  if (csv) csv_file.close();

  ScanOptions o;
  o.threads = threads;
  auto t1 = Clock::now();
  double c1 = cpu();
  ScanResult res = scan(profile, rs, o);
  double t_scan = since(t1), c_scan = cpu() - c1;
  size_t dups = n - originals, found = 0, correct = 0;
  for (const auto& c : res.clusters)
    for (size_t i = 0; i < c.members.size(); ++i)
      for (size_t j = i + 1; j < c.members.size(); ++j) {
        ++found;
        uint32_t a = c.members[i], b = c.members[j];
        correct += (truth_of[b] == int64_t(a)) || (truth_of[a] == int64_t(b));
      }

  // Peer: the published simple rule's blocking (one key, the first name), as candidate pairs.
  auto t2 = Clock::now();
  double c2 = cpu();
  Profile naive = profile;
  naive.blocking_keys = [](const RecordSet& s, uint32_t r, std::vector<uint64_t>& out) {
    out.push_back(std::hash<std::string_view>{}(s.value(r, 0)));
  };
  ScanOptions no = o;
  ScanResult peer = scan(naive, rs, no);
  double t_peer = since(t2), c_peer = cpu() - c2;
  size_t peer_found = 0, peer_correct = 0;
  for (const auto& c : peer.clusters)
    for (size_t i = 0; i < c.members.size(); ++i)
      for (size_t j = i + 1; j < c.members.size(); ++j) {
        ++peer_found;
        uint32_t a = c.members[i], b = c.members[j];
        peer_correct += (truth_of[b] == int64_t(a)) || (truth_of[a] == int64_t(b));
      }

  std::printf("records %zu (injected duplicates %zu), threads %d\n", n, dups, threads);
  std::printf("%-36s %8s %8s %12s %12s %10s %8s\n", "", "wall s", "CPU s", "candidates", "pairs found", "precision",
              "recall");
  std::printf("%-36s %8.2f %8.2f\n", "generate + normalise", t_norm, c_norm);
  std::printf("%-36s %8.2f %8.2f %12zu %12zu %10.4f %8.4f\n", "scan (blocking+compare+EM+clusters)", t_scan, c_scan,
              res.candidate_pairs, found, found ? double(correct) / double(found) : 0.0, double(correct) / double(dups));
  std::printf("%-36s %8.2f %8.2f %12zu %12zu %10.4f %8.4f\n", "peer: one blocking key (first name)", t_peer, c_peer,
              peer.candidate_pairs, peer_found, peer_found ? double(peer_correct) / double(peer_found) : 0.0,
              double(peer_correct) / double(dups));
  std::printf("scan detail: blocking %.2f s, comparing %.2f s, EM %.2f s (%d iterations), clustering %.2f s; "
              "%zu oversized blocks\n",
              res.seconds_blocking, res.seconds_comparing, res.seconds_em, res.model.iterations, res.seconds_clustering,
              res.oversized_blocks);
  return 0;
}
