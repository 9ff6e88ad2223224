// Readings in COPY's binary form (telemetry/copy_binary.h). That the server
// reads them back exactly is WriterTest.BypassRlsLoginCopiesStraightIn's.
#include <gtest/gtest.h>

#include <limits>

#include "heat/telemetry/copy_binary.h"

namespace heat::telemetry {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s += static_cast<char>(c);
  return s;
}

TEST(CopyBinaryTest, TimestampsCountFrom2000InMicroseconds) {
  EXPECT_EQ(PgMicros(946684800000), 0);
  EXPECT_EQ(PgMicros(946684800001), 1000);
  EXPECT_EQ(PgMicros(0), -946684800000000);
  EXPECT_EQ(PgMicros(1772323200123), (1772323200123 - 946684800000) * 1000);
}

TEST(CopyBinaryTest, HeaderRowsAndTrailerInNetworkOrder) {
  std::string out = ReadingsCopyBinary({{0x01020304, 946684800001, 1.0, 4}});
  const std::string header = std::string("PGCOPY\n\377\r\n\0", 11) + std::string(8, '\0');
  ASSERT_EQ(out.size(), header.size() + 2 + (4 + 4) + (4 + 8) + (4 + 8) + (4 + 2) + 2);
  EXPECT_EQ(out.substr(0, header.size()), header);
  std::string row = out.substr(header.size(), out.size() - header.size() - 2);
  EXPECT_EQ(row, Bytes({0, 4,                                           // four fields
                        0, 0, 0, 4, 1, 2, 3, 4,                         // point_id
                        0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x03, 0xE8,       // 1000 µs after 2000
                        0, 0, 0, 8, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0,       // 1.0
                        0, 0, 0, 2, 0, 4}));                            // quality
  EXPECT_EQ(out.substr(out.size() - 2), Bytes({0xFF, 0xFF}));
}

TEST(CopyBinaryTest, NegativeValuesAndTimesBeforeTheEpochAreTwosComplement) {
  std::string out = ReadingsCopyBinary({{1, 946684799999, -2.0, -1}});
  std::string ts = out.substr(19 + 2 + 8 + 4, 8);
  EXPECT_EQ(ts, Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFC, 0x18}));  // -1000
  EXPECT_EQ(out.substr(19 + 2 + 8 + 12 + 4, 8), Bytes({0xC0, 0, 0, 0, 0, 0, 0, 0}));  // -2.0
  EXPECT_EQ(out.substr(19 + 2 + 8 + 12 + 12 + 4, 2), Bytes({0xFF, 0xFF}));
}

TEST(CopyBinaryTest, EmptyBatchIsHeaderAndTrailer) {
  EXPECT_EQ(ReadingsCopyBinary({}).size(), 19u + 2u);
}

}  // namespace
}  // namespace heat::telemetry
