// Import files of base information (SYS-3, ARC-3): parsing, validation
// errors with file:line, nested points and their default codes, register
// map bodies, and JSON <-> YAML. No database: ApplyNetwork and the exports
// are covered by tests/integration/heatctl_import_test.sh.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "heat/network/yaml_io.h"
#include "heat/network/yaml_json.h"

namespace heat::network {
namespace {

const Section& Sec(const Document& d, const char* table) {
  for (const auto& s : d.sections)
    if (std::string(s.kind->table) == table) return s;
  throw std::logic_error(table);
}

// The one error message of a failed parse ("" when it succeeded).
std::string Errors(std::string_view text) {
  auto r = ParseNetworkYaml(text, "net.yaml");
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), Code::kUsage);
  return r.status().message();
}

Document Parse(std::string_view text) {
  auto r = ParseNetworkYaml(text, "net.yaml");
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : Document{};
}

constexpr const char* kSmall = R"(org_units:
  - {code: HQ, name: 热力公司}
  - {code: BR1, name: 第一分公司, parent: HQ}
stations:
  - code: S01
    name: 南湖站
    org: BR1
    heating_area_m2: 52000.50
    location: [87.6418, 43.8472]
  - code: S04
    name: 幸福路站
    org: BR1
    heating_area_m2: ten
)";

TEST(NetworkYamlTest, ValuesAreCanonical) {
  auto d = Parse(R"(stations:
  - code: S01
    name: 南湖站
    org: BR1
    heating_area_m2: 52000.50
    location: [87.6418, 43.8472]
    address: ~
)");
  const auto& s = Sec(d, "station");
  ASSERT_EQ(s.items.size(), 1u);
  const Item& it = s.items[0];
  EXPECT_EQ(it.line, 2);
  EXPECT_EQ(it.where, "stations[0] (S01)");
  EXPECT_EQ(*it.values.at("heating_area_m2"), "52000.5");
  EXPECT_EQ(*it.values.at("location"), "87.6418,43.8472");
  EXPECT_EQ(*it.values.at("name"), "南湖站");
  // Stated as null: cleared. Not stated: left alone (absent from values).
  ASSERT_TRUE(it.values.count("address"));
  EXPECT_FALSE(it.values.at("address").has_value());
  EXPECT_FALSE(it.values.count("design_supply_c"));
  EXPECT_TRUE(Sec(d, "station").present);
  EXPECT_FALSE(Sec(d, "building").present);
}

TEST(NetworkYamlTest, BadValueNamesFileLineItemAndKey) {
  std::string e = Errors(kSmall);
  EXPECT_NE(e.find("net.yaml:13: stations[1] (S04): heating_area_m2: expected a number, got 'ten'"),
            std::string::npos) << e;
}

TEST(NetworkYamlTest, UnknownSectionSuggests) {
  std::string e = Errors("org_units: []\nstaions:\n  - {code: S01}\n");
  EXPECT_NE(e.find("net.yaml:2: unknown section 'staions' (did you mean stations?)"), std::string::npos) << e;
}

TEST(NetworkYamlTest, UnknownKeySuggests) {
  std::string e = Errors("stations:\n  - code: S01\n    name: x\n    org: BR1\n    heating_area: 5\n");
  EXPECT_NE(e.find("net.yaml:5: stations[0] (S01): unknown key 'heating_area' (did you mean heating_area_m2?)"),
            std::string::npos) << e;
}

TEST(NetworkYamlTest, MissingRequiredKeys) {
  std::string e = Errors("stations:\n  - code: S01\n    org: BR1\n  - name: x\n    org: BR1\n");
  EXPECT_NE(e.find("net.yaml:2: stations[0] (S01): missing required key 'name'"), std::string::npos) << e;
  EXPECT_NE(e.find("net.yaml:4: stations[1]: missing required key 'code'"), std::string::npos) << e;
  EXPECT_NE(e.find("2 errors"), std::string::npos) << e;
}

TEST(NetworkYamlTest, RequiredKeyCannotBeNull) {
  std::string e = Errors("stations:\n  - {code: S01, name: ~, org: BR1}\n");
  EXPECT_NE(e.find("net.yaml:2: stations[0] (S01): name: a value is required"), std::string::npos) << e;
}

