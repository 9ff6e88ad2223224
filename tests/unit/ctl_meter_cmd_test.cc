// heatctl meter decode (DEV-2): a field engineer's frame in, every record
// with the tag it is stored as out; the exact reason for a refused frame.
// No database is touched.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "heat/ctl/commands.h"
#include "mbus_frames.h"

namespace heat::ctl {
namespace {

struct Out {
  int rc;
  std::string out, err;
};

Out Decode(std::vector<std::string> args) {
  args.insert(args.begin(), {"heatctl", "meter", "decode"});
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int rc = cli::Run("heatctl", "test", MeterCommands(), static_cast<int>(argv.size()), argv.data(), out, err);
  return {rc, out.str(), err.str()};
}

TEST(MeterDecodeTest, KamstrupMultical601AfterAnAckShowsEachRecordAndItsTag) {
  Out r = Decode({"--format", "csv", std::string("E5 ") + testdata::kKamstrup601});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("1,,1,,,,,,,status,0,,status,0,0,\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1,2,26,04,06,0,0,0,inst,energy,37351,kWh,heat,134.4636 GJ,0,\n"), std::string::npos);
  EXPECT_NE(r.out.find("1,18,129,44,06,1,0,0,inst,energy,33361,kWh,,,,storage 1\n"), std::string::npos);
}

TEST(MeterDecodeTest, KamstrupMultical403ManufacturerRecordSaysWhyNotStored) {
  Out r = Decode({"--format", "csv", testdata::kKamstrup403});
  EXPECT_EQ(r.rc, 0) << r.err;
  // 04 A5 FF 21 C7 D0 27 00: decoded as 43489 h, but the manufacturer's.
  EXPECT_NE(r.out.find("1,9,66,04,A5 FF 21,0,0,0,inst,op_time,43489.18333,h,,,,manufacturer-specific\n"),
            std::string::npos)
      << r.out;
}

TEST(MeterDecodeTest, Cjt188MeterWithStatus0005IsGoodAsJson) {
  Out r = Decode({"--format", "json", testdata::kCjt188Status0005});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("\"stored\": \"195.940368 GJ\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"value\": 1280"), std::string::npos);
}

TEST(MeterDecodeTest, RefusedFramesSayExactlyWhy) {
  std::string k601 = testdata::kKamstrup601;
  Out r = Decode({k601.substr(0, k601.size() - 5) + "99 16"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "heatctl: mbus: frame at byte 0: checksum 0x99 at byte 251 does not match the sum 0x98 "
                   "of bytes 4..250\n");
  r = Decode({k601.substr(0, 60)});
  EXPECT_EQ(r.err, "heatctl: mbus: frame at byte 0: frame of 253 bytes (L=247) runs past the end of the "
                   "buffer (20 bytes left)\n");
  std::string cjt = testdata::kCjt188Status0005;
  r = Decode({cjt.substr(0, cjt.size() - 5) + "2B 16"});
  EXPECT_EQ(r.err, "heatctl: cjt188: checksum 0x2B, computed 0x2A (frame at byte 0)\n");
  r = Decode({"68 ZZ"});
  EXPECT_EQ(r.err, "heatctl: meter decode: 'Z' at character 4 is not a hex digit\n");
  r = Decode({"68 2"});
  EXPECT_EQ(r.err, "heatctl: meter decode: odd number of hex digits (3)\n");
  r = Decode({"--file", "/nonexistent/capture.bin"});
  EXPECT_EQ(r.rc, 3);
}

}  // namespace
}  // namespace heat::ctl
