// Scan modes of the Modbus poller (MON-2): what each mode polls.
#include <gtest/gtest.h>

#include "heat/ingest/modbus_poll.h"

namespace heat::ingest {
namespace {

PolledDevice Dev(const std::string& code, const std::string& station, std::vector<std::string> orgs) {
  PolledDevice d;
  d.code = code;
  d.station = station;
  d.orgs = std::move(orgs);
  d.map.code = "M";
  d.map.registers.push_back(proto::Register{});
  d.map.registers.back().tag = "t2s";
  d.map.groups.push_back({"fast", 5, {"t2s"}});
  d.map.groups.push_back({"slow", 60, {"t2s"}});
  return d;
}

std::vector<PolledDevice> Network() {
  return {Dev("A-PLC", "A", {"BR1", "HQ"}), Dev("B-PLC", "B", {"BR2", "HQ"}), Dev("C-PLC", "C", {"BR1", "HQ"})};
}

TEST(ModbusPollTest, PatrolPollsEveryGroupOfEveryPlc) {
  auto plan = PlanScan(Network(), ScanOptions{});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->size(), 6u);
}

TEST(ModbusPollTest, AreaPatrolPollsOnlyTheAreasStations) {
  ScanOptions o;
  o.mode = ScanOptions::kArea;
  o.area = "BR1";
  auto plan = PlanScan(Network(), o);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 4u);
  for (const auto& e : *plan) EXPECT_NE(e.device, 1u) << "B is in BR2";
  o.area = "HQ";  // a unit above: everything under it
  EXPECT_EQ(PlanScan(Network(), o)->size(), 6u);
}

TEST(ModbusPollTest, WatchAddsAFastWholeReadOfOneStation) {
  ScanOptions o;
  o.mode = ScanOptions::kWatch;
  o.watch = "B";
  o.watch_period_s = 1;
  auto plan = PlanScan(Network(), o);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 7u);
  int watched = 0;
  for (const auto& e : *plan)
    if (e.group.name == "watch") {
      ++watched;
      EXPECT_EQ(e.device, 1u);
      EXPECT_EQ(e.group.period_s, 1);
      EXPECT_TRUE(e.group.tags.empty()) << "the watch reads every register";
    }
  EXPECT_EQ(watched, 1);
}

TEST(ModbusPollTest, AreaOrWatchNamingNothingIsRefused) {
  ScanOptions o;
  o.mode = ScanOptions::kArea;
  o.area = "NOWHERE";
  EXPECT_EQ(PlanScan(Network(), o).status().code(), Code::kUsage);
  o.mode = ScanOptions::kWatch;
  o.watch = "Z";
  EXPECT_EQ(PlanScan(Network(), o).status().code(), Code::kUsage);
  EXPECT_FALSE(ParseScanMode("sweep").ok());
}

}  // namespace
}  // namespace heat::ingest