TEST(NetworkYamlTest, DuplicateCodesNameBothLines) {
  std::string e = Errors(R"(stations:
  - {code: S01, name: a, org: BR1}
  - {code: S02, name: b, org: BR1}
  - {code: S01, name: c, org: BR1}
)");
  EXPECT_NE(e.find("net.yaml:4: stations[2] (S01): duplicate code S01, also at net.yaml:2: stations[0] (S01)"),
            std::string::npos) << e;
}

TEST(NetworkYamlTest, DuplicateKeysAndSections) {
  std::string e = Errors("stations:\n  - code: S01\n    name: a\n    name: b\n    org: BR1\nstations: []\n");
  EXPECT_NE(e.find("net.yaml:4: stations[0] (S01): key name appears twice (also at line 3)"),
            std::string::npos) << e;
  EXPECT_NE(e.find("net.yaml:6: section stations appears twice"), std::string::npos) << e;
}

TEST(NetworkYamlTest, MalformedYamlGivesTheParsersLine) {
  std::string e = Errors("stations:\n  - {code: S01, name: [a\n  - {code: S02}\n");
  EXPECT_EQ(e.rfind("net.yaml:", 0), 0u) << e;
  EXPECT_NE(e.find("not valid YAML"), std::string::npos) << e;
  e = Errors("stations:\n  - code: S01\n   name: x\n");
  EXPECT_NE(e.find("net.yaml:3:"), std::string::npos) << e;
}

TEST(NetworkYamlTest, WrongShapes) {
  EXPECT_NE(Errors("- a\n- b\n").find("net.yaml:1: expected a mapping of sections"), std::string::npos);
  EXPECT_NE(Errors("stations: S01\n").find("net.yaml:1: stations: expected a list of items"),
            std::string::npos);
  EXPECT_NE(Errors("stations:\n  - S01\n").find("net.yaml:2: stations[0]: expected a mapping of keys"),
            std::string::npos);
  EXPECT_NE(Errors("stations:\n  - {code: S01, name: [a, b], org: BR1}\n")
                .find("stations[0] (S01): name: expected a single value, got a list"),
            std::string::npos);
  EXPECT_NE(Errors("buildings:\n  - {code: B1, name: b, station: S01, location: [1]}\n")
                .find("location: expected [lon, lat]"),
            std::string::npos);
}

TEST(NetworkYamlTest, ErrorsAreCollectedUpToTwenty) {
  std::string text = "stations:\n";
  for (int i = 0; i < 25; ++i) text += "  - {code: S" + std::to_string(i) + ", org: BR1}\n";
  std::string e = Errors(text);
  EXPECT_NE(e.find("25 errors, nothing imported"), std::string::npos) << e;
  EXPECT_NE(e.find("net.yaml:21: stations[19]"), std::string::npos) << e;
  EXPECT_EQ(e.find("net.yaml:22: stations[20]"), std::string::npos) << e;
  EXPECT_NE(e.find("... and 5 more"), std::string::npos) << e;
}

TEST(NetworkYamlTest, EmptyFileIsAnEmptyDocument) {
  auto d = Parse("");
  EXPECT_EQ(d.size(), 0u);
  d = Parse("# nothing\n");
  EXPECT_EQ(d.size(), 0u);
}

constexpr const char* kDevices = R"(devices:
  - code: S01-CB
    name: 控制箱
    kind: control_box
    protocol: mqtt
    address: S01
    station: S01
    points:
      - {tag: t1s, unit: °C, range_lo: 0, range_hi: 150}
      - {tag: v1, code: S01.valve, unit: "%"}
  - code: S01-HM
    name: 热量表
    kind: heat_meter
    protocol: cjt188
    address: "20231108000101"
    station: S01
    points:
      - {tag: heat, unit: GJ, kind: counter}
  - code: S01-B1-RS1
    name: 室温采集器
    kind: room_sensor
    protocol: coap
    address: "867543040000014"
    building: S01-B1
    settings: {upload_s: 1800, sample_s: 600}
    points:
      - {tag: temp}
points:
  - {device: S01-CB, tag: t2s}
  - {code: X.t9, device: NODEV, tag: t9}
)";

