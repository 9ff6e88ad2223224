// Readings in COPY text form without printf (telemetry/copy_text.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>

#include "heat/telemetry/copy_text.h"

namespace heat::telemetry {
namespace {

std::string Dbl(double v) {
  std::string s;
  AppendDouble(s, v);
  return s;
}

TEST(CopyTextTest, DoublesReadBackExactly) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> d(-1e6, 1e6);
  for (int i = 0; i < 10000; ++i) {
    double v = i % 3 ? d(rng) : std::round(d(rng)) / 10;
    EXPECT_EQ(std::strtod(Dbl(v).c_str(), nullptr), v) << Dbl(v);
  }
  EXPECT_EQ(Dbl(21.5), "21.5");
  EXPECT_EQ(Dbl(-3.1), "-3.1");
  EXPECT_EQ(Dbl(0), "0");
  EXPECT_EQ(Dbl(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(Dbl(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(CopyTextTest, ReadingsAsLines) {
  Batch b{{12, 1772323200123, 21.5, 0}, {7, 1772323260000, -0.25, 4}};
  EXPECT_EQ(ReadingsCopyText(b), "12\t1772323200123\t21.5\t0\n7\t1772323260000\t-0.25\t4\n");
}

}  // namespace
}  // namespace heat::telemetry
