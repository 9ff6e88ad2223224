#include "heat/backup/info.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace heat::backup {
namespace {

using Json = nlohmann::json;

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

int64_t Int(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

const Json& Obj(const Json& j, const char* key) {
  static const Json kEmpty = Json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

// The archive id ("15-1") of a database id, from the stanza's archive list.
std::string ArchiveId(const Json& stanza, int64_t db_id) {
  auto it = stanza.find("archive");
  if (it == stanza.end() || !it->is_array()) return "";
  for (const Json& a : *it)
    if (a.is_object() && Int(Obj(a, "database"), "id") == db_id) return Str(a, "id");
  return "";
}

BackupSet ParseSet(const Json& stanza, const Json& b) {
  BackupSet s;
  s.label = Str(b, "label");
  s.type = Str(b, "type");
  s.prior = Str(b, "prior");
  if (auto r = b.find("reference"); r != b.end() && r->is_array())
    for (const Json& x : *r)
      if (x.is_string()) s.references.push_back(x.get<std::string>());
  s.start = Int(Obj(b, "timestamp"), "start");
  s.stop = Int(Obj(b, "timestamp"), "stop");
  s.wal_start = Str(Obj(b, "archive"), "start");
  s.wal_stop = Str(Obj(b, "archive"), "stop");
  s.archive_id = ArchiveId(stanza, Int(Obj(b, "database"), "id"));
  s.size = Int(Obj(b, "info"), "size");
  s.repo_size = Int(Obj(Obj(b, "info"), "repository"), "size");
  return s;
}

StanzaInfo ParseStanza(const Json& j) {
  StanzaInfo info;
  info.name = Str(j, "name");
  info.status_code = static_cast<int>(Int(Obj(j, "status"), "code"));
  info.status_message = Str(Obj(j, "status"), "message");
  if (auto b = j.find("backup"); b != j.end() && b->is_array())
    for (const Json& x : *b)
      if (x.is_object() && !(x.contains("error") && x["error"].is_boolean() && x["error"].get<bool>()))
        info.sets.push_back(ParseSet(j, x));
  std::stable_sort(info.sets.begin(), info.sets.end(),
                   [](const BackupSet& a, const BackupSet& b) { return a.stop < b.stop; });
  if (auto a = j.find("archive"); a != j.end() && a->is_array() && !a->empty() && a->back().is_object()) {
    info.wal_min = Str(a->back(), "min");
    info.wal_max = Str(a->back(), "max");
  }
  return info;
}

}  // namespace

Result<StanzaInfo> ParseInfo(std::string_view text, const std::string& stanza) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return Status::Failure("pgbackrest info: not the JSON of pgbackrest info");
  for (const Json& s : j)
    if (s.is_object() && Str(s, "name") == stanza) return ParseStanza(s);
  return Status::NotFound("pgbackrest info: no stanza '" + stanza + "' in the repository");
}

Result<BackupSet> SetForTime(const StanzaInfo& info, int64_t target,
                             const std::function<std::string(int64_t)>& shown) {
  if (info.sets.empty()) return Status::Usage("there is no backup yet (heatctl db backup now takes one)");
  const BackupSet* best = nullptr;
  for (const BackupSet& s : info.sets)
    if (s.stop <= target) best = &s;
  if (!best)
    return Status::Usage("--to " + shown(target) + " is before the oldest backup " + info.sets.front().label +
                         " was complete (" + shown(info.sets.front().stop) + "): nothing older can be restored");
  return *best;
}

std::vector<std::string> SetChain(const BackupSet& set) {
  std::vector<std::string> chain = set.references;
  if (std::find(chain.begin(), chain.end(), set.label) == chain.end()) chain.push_back(set.label);
  return chain;
}

bool WalFileInRange(std::string_view file, const std::string& first, const std::string& last) {
  if (file.size() < 24 || first.size() != 24 || last.size() != 24) return false;
  std::string_view seg = file.substr(0, 24);
  if (seg.find_first_not_of("0123456789ABCDEF") != std::string_view::npos) return false;
  if (file.size() > 24 && file[24] != '-') return false;  // .backup, .partial and the like
  return seg.substr(0, 8) == std::string_view(first).substr(0, 8) && seg >= first && seg <= last;
}

}  // namespace heat::backup
