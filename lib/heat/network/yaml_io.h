// network/yaml_io.h — base information as files (SYS-3, SYS-4, ARC-3, ARC-4):
// import and export of the whole network as YAML, export of the map layers
// as GeoJSON.
//
// THE FILE FORMAT (read by `heatctl import`, written by `heatctl export`)
//
// A YAML mapping whose optional top-level keys are the plurals of the kinds
// of kinds.h, each a list of mappings:
//
//   org_units:     [{code, name, parent}]
//   heat_sources:  [{code, name, kind, org, capacity_mw, location, address}]
//   networks:      [{code, name, kind, org, source}]
//   stations:      [{code, name, org, network, process_type, heating_area_m2, ...}]
//   buildings:     [{code, name, station, area_m2, floors, year_built, location, ...}]
//   register_maps: [{code, name, vendor, model, ...everything else is the body}]
//   devices:       [{code, name, kind, protocol, address, station, building,
//                    register_map, vendor, model, settings, points: [...]}]
//   points:        [{code, device, tag, name, unit, kind, range_lo, range_hi, scale, offset}]
//   alarm_rules:   [{code, attach, kind, tag, ref_tag, limit, deadband, on_delay, ...}]
//                  (yaml_alarm_rules.cc; written through heat.alarm_rule_set)
//   pipe_nodes:    [{network, code, kind, elevation_m, demand_m3h, head_m, station, location, ...}]
//   pipe_links:    [{network, code, kind, from, to, length_m, diameter_mm, roughness, ...}]
//                  (yaml_pipes.cc: a network's hydraulic model, codes unique
//                  within the network, from/to by node code in that network)
//
// An item's keys are `code` plus its kind's field keys (kinds.h); references
// are written as the code of the referenced object, which may be in the same
// file or already in the database. Values:
//  * locations are `location: [lon, lat]` (WGS84 degrees; "lon,lat" works too);
//  * JSON fields (device `settings`) are YAML mappings;
//  * a register map's keys other than code, name, vendor and model (registers,
//    scan_groups, word_order, ...) together form its JSON `body`; a `body:`
//    mapping is merged in as well;
//  * points may be nested in their device under `points:`, the device implied.
//    A nested point without `code` gets `<prefix>.<tag>`, where the prefix is
//    the device's station for control_box and plc devices whose item names a
//    station (station tags like S01.t1s, DESIGN §4), else the device's code.
//
// Semantics of an import: the file lists objects and the fields it states.
// An object not in the database is added (absent fields take their
// defaults); an object that exists gets exactly the stated fields that
// differ; a field absent from an item is left as it is, and `key: null`
// (or `key: ~`) clears it to its default. Required fields must be stated
// even for existing objects. Objects not in the file are left alone unless
// prune is asked: then the visible objects of every kind the file has a
// section for (points: also when nested) that the file does not list are
// removed, children first. All of it is one transaction: on any error
// nothing is written.
//
// Errors name `file:line`, the item and the key, e.g.
//   net.yaml:42: stations[3] (S04): heating_area_m2: expected a number, got 'ten'
// Every error of a file is collected (up to 20 shown) before anything is
// written; file errors are kUsage, objects outside the caller's data scope
// kPermission, database conflicts kConflict.
//
// Export writes every object the caller can see in this format, points
// nested under their devices, fields that are null or at their default
// omitted, a nested point's code omitted when it is the default; importing
// an export changes nothing ("0 changes").
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "heat/db/conn.h"
#include "heat/network/kinds.h"

