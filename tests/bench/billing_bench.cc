// billing_bench — latency of the cashier's two hot paths over a loaded
// billing database. Driven by scripts/bench-billing, which
// builds the database; this program only measures.
//
//   billing_bench charge --houses FILE --n N [--season S] [--tz ZONE] [--seed K] [--warmup W]
//   billing_bench queries --n N [--seed K]
//   billing_bench search --n N [--queries FILE] [--limit L] [--seed K] [--warmup W]
//
// charge: N calls of heat::billing::Charge on houses drawn at random from
//   FILE (one house code a line), 1.00 to 50.00 yuan each, all on ONE
//   connection as the login in PGUSER with the session TimeZone set, as a
//   cashier terminal works. Each call is a whole payment: its transaction,
//   the account load and replay, bill.post and the commit.
//
// search: N runs of billctl's own `find` command in this process: its
//   cli::Runner from heat::billctl::FindCommands(), with one cli::Context
//   (so one connection) kept for the run and JSON output into memory. The
//   SQL measured is what find_cmd.cc builds, not a copy, plus the
//   argument parsing and formatting billctl does, but not the start-up of
//   a process and a connection per query, which a cashier terminal does
//   not pay either (scripts/bench-billing times that separately).
//
// queries: prints N sampled search queries as "KIND<TAB>QUERY" lines, the
//   input of `search --queries`. The mix, drawn from random houses: house
//   codes and card numbers (exact, as a barcode scanner types them), phone
//   prefixes of 4 to 11 digits, customers' full names, community names,
//   addresses in parts ("幸福小区 3号楼 501": community, building, room),
//   and communities' pinyin initials and full pinyin in their most common
//   reading (what a cashier types for 幸福小区: xfxq, xingfuxiaoqu).
//
// Each mode prints one summary line on stdout, e.g.
//   charge n=2000 errors=0 p50_ms=3.10 p99_ms=7.95 max_ms=12.40
// and search one more line per query kind on stderr. Percentiles are by
// nearest rank over the N timed runs; W untimed runs come first so the
// connection's catalog caches are warm, as in a terminal that has been
// open for a while.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "heat/billctl/commands.h"
#include "heat/billing/ops.h"
#include "heat/billing/pinyin.h"
#include "heat/cli/command.h"
#include "heat/db/conn.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string mode;
  std::string houses, queries, season, tz = "Asia/Shanghai";
  int n = 1000;
  int warmup = 10;
  int limit = 20;
  uint64_t seed = 42;
};

[[noreturn]] void Usage(const std::string& why) {
  if (!why.empty()) std::fprintf(stderr, "billing_bench: %s\n", why.c_str());
  std::fprintf(stderr,
               "usage: billing_bench charge --houses FILE --n N [--season S] [--tz ZONE] [--seed K] [--warmup W]\n"
               "       billing_bench queries --n N [--seed K]\n"
               "       billing_bench search --n N [--queries FILE] [--limit L] [--seed K] [--warmup W]\n");
  std::exit(2);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  if (argc < 2) Usage("");
  o.mode = argv[1];
  if (o.mode != "charge" && o.mode != "queries" && o.mode != "search") Usage("unknown mode '" + o.mode + "'");
  for (int i = 2; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) Usage(flag + " needs a value");
    std::string v = argv[++i];
    auto number = [&](long min) {
      char* end = nullptr;
      long x = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || x < min) Usage(flag + ": '" + v + "' is not a number >= " + std::to_string(min));
      return x;
    };
    if (flag == "--houses") o.houses = v;
    else if (flag == "--queries") o.queries = v;
    else if (flag == "--season") o.season = v;
    else if (flag == "--tz") o.tz = v;
    else if (flag == "--n") o.n = static_cast<int>(number(1));
    else if (flag == "--warmup") o.warmup = static_cast<int>(number(0));
    else if (flag == "--limit") o.limit = static_cast<int>(number(1));
    else if (flag == "--seed") o.seed = static_cast<uint64_t>(number(0));
    else Usage("unknown option " + flag);
  }
  if (o.mode == "charge" && o.houses.empty()) Usage("charge needs --houses FILE");
  return o;
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Nearest-rank percentile of sorted samples.
double Percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

std::string Summary(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  char buf[160];
  std::snprintf(buf, sizeof buf, "p50_ms=%.2f p99_ms=%.2f max_ms=%.2f", Percentile(ms, 0.50),
                Percentile(ms, 0.99), ms.empty() ? 0.0 : ms.back());
  return buf;
}

int Fail(const heat::Status& s) {
  std::fprintf(stderr, "billing_bench: %s\n", s.message().c_str());
  return s.exit_code() ? s.exit_code() : 1;
}

// ---------------------------------------------------------------------------
// charge