TEST(NetworkYamlTest, NestedPointsTakeDeviceAndDefaultCodes) {
  auto d = Parse(kDevices);
  const auto& pts = Sec(d, "point").items;
  ASSERT_EQ(pts.size(), 6u);
  std::vector<std::string> codes;
  for (const auto& p : pts) codes.push_back(*p.values.at("code"));
  EXPECT_EQ(codes, (std::vector<std::string>{"S01.t1s", "S01.valve", "S01-HM.heat",
                                             "S01-B1-RS1.temp", "S01.t2s", "X.t9"}));
  EXPECT_EQ(*pts[0].values.at("device"), "S01-CB");
  EXPECT_EQ(*pts[0].values.at("range_hi"), "150");
  EXPECT_EQ(pts[0].line, 9);
  EXPECT_EQ(pts[0].where, "devices[0] (S01-CB).points[0] (S01.t1s)");
  EXPECT_EQ(*pts[3].values.at("device"), "S01-B1-RS1");
  EXPECT_EQ(*Sec(d, "device").items[2].values.at("settings"), R"({"sample_s":600,"upload_s":1800})");
  EXPECT_TRUE(Sec(d, "point").present);
}

TEST(NetworkYamlTest, ReferencesOutsideTheFileAreLeftForTheDatabase) {
  auto d = Parse(kDevices);
  std::vector<std::string> refs;
  for (const auto& r : d.external_refs) refs.push_back(r.key + "=" + r.code);
  // S01 and S01-B1 are not in the file; nor is NODEV. S01-CB is.
  EXPECT_EQ(refs, (std::vector<std::string>{"station=S01", "station=S01", "building=S01-B1",
                                            "device=NODEV"}));
  const auto& last = d.external_refs.back();
  EXPECT_EQ(d.Where(d.sections[last.kind_index].items[last.item_index]),
            "net.yaml:30: points[1] (X.t9)");
}

TEST(NetworkYamlTest, PointErrors) {
  std::string e = Errors(R"(devices:
  - code: D1
    name: d
    kind: room_sensor
    protocol: coap
    building: B1
    points:
      - {tag: temp, device: OTHER}
      - {unit: °C}
points:
  - {device: NODEV, tag: t1}
)");
  EXPECT_NE(e.find("net.yaml:8: devices[0] (D1).points[0] (D1.temp): device: the point is nested in device D1"),
            std::string::npos) << e;
  EXPECT_NE(e.find("net.yaml:9: devices[0] (D1).points[1]: missing required key 'tag'"), std::string::npos) << e;
  EXPECT_NE(e.find("net.yaml:11: points[0] (tag t1): missing required key 'code' (or nest the point"),
            std::string::npos) << e;
}

TEST(NetworkYamlTest, DefaultPointCode) {
  Values box{{"code", "S01-CB"}, {"kind", "control_box"}, {"station", "S01"}};
  EXPECT_EQ(DefaultPointCode(box, "t1s"), "S01.t1s");
  box["kind"] = "plc";
  EXPECT_EQ(DefaultPointCode(box, "t1s"), "S01.t1s");
  box["station"] = std::nullopt;
  EXPECT_EQ(DefaultPointCode(box, "t1s"), "S01-CB.t1s");
  Values meter{{"code", "S01-HM"}, {"kind", "heat_meter"}, {"station", "S01"}};
  EXPECT_EQ(DefaultPointCode(meter, "heat"), "S01-HM.heat");
}

TEST(NetworkYamlTest, DuplicateDeviceAddress) {
  std::string e = Errors(R"(devices:
  - {code: A, name: a, kind: room_sensor, protocol: coap, address: "1", building: B}
  - {code: B, name: b, kind: room_sensor, protocol: coap, address: "1", building: B}
)");
  EXPECT_NE(e.find("net.yaml:3: devices[1] (B): address: coap address 1 is also used by net.yaml:2"),
            std::string::npos) << e;
}

