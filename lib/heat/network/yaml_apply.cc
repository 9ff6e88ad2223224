// Writing an import Document to the database (yaml_io.h): one transaction,
// checks first (references outside the file, objects outside the caller's
// scope), then inserts and minimal updates kind by kind, then the optional
// prune, children first.
#include <algorithm>
#include <map>
#include <set>

#include "heat/network/findings.h"
#include "heat/network/store.h"
#include "heat/network/yaml_io.h"

namespace heat::network {
namespace {

constexpr size_t kMaxShown = 60;  // characters of a value in a change line

using Stored = std::map<std::string, Values>;  // code -> values in the database

std::string CodeOf(const Item& item) { return item.values.at("code").value_or(""); }

// A value for a change line: quoted, long ones cut at a character boundary.
std::string Show(const Value& v) {
  if (!v) return "(none)";
  std::string s = *v;
  if (s.size() > kMaxShown) {
    size_t cut = kMaxShown;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s = s.substr(0, cut) + "...";
  }
  return "'" + s + "'";
}

// "{A,B}" for a text[] parameter; codes are letters, digits, _ . - only.
std::string ArrayOf(const std::vector<std::string>& codes) {
  std::string s = "{";
  for (size_t i = 0; i < codes.size(); ++i) s += (i ? "," : "") + codes[i];
  return s + "}";
}

class Applier {
 public:
  Applier(db::Conn& conn, const Document& doc) : conn_(conn), doc_(doc) {}
  Status Load();
  Status Check();
  Status Write(ImportReport& report);
  Status Prune(ImportReport& report);

 private:
  size_t IndexOf(const Kind* kind) const;
  Result<std::set<std::string>> Hidden(const Kind& kind, const std::vector<std::string>& codes);
  Status WriteItem(const Item& item, Stored& stored, KindCounts& counts, ImportReport& report);
  std::vector<std::string> PruneOrder(size_t ki) const;