int RunCharge(const Options& o) {
  std::vector<std::string> houses;
  {
    std::ifstream in(o.houses);
    if (!in) Usage("cannot read " + o.houses);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) houses.push_back(line);
  }
  if (houses.empty()) Usage(o.houses + " has no house codes");
  auto conn = heat::db::Conn::Open("", "billing_bench");
  if (!conn.ok()) return Fail(conn.status());
  // The company's calendar decides the business day, as in cli::Context::Db.
  if (auto s = conn->Exec("SELECT set_config('TimeZone', $1, false)", {o.tz}); !s.ok()) return Fail(s);

  std::mt19937_64 rng(o.seed);
  std::uniform_int_distribution<size_t> pick(0, houses.size() - 1);
  std::uniform_int_distribution<heat::Fen> amount(100, 5000);  // 1.00 .. 50.00 yuan
  const char* methods[] = {"cash", "wechat", "alipay", "card"};
  std::uniform_int_distribution<int> method(0, 3);

  std::vector<double> ms;
  ms.reserve(static_cast<size_t>(o.n));
  int errors = 0;
  std::map<std::string, int> first_errors;  // message -> count, to say what failed
  for (int i = 0; i < o.warmup + o.n; ++i) {
    heat::billing::PaymentRequest req;
    req.house = houses[pick(rng)];
    req.season = o.season;
    req.amount = amount(rng);
    req.method = methods[method(rng)];
    req.note = "bench";
    auto t0 = Clock::now();
    auto posted = heat::billing::Charge(*conn, req);
    auto t1 = Clock::now();
    if (!posted.ok()) {
      ++errors;
      if (first_errors.size() < 5) ++first_errors[posted.status().message()];
    }
    if (i >= o.warmup) ms.push_back(Ms(t1 - t0));
  }
  for (const auto& [msg, count] : first_errors) std::fprintf(stderr, "  charge error x%d: %s\n", count, msg.c_str());
  std::printf("charge n=%d errors=%d %s\n", o.n, errors, Summary(ms).c_str());
  return 0;
}

// ---------------------------------------------------------------------------
// queries

struct Query {
  std::string kind, text;
};

// UTF-8 -> code points; invalid bytes are skipped (names here are valid).
std::vector<char32_t> CodePoints(const std::string& s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) { ++i; continue; }
    char32_t cp = len == 1 ? c : c & (0x7f >> len);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    out.push_back(cp);
    i += static_cast<size_t>(len);
  }
  return out;
}

// A name spelt the most common way: full pinyin and initials. ASCII
// letters and digits stand for themselves, as in billing::SearchKeys.
std::pair<std::string, std::string> Spell(const std::string& name) {
  std::string full, initials;
  for (char32_t c : CodePoints(name)) {
    if (c < 0x80 && std::isalnum(static_cast<int>(c))) {
      char a = static_cast<char>(std::tolower(static_cast<int>(c)));
      full += a;
      initials += a;
    } else if (auto r = heat::billing::Readings(c); !r.empty()) {
      full += r[0];
      initials += r[0][0];
    }
  }
  return {full, initials};
}

// n queries from random houses: the kinds take turns (a shuffled cycle),
// and a house without the field a kind needs gives the next kind instead.
heat::Result<std::vector<Query>> SampleQueries(heat::db::Conn& db, int n, uint64_t seed) {
  HEAT_TRY(db.Exec("SELECT setseed($1)", {std::to_string(static_cast<double>(seed % 1000) / 1000.0)}));
  HEAT_ASSIGN(heat::db::Rows r, db.Query(
      "SELECT h.code, cd.card_no, cu.phone, cu.name AS customer, c.name AS community, b.name AS building, h.room"
      " FROM bill.house h JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id"
      " JOIN bill.community c ON c.id = b.community_id LEFT JOIN bill.customer cu ON cu.id = h.customer_id"
      " LEFT JOIN bill.card cd ON cd.house_id = h.id AND cd.status = 'active'"
      " WHERE h.deleted_at IS NULL ORDER BY random() LIMIT $1", {std::to_string(n)}));
  if (r.empty()) return heat::Status::NotFound("no houses to search for");
  static const std::vector<std::string> kinds = {"code", "card", "phone", "name", "community", "address", "initials",
                                                    "pinyin"};
  std::mt19937_64 rng(seed);
  std::vector<int> cycle(kinds.size());
  for (size_t k = 0; k < cycle.size(); ++k) cycle[k] = static_cast<int>(k);
  std::vector<Query> out;
  for (int i = 0; i < r.size(); ++i) {
    if (i % static_cast<int>(kinds.size()) == 0) std::shuffle(cycle.begin(), cycle.end(), rng);
    int want = cycle[static_cast<size_t>(i) % cycle.size()];
    for (size_t tried = 0; tried < kinds.size(); ++tried) {
      const std::string& kind = kinds[(static_cast<size_t>(want) + tried) % kinds.size()];
      std::string q;
      if (kind == "code") {
        q = r.get(i, "code");
      } else if (kind == "card") {
        q = r.get(i, "card_no");
      } else if (kind == "phone") {
        std::string phone = r.get(i, "phone");
        if (phone.size() >= 4) {
          std::uniform_int_distribution<size_t> len(4, std::min<size_t>(11, phone.size()));
          q = phone.substr(0, len(rng));
        }
      } else if (kind == "name") {
        q = r.get(i, "customer");
      } else if (kind == "community") {
        q = r.get(i, "community");
      } else if (kind == "address") {
        q = r.get(i, "community") + " " + r.get(i, "building") + " " + r.get(i, "room");
      } else {
        auto [full, initials] = Spell(r.get(i, "community"));
        q = kind == "pinyin" ? full : initials;
      }
      if (!q.empty()) {
        out.push_back({kind, q});
        break;
      }
    }
  }
  return out;
}