TEST(NetworkYamlTest, RegisterMapKeysFormTheBody) {
  auto d = Parse(R"(register_maps:
  - code: HX2000
    name: 换热机组
    vendor: 天山自控
    word_order: CDAB
    registers:
      - {tag: t2s, table: input, addr: 0, type: i16, scale: 0.1, unit: °C, writable: false}
      - {tag: v1_set, table: holding, addr: "100", type: f32, writable: true}
    scan_groups:
      - {name: fast, period_s: 5, tags: [t2s]}
    body: {note: ~}
)");
  const auto& m = Sec(d, "register_map").items.at(0);
  EXPECT_EQ(*m.values.at("vendor"), "天山自控");
  EXPECT_FALSE(m.values.count("model"));
  auto body = nlohmann::json::parse(*m.values.at("body"));
  EXPECT_EQ(body["word_order"], "CDAB");
  EXPECT_EQ(body["registers"][0]["scale"], 0.1);
  EXPECT_EQ(body["registers"][0]["addr"], 0);
  EXPECT_EQ(body["registers"][0]["writable"], false);
  EXPECT_EQ(body["registers"][1]["addr"], "100");  // quoted: a string
  EXPECT_EQ(body["scan_groups"][0]["tags"][0], "t2s");
  EXPECT_TRUE(body["note"].is_null());
  EXPECT_FALSE(body.contains("code"));
}

TEST(NetworkYamlTest, OrgUnitsParentsFirstAndNoCycles) {
  auto d = Parse("org_units:\n  - {code: C, name: c, parent: B}\n  - {code: B, name: b, parent: A}\n"
                 "  - {code: A, name: a}\n");
  std::string order;
  for (const auto& i : Sec(d, "org_unit").items) order += *i.values.at("code");
  EXPECT_EQ(order, "ABC");
  std::string e = Errors("org_units:\n  - {code: A, name: a, parent: B}\n  - {code: B, name: b, parent: A}\n");
  EXPECT_NE(e.find("parent: org units form a cycle"), std::string::npos) << e;
  e = Errors("org_units:\n  - {code: A, name: a, parent: A}\n");
  EXPECT_NE(e.find("parent: an object cannot refer to itself"), std::string::npos) << e;
}

TEST(NetworkYamlTest, DemoNetworkParses) {
  std::ifstream in(std::string(HEAT_SOURCE_DIR) + "/etc/examples/demo-network.yaml");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  auto d = Parse(text.str());
  EXPECT_GE(Sec(d, "station").items.size(), 14u);
  EXPECT_GE(Sec(d, "point").items.size(), 14u * 22);
  EXPECT_TRUE(d.external_refs.empty());  // the demo is self-contained
}

TEST(YamlJsonTest, PlainScalarTypes) {
  EXPECT_EQ(PlainScalarType("~"), ScalarType::kNull);
  EXPECT_EQ(PlainScalarType("True"), ScalarType::kBool);
  EXPECT_EQ(PlainScalarType("-12"), ScalarType::kInt);
  EXPECT_EQ(PlainScalarType("1.5e3"), ScalarType::kFloat);
  EXPECT_EQ(PlainScalarType("yes"), ScalarType::kString);  // YAML 1.2: a string
  EXPECT_EQ(PlainScalarType("°C"), ScalarType::kString);
}

TEST(YamlJsonTest, JsonRoundTripsThroughYaml) {
  auto j = nlohmann::json::parse(
      R"({"a":[1,2.5,"3","true",null,"",{"x":"y"}],"b":{"c":false,"d":"南湖"},"e":"null","f":1e300})");
  YAML::Emitter out;
  EmitJson(out, j);
  ASSERT_TRUE(out.good());
  auto back = JsonFromYaml(YAML::Load(out.c_str()));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->dump(), j.dump()) << out.c_str();
  EXPECT_NE(std::string(out.c_str()).find("南湖"), std::string::npos);  // not escaped
}

}  // namespace
}  // namespace heat::network