  db::Conn& conn_;
  const Document& doc_;
  std::vector<Stored> stored_;  // per section of doc_
};

size_t Applier::IndexOf(const Kind* kind) const {
  for (size_t i = 0; i < doc_.sections.size(); ++i)
    if (doc_.sections[i].kind == kind) return i;
  return 0;
}

Status Applier::Load() {
  for (const auto& sec : doc_.sections) {
    HEAT_ASSIGN(auto rows, LoadAll(conn_, *sec.kind));
    Stored s;
    for (auto& v : rows) s[v.at("code").value_or("")] = std::move(v);
    stored_.push_back(std::move(s));
  }
  return Status::Ok();
}

// Which of these codes exist although the caller cannot see them.
Result<std::set<std::string>> Applier::Hidden(const Kind& kind, const std::vector<std::string>& codes) {
  std::set<std::string> out;
  if (codes.empty()) return out;
  HEAT_ASSIGN(db::Rows r, conn_.Query("SELECT c FROM unnest($2::text[]) AS c WHERE heat.object_exists($1, c)",
                                      {kind.table, ArrayOf(codes)}));
  for (int i = 0; i < r.size(); ++i) out.insert(r.get(i, 0));
  return out;
}

// References to objects outside the file must name visible objects, and new
// objects must not exist outside the caller's scope (that is no conflict but
// a permission matter: exit 4).
Status Applier::Check() {
  Findings f;
  for (size_t ki = 0; ki < doc_.sections.size(); ++ki) {
    const Section& sec = doc_.sections[ki];
    std::vector<std::string> fresh;
    for (const auto& item : sec.items)
      if (!stored_[ki].count(CodeOf(item))) fresh.push_back(CodeOf(item));
    HEAT_ASSIGN(auto hidden, Hidden(*sec.kind, fresh));
    for (const auto& item : sec.items)
      if (hidden.count(CodeOf(item)))
        f.Add(Code::kPermission, doc_.Where(item) + ": " + sec.kind->label + " " + CodeOf(item) +
                                     " exists outside your data scope");
  }
  for (const auto& ref : doc_.external_refs) {
    const Item& item = doc_.sections[ref.kind_index].items[ref.item_index];
    if (stored_[IndexOf(ref.target)].count(ref.code)) continue;
    HEAT_ASSIGN(auto hidden, Hidden(*ref.target, {ref.code}));
    std::string what = ref.key + ": " + ref.target->label + " " + ref.code;
    if (hidden.empty())
      f.Add(Code::kUsage, doc_.Where(item) + ": " + what + " is neither in this file nor in the database");
    else
      f.Add(Code::kPermission, doc_.Where(item) + ": " + what + " is outside your data scope");
  }
  return f.lines.empty() ? Status::Ok() : f.ToStatus(doc_.filename);
}

Status Applier::WriteItem(const Item& item, Stored& stored, KindCounts& counts,
                          ImportReport& report) {
  const Kind& kind = *item.kind;
  const std::string code = CodeOf(item), name = std::string(kind.label) + " " + code;
  auto it = stored.find(code);
  if (it == stored.end()) {
    HEAT_ASSIGN(Values full, Complete(kind, item.values));
    HEAT_TRY(Insert(conn_, kind, full).With(doc_.Where(item)));
    stored[code] = full;
    ++counts.added;
    report.changes.push_back(name + ": added");
    return Status::Ok();
  }
  Values changed;
  std::string line;
  for (const auto& [key, value] : item.values) {
    if (key == "code" || it->second[key] == value) continue;
    changed[key] = value;
    line += (line.empty() ? ": " : ", ") + key + " " + Show(it->second[key]) + " -> " + Show(value);
  }
  if (changed.empty()) {
    ++counts.unchanged;
    return Status::Ok();
  }
  HEAT_TRY(Update(conn_, kind, code, changed).With(doc_.Where(item)));
  ++counts.changed;
  report.changes.push_back(name + line);
  return Status::Ok();
}

Status Applier::Write(ImportReport& report) {
  for (size_t ki = 0; ki < doc_.sections.size(); ++ki) {
    const Section& sec = doc_.sections[ki];
    if (!sec.present) continue;
    report.counts.push_back(KindCounts{sec.kind});
    for (const auto& item : sec.items)
      HEAT_TRY(WriteItem(item, stored_[ki], report.counts.back(), report));
  }
  return Status::Ok();
}

// Codes to remove from a section: stored, not in the file; org units
// deepest first so children go before their parents.
std::vector<std::string> Applier::PruneOrder(size_t ki) const {
  std::set<std::string> listed;
  for (const auto& item : doc_.sections[ki].items) listed.insert(CodeOf(item));
  const Stored& stored = stored_[ki];
  std::vector<std::pair<int, std::string>> order;
  for (const auto& [code, values] : stored) {
    if (listed.count(code)) continue;
    int depth = 0;
    for (auto p = values.find("parent"); p != values.end() && p->second && depth < 1000; ++depth) {
      auto up = stored.find(*p->second);
      if (up == stored.end()) break;
      p = up->second.find("parent");
    }
    order.emplace_back(-depth, code);
  }
  std::sort(order.begin(), order.end());
  std::vector<std::string> out;
  for (auto& [d, code] : order) out.push_back(std::move(code));
  return out;
}

Status Applier::Prune(ImportReport& report) {
  for (size_t ki = doc_.sections.size(); ki-- > 0;) {
    const Section& sec = doc_.sections[ki];
    if (!sec.present) continue;
    auto counts = std::find_if(report.counts.begin(), report.counts.end(),
                               [&](const KindCounts& c) { return c.kind == sec.kind; });
    for (const auto& code : PruneOrder(ki)) {
      HEAT_TRY(Remove(conn_, *sec.kind, code).With("prune"));
      ++counts->removed;
      report.changes.push_back(std::string(sec.kind->label) + " " + code + ": removed");
    }
  }
  return Status::Ok();
}

}  // namespace

int ImportReport::total_changes() const {
  int n = 0;
  for (const auto& c : counts) n += c.added + c.changed + c.removed;
  return n;
}

Result<ImportReport> ApplyNetwork(db::Conn& conn, const Document& doc, bool dry_run, bool prune) {
  HEAT_ASSIGN(auto tx, db::Transaction::Start(conn));
  Applier a(conn, doc);
  ImportReport report;
  report.dry_run = dry_run;
  HEAT_TRY(a.Load());
  HEAT_TRY(a.Check());
  HEAT_TRY(a.Write(report));
  HEAT_TRY(ApplyAlarmRules(conn, doc, report));
  HEAT_TRY(ApplyPipes(conn, doc, prune, report));  // prunes its own rows before networks go
  if (prune) HEAT_TRY(a.Prune(report));
  if (!dry_run) HEAT_TRY(tx->Commit());
  return report;  // a dry run rolls back when tx goes out of scope
}

}  // namespace heat::network
