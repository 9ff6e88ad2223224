// Modbus register maps (DEV-4): types, the four word orders, bit fields,
// scale/offset, read planning.
#include <gtest/gtest.h>

#include "heat/proto/regmap.h"

namespace heat::proto {
namespace {

Register R(RegType t, WordOrder o = WordOrder::kABCD, double scale = 1, double offset = 0) {
  Register r;
  r.type = t;
  r.order = o;
  r.scale = scale;
  r.offset = offset;
  return r;
}

TEST(RegmapTest, SixteenBitTypesScaleAndOffset) {
  uint16_t w = 0xFF85;  // -123 as i16
  EXPECT_DOUBLE_EQ(DecodeRegister(R(RegType::kI16, WordOrder::kABCD, 0.1), &w), -12.3);
  EXPECT_DOUBLE_EQ(DecodeRegister(R(RegType::kU16), &w), 65413);
  uint16_t p = 850;
  EXPECT_DOUBLE_EQ(DecodeRegister(R(RegType::kU16, WordOrder::kABCD, 0.001, -0.1), &p), 0.75);
}

TEST(RegmapTest, ThirtyTwoBitWordOrders) {
  // 0x12345678 in each order, as the two registers arrive.
  const uint16_t abcd[] = {0x1234, 0x5678}, cdab[] = {0x5678, 0x1234}, badc[] = {0x3412, 0x7856},
                 dcba[] = {0x7856, 0x3412};
  EXPECT_DOUBLE_EQ(DecodeRegister(R(RegType::kU32, WordOrder::kABCD), abcd), 0x12345678);
  EXPECT_DOUBLE_EQ(DecodeRegister(R(RegType::kU32, WordOrder::kCDAB), cdab), 0x12345678);
  EXPECT_DOUBLE_EQ(DecodeRegister(R(RegType::kU32, WordOrder::kBADC), badc), 0x12345678);
  EXPECT_DOUBLE_EQ(DecodeRegister(R(RegType::kU32, WordOrder::kDCBA), dcba), 0x12345678);
  const uint16_t neg[] = {0xFFFF, 0xFFFE};  // -2
  EXPECT_DOUBLE_EQ(DecodeRegister(R(RegType::kI32), neg), -2);
  const uint16_t f[] = {0x0000, 0x42F7};  // 123.5f = 0x42F70000, CDAB
  EXPECT_DOUBLE_EQ(DecodeRegister(R(RegType::kF32, WordOrder::kCDAB), f), 123.5);
}

TEST(RegmapTest, EncodeIsTheInverseOfDecodeInEveryOrder) {
  for (auto o : {WordOrder::kABCD, WordOrder::kCDAB, WordOrder::kBADC, WordOrder::kDCBA})
    for (auto t : {RegType::kU32, RegType::kI32, RegType::kF32, RegType::kI16, RegType::kU16}) {
      Register r = R(t, o, 0.1, 5);
      double v = t == RegType::kU16 || t == RegType::kU32 ? 1234.5 : -1234.5;
      auto w = EncodeRegister(r, v);
      EXPECT_NEAR(DecodeRegister(r, w.data()), v, 1e-3) << static_cast<int>(t) << "/" << static_cast<int>(o);
    }
}

// Regression: 573 × 0.1 was stored as 57.300000000000004 and a float's
// noise digits as 58.23350524902344.
TEST(RegmapTest, ValuesHaveNoBinaryNoiseDigits) {
  uint16_t w = 573;
  EXPECT_EQ(DecodeRegister(R(RegType::kU16, WordOrder::kABCD, 0.1), &w), 57.3);
  const uint16_t f[] = {0xEF1C, 0x4268};  // 58.2335052f = 0x4268EF1C, CDAB
  EXPECT_EQ(DecodeRegister(R(RegType::kF32, WordOrder::kCDAB), f), 58.23351);
}

TEST(RegmapTest, BitsOfAStatusWord) {
  Register r = R(RegType::kU16);
  r.bit = 3;
  uint16_t w = 0b1000;
  EXPECT_EQ(DecodeRegister(r, &w), 1);
  w = 0b0111;
  EXPECT_EQ(DecodeRegister(r, &w), 0);
}

TEST(RegmapTest, ParseValidatesAndNamesTheRegister) {
  auto body = nlohmann::json::parse(R"({"word_order":"CDAB","registers":[
    {"tag":"t2s","table":"input","addr":0,"type":"i16","scale":0.1},
    {"tag":"kwh","table":"input","addr":20,"type":"u32"},
    {"tag":"run","table":"coil","addr":0},
    {"tag":"fault","table":"input","addr":30,"type":"u16","bit":3}],
    "scan_groups":[{"name":"fast","period_s":5,"tags":["t2s","run"]}]})");
  auto m = ParseRegisterMap(body, "M1");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->Find("kwh")->order, WordOrder::kCDAB);
  EXPECT_EQ(m->Find("run")->type, RegType::kBit);
  EXPECT_EQ(m->groups[0].period_s, 5);
  auto bad = ParseRegisterMap(nlohmann::json::parse(R"({"registers":[{"tag":"x","addr":1,"type":"u64"}]})"), "M2");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("registers[0] (x): type"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(ParseRegisterMap(nlohmann::json::parse(
      R"({"registers":[{"tag":"x","addr":1}],"scan_groups":[{"tags":["y"]}]})"), "M3").ok());
  EXPECT_FALSE(ParseRegisterMap(nlohmann::json::parse(R"({"registers":[{"tag":"x","addr":70000}]})"), "M4").ok());
}

TEST(RegmapTest, ReadsAreMergedWithinModbusLimits) {
  std::vector<Register> regs(4);
  regs[0] = R(RegType::kU16); regs[0].table = RegTable::kInput; regs[0].addr = 0;
  regs[1] = R(RegType::kF32); regs[1].table = RegTable::kInput; regs[1].addr = 1;
  regs[2] = R(RegType::kU16); regs[2].table = RegTable::kInput; regs[2].addr = 200;
  regs[3] = R(RegType::kU16); regs[3].table = RegTable::kHolding; regs[3].addr = 1;
  auto plan = PlanReads({&regs[0], &regs[1], &regs[2], &regs[3]});
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].table, RegTable::kHolding);
  EXPECT_EQ(plan[1].addr, 0);
  EXPECT_EQ(plan[1].count, 3);
  EXPECT_EQ(plan[2].addr, 200);
}

}  // namespace
}  // namespace heat::proto