namespace heat::network {

// One object of the file.
struct Item {
  const Kind* kind = nullptr;
  std::string where;   // "stations[3] (S04)", "devices[2] (S01-CB).points[0] (S01.t1s)"
  int line = 0;        // 1-based line of the item in the file
  Values values;       // "code" and the stated fields, canonical (null = cleared)
};

// A reference to an object that is not in the file; it must exist in the
// database (checked by ApplyNetwork).
struct ExternalRef {
  size_t kind_index;   // index in Kinds() of the referring item
  size_t item_index;   // index in that section's items
  std::string key;     // "org"
  const Kind* target;  // the kind referred to
  std::string code;
};

struct Section {
  const Kind* kind = nullptr;
  bool present = false;     // the file has this section (or nested points)
  std::vector<Item> items;  // org units ordered parents first
};

// An alarm rule of the file (ALM-3): a code at one attachment and the
// columns it states, as heat.alarm_rule_set takes them.
struct AlarmRuleItem {
  std::string where;
  int line = 0;
  std::string code, attach = "all", to;
  nlohmann::json body = nlohmann::json::object();
};

// A node or link of a network's hydraulic model: its network, its code in
// that network and the stated keys as canonical text (null = cleared).
struct PipeItem {
  std::string where;  // "pipe_links[3] (NET1/P7)"
  int line = 0;
  std::string network, code;
  Values values;
};

struct Document {
  std::string filename;
  std::vector<Section> sections;  // one per kind, in the order of Kinds()
  std::vector<ExternalRef> external_refs;
  bool alarm_rules_present = false;
  std::vector<AlarmRuleItem> alarm_rules;
  bool pipe_nodes_present = false, pipe_links_present = false;
  std::vector<PipeItem> pipe_nodes, pipe_links;

  // "net.yaml:42: stations[3] (S04)"
  std::string Where(const Item& item) const;
  size_t size() const;  // number of items
};

// Parses and validates a file without touching a database.
Result<Document> ParseNetworkYaml(std::string_view text, const std::string& filename);

struct KindCounts {
  const Kind* kind = nullptr;
  int added = 0, changed = 0, unchanged = 0, removed = 0;
};

struct ImportReport {
  std::vector<KindCounts> counts;     // kinds the file has, in the order of Kinds()
  std::vector<std::string> changes;   // "station S01: name '老站' -> '新站'"
  bool dry_run = false;
  int total_changes() const;          // objects added, changed or removed
};

// Writes the document in one transaction (rolled back when dry_run).
Result<ImportReport> ApplyNetwork(db::Conn& conn, const Document& doc, bool dry_run,
                                  bool prune = false);

// Every visible object in the file format above.
Result<std::string> ExportNetworkYaml(db::Conn& conn);

// The alarm_rules section (yaml_alarm_rules.cc): parsed into doc, errors
// reported as (line, where, message); written after the base information
// in ApplyNetwork's transaction; exported after it.
void ParseAlarmRules(const YAML::Node& list, Document& doc,
                     const std::function<void(int, const std::string&, const std::string&)>& error);
Status ApplyAlarmRules(db::Conn& conn, const Document& doc, ImportReport& report);
Status ExportAlarmRules(db::Conn& conn, YAML::Emitter& out);

// The pipe_nodes and pipe_links sections (yaml_pipes.cc, ANA-3): parsed
// into doc (section is "pipe_nodes" or "pipe_links"); written after the
// base information and alarm rules in ApplyNetwork's transaction, nodes
// before links (and with prune, unlisted links before unlisted nodes);
// exported after the alarm rules, by network and code.
void ParsePipes(const std::string& section, const YAML::Node& list, Document& doc,
                const std::function<void(int, const std::string&, const std::string&)>& error);
Status ApplyPipes(db::Conn& conn, const Document& doc, bool prune, ImportReport& report);
Status ExportPipes(db::Conn& conn, YAML::Emitter& out);

// The map layers (SYS-4): a GeoJSON FeatureCollection of Point features for
// heat sources, stations and buildings that have a location. Properties:
// layer ("source" | "station" | "building"), code, name; org (sources,
// stations) or station (buildings); capacity_mw, heating_area_m2 or area_m2;
// for stations the latest t1s t1r t2s t2r p2s p2r f1 pw1 q1 v1 and their ts
// (ISO 8601) from api.station_latest, null when there is none. Then the
// hydraulic models: layer "pipe_node" (Points: network, code, kind,
// elevation_m, demand_m3h, head_m, station) and layer "pipe_link"
// (LineStrings along the link's path, or straight between its nodes when
// both have a location: network, code, kind, from, to, length_m,
// diameter_mm, valve, setting, status).
Result<std::string> ExportGeoJson(db::Conn& conn);

// The default code of a point nested in a device with these values.
std::string DefaultPointCode(const Values& device, const std::string& tag);

}  // namespace heat::network