heat::Result<std::vector<Query>> ReadQueries(const std::string& path) {
  std::ifstream in(path);
  if (!in) return heat::Status::Usage("cannot read " + path);
  std::vector<Query> out;
  for (std::string line; std::getline(in, line);) {
    auto tab = line.find('\t');
    if (tab == std::string::npos || tab + 1 == line.size()) continue;
    out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  if (out.empty()) return heat::Status::Usage(path + " has no KIND<TAB>QUERY lines");
  return out;
}

int RunQueries(const Options& o) {
  auto conn = heat::db::Conn::Open("", "billing_bench");
  if (!conn.ok()) return Fail(conn.status());
  auto qs = SampleQueries(*conn, o.n, o.seed);
  if (!qs.ok()) return Fail(qs.status());
  for (const auto& q : *qs) std::printf("%s\t%s\n", q.kind.c_str(), q.text.c_str());
  return 0;
}

// ---------------------------------------------------------------------------
// search

int RunSearch(const Options& o) {
  std::ostringstream sink, err;
  heat::cli::Context ctx("billctl", sink, err);
  if (auto s = ctx.LoadConfig(false); !s.ok()) return Fail(s);
  ctx.format = heat::cli::Format::kJson;
  auto db = ctx.Db();  // opened now, so the first timed query does not pay for it
  if (!db.ok()) return Fail(db.status());

  std::vector<Query> qs;
  if (o.queries.empty()) {
    auto sampled = SampleQueries(**db, o.n, o.seed);
    if (!sampled.ok()) return Fail(sampled.status());
    qs = std::move(*sampled);
  } else {
    auto read = ReadQueries(o.queries);
    if (!read.ok()) return Fail(read.status());
    qs = std::move(*read);
  }
  if (static_cast<int>(qs.size()) > o.n) qs.resize(static_cast<size_t>(o.n));

  // billctl's find, exactly as the table declares it.
  auto table = heat::billctl::FindCommands();
  CLI::App app("find", "find");
  heat::cli::Runner run = table.at(0).build(app);
  auto find = [&](const std::string& text) {
    // CLI11 takes the arguments last first.
    std::vector<std::string> args = {text, std::to_string(o.limit), "--limit"};
    try {
      app.parse(args);
    } catch (const CLI::ParseError& e) {
      return heat::Status::Usage("find '" + text + "': " + e.what());
    }
    sink.str("");
    return run(ctx);
  };

  for (int i = 0; i < o.warmup; ++i) (void)find(qs[static_cast<size_t>(i) % qs.size()].text);
  std::vector<double> all;
  std::map<std::string, std::vector<double>> by_kind;
  int misses = 0, errors = 0;
  for (const auto& q : qs) {
    auto t0 = Clock::now();
    heat::Status s = find(q.text);
    auto t1 = Clock::now();
    if (s.code() == heat::Code::kNotFound) {
      ++misses;
    } else if (!s.ok()) {
      if (errors++ < 5) std::fprintf(stderr, "  search error for '%s': %s\n", q.text.c_str(), s.message().c_str());
    }
    all.push_back(Ms(t1 - t0));
    by_kind[q.kind].push_back(Ms(t1 - t0));
  }
  for (const auto& [kind, ms] : by_kind)
    std::fprintf(stderr, "  search kind=%s n=%zu %s\n", kind.c_str(), ms.size(), Summary(ms).c_str());
  std::printf("search n=%zu misses=%d errors=%d %s\n", all.size(), misses, errors, Summary(all).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = ParseArgs(argc, argv);
  if (o.mode == "charge") return RunCharge(o);
  if (o.mode == "queries") return RunQueries(o);
  return RunSearch(o);
}
