// sim/run_cmd.h (CTL-1, DEV-3, DEV-4): the device side of the command
// contract of heat-protocols(7) — cmd payloads parsed strictly, applied with
// the box's limits, refused in manual, when expired or on a converter
// fault, each id applied once, and the cmd/ack JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "heat/sim/run_cmd.h"

namespace heat::sim {
namespace {

using physics::Station;

Station Model() {
  physics::StationDesign d;
  d.area_m2 = 20000;
  d.buildings = 2;
  d.flats_per_building = 2;
  auto s = Station::Make(d);
  EXPECT_TRUE(s.ok());
  s->valve().Command(80);
  return std::move(s).value();
}

nlohmann::json Answer(CommandDesk& desk, Station& st, const std::string& payload, double now_ms = 1000) {
  auto a = desk.Handle(payload, now_ms, st);
  EXPECT_TRUE(a.has_value()) << payload;
  return a ? nlohmann::json::parse(AckJson(*a)) : nlohmann::json();
}

TEST(SimRunCmdTest, SetValveIsAppliedAndAnsweredWithTheValueTaken) {
  Station st = Model();
  CommandDesk desk;
  auto j = Answer(desk, st, R"({"id": "c42", "op": "set_valve", "args": {"v1": 45.0}})");
  EXPECT_EQ(j["id"], "c42");
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["code"], 0);
  EXPECT_EQ(j["applied"]["v1"], 45.0);
  EXPECT_DOUBLE_EQ(st.valve().setpoint_pct(), 45);
}

TEST(SimRunCmdTest, AckFieldsComeInTheContractsOrder) {
  CmdAck a;
  a.id = "c1";
  a.applied["v1"] = 100.0;
  EXPECT_EQ(AckJson(a), R"({"id":"c1","ok":true,"code":0,"msg":"","applied":{"v1":100.0}})");
}

TEST(SimRunCmdTest, SetpointsBeyondTheLimitsAreClampedAndTheClampIsAnswered) {
  Station st = Model();
  CommandDesk desk;
  EXPECT_EQ(Answer(desk, st, R"({"id": "a", "op": "set_valve", "args": {"v1": 120}})")["applied"]["v1"], 100.0);
  EXPECT_EQ(Answer(desk, st, R"({"id": "b", "op": "set_valve", "args": {"v1": -5}})")["applied"]["v1"], 0.0);
  auto p = Answer(desk, st, R"({"id": "c", "op": "set_pump", "args": {"pump1_hz": 70, "pump1_run": false}})");
  EXPECT_EQ(p["applied"]["pump1_hz"], 50.0);
  EXPECT_EQ(p["applied"]["pump1_run"], false);
  EXPECT_FALSE(st.pump().run_command());
  EXPECT_EQ(Answer(desk, st, R"({"id": "d", "op": "set_pump", "args": {"pump1_hz": 5}})")["applied"]["pump1_hz"], 20.0);
}

TEST(SimRunCmdTest, AnIdIsAppliedOnceAndItsAnswerRepeated) {
  Station st = Model();
  CommandDesk desk;
  auto first = Answer(desk, st, R"({"id": "x", "op": "set_valve", "args": {"v1": 30}})");
  Answer(desk, st, R"({"id": "y", "op": "set_valve", "args": {"v1": 60}})");
  auto again = Answer(desk, st, R"({"id": "x", "op": "set_valve", "args": {"v1": 30}})");
  EXPECT_EQ(first, again);
  EXPECT_DOUBLE_EQ(st.valve().setpoint_pct(), 60);  // not applied again
}

TEST(SimRunCmdTest, ExpiredCommandsAreNotApplied) {
  Station st = Model();
  CommandDesk desk;
  auto j = Answer(desk, st, R"({"id": "e", "op": "set_valve", "args": {"v1": 10}, "expires": 999})", 1000);
  EXPECT_EQ(j["code"], 2);
  EXPECT_EQ(j["ok"], false);
  EXPECT_TRUE(j["applied"].empty());
  EXPECT_DOUBLE_EQ(st.valve().setpoint_pct(), 80);
  EXPECT_EQ(Answer(desk, st, R"({"id": "f", "op": "set_valve", "args": {"v1": 10}, "expires": 1000})", 1000)["code"], 0);
}

TEST(SimRunCmdTest, ForcedManualRefusesEveryOperationWithCode3) {
  Station st = Model();
  st.valve().SetForcedManual(true, 35);
  CommandDesk desk;
  EXPECT_EQ(Answer(desk, st, R"({"id": "a", "op": "set_valve", "args": {"v1": 10}})")["code"], 3);
  EXPECT_EQ(Answer(desk, st, R"({"id": "b", "op": "set_pump", "args": {"pump1_hz": 30}})")["code"], 3);
  EXPECT_EQ(Answer(desk, st, R"({"id": "c", "op": "stroke_check"})")["code"], 3);
  EXPECT_DOUBLE_EQ(st.valve().setpoint_pct(), 35);
  EXPECT_DOUBLE_EQ(st.pump().hz_setpoint(), 50);
}

TEST(SimRunCmdTest, AConverterFaultRefusesPumpCommandsWithCode4) {
  Station st = Model();
  st.pump().SetFault(physics::PumpFault::kConverterFault);
  CommandDesk desk;
  auto j = Answer(desk, st, R"({"id": "p", "op": "set_pump", "args": {"pump1_hz": 30, "pump1_run": true}})");
  EXPECT_EQ(j["code"], 4);
  EXPECT_TRUE(j["applied"].empty());
  EXPECT_DOUBLE_EQ(st.pump().hz_setpoint(), 50);
}

TEST(SimRunCmdTest, AStuckValveAcknowledgesButDoesNotMove) {
  Station st = Model();
  for (int i = 0; i < 200; ++i) st.valve().Step(1);  // at 80
  st.valve().SetFault(physics::ValveFault::kStuck);
  CommandDesk desk;
  EXPECT_EQ(Answer(desk, st, R"({"id": "s", "op": "set_valve", "args": {"v1": 20}})")["applied"]["v1"], 20.0);
  for (int i = 0; i < 200; ++i) st.valve().Step(1);
  EXPECT_DOUBLE_EQ(st.valve().feedback_pct(), 80);
}

TEST(SimRunCmdTest, AStrokeCheckIsAnsweredWhenItEnds) {
  Station st = Model();
  for (int i = 0; i < 200; ++i) st.valve().Step(1);
  CommandDesk desk;
  EXPECT_FALSE(desk.Handle(R"({"id": "k", "op": "stroke_check", "args": {}})", 0, st));
  EXPECT_FALSE(desk.Handle(R"({"id": "k", "op": "stroke_check"})", 0, st));  // still running: no answer yet
  EXPECT_EQ(Answer(desk, st, R"({"id": "v", "op": "set_valve", "args": {"v1": 10}})")["code"], 4);  // busy
  EXPECT_FALSE(desk.Poll(st));
  for (int i = 0; i < 400 && !desk.Poll(st); ++i) st.valve().Step(1);
  auto again = Answer(desk, st, R"({"id": "k", "op": "stroke_check"})");
  EXPECT_EQ(again["code"], 0);
  // 80 -> 0, 0 -> 100, 100 -> 80 at 120 s a stroke.
  EXPECT_NEAR(again["applied"]["stroke_s"].get<double>(), 96 + 120 + 24, 2);
}

TEST(SimRunCmdTest, MalformedCommandsAreAnsweredCode1AndChangeNothing) {
  Station st = Model();
  CommandDesk desk;
  for (const char* p : {"", "not json", "[1,2]", "{\"id\": 5, \"op\": \"set_valve\"}", "{\"op\": \"set_valve\"}",
                        "{\"id\": \"\", \"op\": \"set_valve\", \"args\": {\"v1\": 5}}",
                        "{\"id\": \"a\", \"op\": \"open_all\"}", "{\"id\": \"b\", \"op\": 7}",
                        "{\"id\": \"c\", \"op\": \"set_valve\", \"args\": {\"v1\": \"50\"}}",
                        "{\"id\": \"d\", \"op\": \"set_valve\", \"args\": {\"v1\": 50, \"v2\": 1}}",
                        "{\"id\": \"e\", \"op\": \"set_valve\", \"args\": [50]}",
                        "{\"id\": \"f\", \"op\": \"set_pump\", \"args\": {\"pump1_run\": 1}}",
                        "{\"id\": \"g\", \"op\": \"set_pump\", \"args\": {}}",
                        "{\"id\": \"h\", \"op\": \"stroke_check\", \"args\": {\"x\": 1}}",
                        "{\"id\": \"i\", \"op\": \"set_valve\", \"args\": {\"v1\": 1e999}}",
                        "{\"id\": \"j\", \"op\": \"set_valve\", \"args\": {\"v1\": 5}, \"expires\": \"soon\"}",
                        "{\"id\": \"\xff\xfe\", \"op\": \"x\"}"}) {
    auto j = Answer(desk, st, p);
    EXPECT_EQ(j["code"], 1) << p;
    EXPECT_EQ(j["ok"], false) << p;
  }
  EXPECT_DOUBLE_EQ(st.valve().setpoint_pct(), 80);
  EXPECT_DOUBLE_EQ(st.pump().hz_setpoint(), 50);
  EXPECT_EQ(Answer(desk, st, std::string(kMaxCmdBytes + 1, ' '))["code"], 1);
  EXPECT_EQ(Answer(desk, st, "{\"id\": \"" + std::string(kMaxCmdIdBytes + 1, 'x') + "\"}")["id"], "");
}

TEST(SimRunCmdTest, TheDeskRemembersABoundedNumberOfIds) {
  Station st = Model();
  CommandDesk desk;
  for (size_t i = 0; i < CommandDesk::kRemember + 10; ++i)
    desk.Handle(R"({"id": ")" + std::to_string(i) + R"(", "op": "set_valve", "args": {"v1": 50}})", 0, st);
  EXPECT_EQ(desk.remembered(), CommandDesk::kRemember);
}

}  // namespace
}  // namespace heat::sim
