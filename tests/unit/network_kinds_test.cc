// The table of base-information kinds and canonical values (SYS-3).
#include <gtest/gtest.h>

#include "heat/network/kinds.h"
#include "heat/network/store.h"

namespace heat::network {
namespace {

const Field& F(const char* kind, const char* key) {
  const Kind* k = FindKind(kind);
  EXPECT_NE(k, nullptr) << kind;
  const Field* f = FindField(*k, key);
  EXPECT_NE(f, nullptr) << key;
  return *f;
}

TEST(KindsTest, ParentsComeBeforeChildren) {
  std::vector<std::string> seen;
  for (const auto& k : Kinds()) {
    for (const auto& f : k.fields) {
      if (f.type != FieldType::kRef || std::string(f.ref_kind) == k.table) continue;
      EXPECT_NE(std::find(seen.begin(), seen.end(), f.ref_kind), seen.end())
          << k.name << "." << f.key << " refers to a later kind";
    }
    seen.push_back(k.table);
  }
}

TEST(KindsTest, FoundByNamePluralOrTable) {
  EXPECT_EQ(FindKind("station"), FindKind("stations"));
  EXPECT_EQ(FindKind("register-map"), FindKind("register_map"));
  EXPECT_EQ(FindKind("org"), FindKind("org_unit"));
  EXPECT_EQ(FindKind("nope"), nullptr);
}

TEST(CanonicalTest, DecimalsLoseTrailingZeros) {
  EXPECT_EQ(*Canonical(F("station", "heating_area_m2"), "52000.50"), "52000.5");
  EXPECT_EQ(*Canonical(F("station", "heating_area_m2"), "12000.00"), "12000");
  EXPECT_EQ(*Canonical(F("station", "heating_area_m2"), "007"), "7");
  EXPECT_EQ(*Canonical(F("station", "heating_area_m2"), "-0.0"), "0");
  EXPECT_EQ(Canonical(F("station", "heating_area_m2"), "ten").status().code(), Code::kUsage);
  EXPECT_EQ(Canonical(F("station", "heating_area_m2"), "1e3").status().code(), Code::kUsage);
  // Regression: 110.25 into numeric(5,1) was rounded by PostgreSQL and
  // showed as a change on every import.
  EXPECT_EQ(Canonical(F("station", "design_supply_c"), "110.25").status().code(), Code::kUsage);
  EXPECT_EQ(*Canonical(F("station", "design_supply_c"), "110.50"), "110.5");
  EXPECT_EQ(Canonical(F("station", "heating_area_m2"), "1.005").status().code(), Code::kUsage);
}

TEST(CanonicalTest, AbsentValueTakesTheDefaultOrIsRequired) {
  EXPECT_EQ(*Canonical(F("station", "process_type"), std::nullopt), "plate_hx");
  EXPECT_EQ(*Canonical(F("station", "address"), std::nullopt), std::nullopt);
  auto r = Canonical(F("station", "name"), std::nullopt);
  EXPECT_EQ(r.status().code(), Code::kUsage);
  EXPECT_NE(r.status().message().find("name"), std::string::npos);
}

TEST(CanonicalTest, EnumsLocationsAndJson) {
  auto bad = Canonical(F("device", "kind"), "toaster");
  EXPECT_NE(bad.status().message().find("control_box"), std::string::npos);
  EXPECT_EQ(*Canonical(F("station", "location"), "87.610,43.8200"), "87.61,43.82");
  EXPECT_FALSE(Canonical(F("station", "location"), "87.6").ok());
  EXPECT_FALSE(Canonical(F("station", "location"), "200,43").ok());
  EXPECT_EQ(*Canonical(F("device", "settings"), R"({"b":1, "a":2})"), R"({"a":2,"b":1})");
  EXPECT_FALSE(Canonical(F("device", "settings"), "[1]").ok());
  EXPECT_EQ(*Canonical(F("point", "scale"), "0.10"), "0.1");
}

TEST(AssignmentsTest, UnknownKeySuggestsTheNearest) {
  auto r = ParseAssignments(*FindKind("station"), {"heating_area=5"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("did you mean heating_area_m2"), std::string::npos);
}

TEST(AssignmentsTest, EmptyValueClearsOptionalRefusesRequired) {
  auto r = ParseAssignments(*FindKind("station"), {"address=", "name=新站"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->at("address"), std::nullopt);
  EXPECT_EQ(r->at("name"), "新站");
  EXPECT_FALSE(ParseAssignments(*FindKind("station"), {"name="}).ok());
  EXPECT_FALSE(ParseAssignments(*FindKind("station"), {"noequals"}).ok());
}

TEST(ListSqlTest, ResolvesReferencesToCodes) {
  std::string sql = ListSql(*FindKind("building"));
  EXPECT_NE(sql.find("(SELECT r.code FROM heat.station r WHERE r.id = t.station_id) AS station"),
            std::string::npos);
  EXPECT_NE(sql.find("trim_scale(t.area_m2)::text AS area_m2"), std::string::npos);
}

}  // namespace
}  // namespace heat::network