namespace heat::network {
namespace {

// Regression (found by network_yaml_fuzz): invalid UTF-8 reached
// nlohmann::json's dump, which threw and aborted heatctl.
TEST(NetworkYamlTest, InvalidUtf8IsAUsageErrorNamingTheLine) {
  auto r = ParseNetworkYaml("stations:\n  - code: S1\n    name: \xBE\xBE\n", "net.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUsage);
  EXPECT_EQ(r.status().message(), "net.yaml:3: not valid UTF-8");
}

// Regression (found by network_yaml_fuzz, CI stop 6): the file was valid
// UTF-8, but yaml-cpp read a key holding a NUL byte as text that is not,
// and nlohmann::json's dump threw on it out of the register-map body.
TEST(NetworkYamlTest, ScalarThatDecodesToInvalidUtf8IsAUsageError) {
  static const char kYaml[] = "register_maps:\n  - code: M1\n    vendor: \xE5\xA4\xA9\n    wo\x01\0_order: ABCD\n";
  auto r = ParseNetworkYaml(std::string(kYaml, sizeof kYaml - 1), "net.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUsage);
  EXPECT_NE(r.status().message().find("not valid UTF-8"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace heat::network

namespace heat::network {
namespace {

// The hydraulic model's sections (ANA-3, yaml_pipes.cc).
TEST(NetworkYamlPipesTest, NodesAndLinksParseWithCanonicalValues) {
  auto d = Parse(R"(pipe_nodes:
  - {network: NET1, code: R, kind: reservoir, head_m: 885.0, location: [87.60, 43.90]}
  - {network: NET1, code: J1, elevation_m: 767.10}
pipe_links:
  - {network: NET1, code: P1, from: R, to: J1, length_m: 2260, diameter_mm: 600, roughness: 0.5,
     path: [[87.6, 43.9], [87.603, 43.888], [87.6005, 43.879]]}
  - {network: NET1, code: PU, kind: pump, from: R, to: J1, curve: [[0, 60], [500.0, 50]]}
)");
  ASSERT_EQ(d.pipe_nodes.size(), 2u);
  ASSERT_EQ(d.pipe_links.size(), 2u);
  EXPECT_EQ(d.pipe_nodes[0].values.at("head_m"), "885");
  EXPECT_EQ(d.pipe_nodes[0].values.at("location"), "87.6,43.9");
  EXPECT_EQ(d.pipe_nodes[1].values.at("elevation_m"), "767.1");
  EXPECT_EQ(d.pipe_links[0].values.at("path"), "[[87.6,43.9],[87.603,43.888],[87.6005,43.879]]");
  EXPECT_EQ(d.pipe_links[1].values.at("curve"), "[[0,60],[500,50]]");
  EXPECT_EQ(d.pipe_links[1].where, "pipe_links[1] (NET1/PU)");
}

// Found by fuzz.network_yaml_fuzz: an empty number read as "no value" and
// was dereferenced.
TEST(NetworkYamlPipesTest, EmptyNumberIsRefusedWithItsKeyNotACrash) {
  std::string e = Errors(R"(pipe_nodes:
  - {network: NET1, code: J1, elevation_m: ""}
)");
  EXPECT_NE(e.find("elevation_m: expected a number, got ''"), std::string::npos) << e;
}

TEST(NetworkYamlPipesTest, BadItemsAreRefusedWithLineAndKey) {
  std::string e = Errors(R"(pipe_nodes:
  - {network: NET1, code: J1, elevaton_m: 3}
  - {network: NET1, code: J2}
  - {network: NET1, code: J2}
pipe_links:
  - {network: NET1, code: P1, from: J1, length_m: ten}
  - {network: NET1, code: PU, kind: pump, from: J1, to: J2, curve: [[10, 60], [5, 50]]}
  - {network: NET1, code: V, kind: valve, valve: tcx, from: J1, to: J2}
)");
  EXPECT_NE(e.find("net.yaml:2: pipe_nodes[0] (NET1/J1): unknown key 'elevaton_m' (did you mean elevation_m?)"),
            std::string::npos) << e;
  EXPECT_NE(e.find("net.yaml:4: pipe_nodes[2] (NET1/J2): duplicate code J2 in network NET1, also at line 3"),
            std::string::npos) << e;
  EXPECT_NE(e.find("length_m: expected a number, got 'ten'"), std::string::npos) << e;
  EXPECT_NE(e.find("pipe_links[0] (NET1/P1): missing required key 'to'"), std::string::npos) << e;
  EXPECT_NE(e.find("curve: flows must ascend, got 5 after 10"), std::string::npos) << e;
  EXPECT_NE(e.find("valve: expected one of prv, psv, pbv, fcv, tcv, gpv, got 'tcx'"), std::string::npos) << e;
}

TEST(NetworkYamlPipesTest, TheSameCodeInTwoNetworksIsFine) {
  auto d = Parse("pipe_nodes: [{network: N1, code: J1}, {network: N2, code: J1}]\n");
  EXPECT_EQ(d.pipe_nodes.size(), 2u);
  EXPECT_TRUE(d.pipe_nodes_present);
  EXPECT_FALSE(d.pipe_links_present);
}

}  // namespace
}  // namespace heat::network
