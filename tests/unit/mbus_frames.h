// Heat-meter frames for the tests of the decoders and the mapping step
// (DEV-2): real wired M-Bus and CJ/T 188 frames whose bytes are published,
// each with where, and helpers to build frames.
//
// Published by libmbus (github.com/rscada/libmbus, test/test-frames/):
//   kKamstrup601 kamstrup_multical_601.hex, kLandisUltraheatT230
//   landis+gyr_ultraheat_t230.hex, kPolluTherm sen_pollutherm.hex,
//   kSensoStar2c engelmann_sensostar2c.hex, kPolluStatE
//   SEN_Sensus-PolluStat-E.hex, kEdcHeatCooling EDC.hex.
// Published by wmbusmeters (github.com/wmbusmeters/wmbusmeters,
// simulations/simulation_mbus.txt, wired M-Bus "telegram=|68...|" lines):
//   kKamstrup403 (Multical 403), kSensoStarPowerLow (Engelmann SensoStar,
//   status 0x27: alarm and power low; the '#' wmbusmeters puts after the
//   header is removed).
// CJ/T 188 replies to 901F from real meters:
//   kCjt188Status0005 published in a ManThink EB SDK example that bridges a
//   CJ/T 188 heat meter (type 0x25) to LoRaWAN (its ackBuffer1);
//   kCjt188BatteryLow in the test comment of MeterResponse.cs of the C#
//   tool 添瑞祥业务助手 (type 0x20, ST 04 00).
#pragma once

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace heat::testdata {

using Bytes = std::vector<uint8_t>;

inline Bytes FromHex(const std::string& hex) {
  Bytes b;
  std::istringstream in(hex);
  std::string tok;
  while (in >> tok) b.push_back(static_cast<uint8_t>(std::stoul(tok, nullptr, 16)));
  return b;
}

inline Bytes Cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// 68 L L 68 C A CI data CS 16, with L and CS computed.
inline Bytes LongFrame(uint8_t ci, const Bytes& data, uint8_t c = 0x08, uint8_t a = 0x01) {
  uint8_t l = static_cast<uint8_t>(3 + data.size());
  Bytes f = {0x68, l, l, 0x68, c, a, ci};
  f.insert(f.end(), data.begin(), data.end());
  uint8_t cs = 0;
  for (size_t i = 4; i < f.size(); ++i) cs = static_cast<uint8_t>(cs + f[i]);
  f.push_back(cs);
  f.push_back(0x16);
  return f;
}


inline const char* const kKamstrup601 =
    "68 F7 F7 68 08 11 72 17 58 85 06 2D 2C 08 04 04 00 00 00 0C 78 17 58 85 06 04 06 E7 91 00 00 "
    "04 14 2C DB 00 00 04 22 D9 03 00 00 04 59 B9 27 00 00 04 5D 08 12 00 00 04 61 B1 15 00 00 04 "
    "2D 5B 01 00 00 14 2D C0 01 00 00 04 3B 1F 02 00 00 14 3B 74 02 00 00 84 10 06 00 00 00 00 84 "
    "20 06 00 00 00 00 84 40 14 00 00 00 00 84 80 40 14 00 00 00 00 84 C0 40 06 00 00 00 00 04 6D "
    "1A 2F 65 11 44 06 51 82 00 00 44 14 B2 C3 00 00 54 2D 26 02 00 00 54 3B 03 04 00 00 C4 10 06 "
    "00 00 00 00 C4 20 06 00 00 00 00 C4 40 14 00 00 00 00 C4 80 40 14 00 00 00 00 C4 C0 40 06 00 "
    "00 00 00 42 6C 5F 1C 0F 00 00 00 00 E7 E4 00 00 63 66 00 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 5B C9 A5 02 34 53 00 00 E0 B2 03 00 89 9C 68 00 00 00 00 00 01 00 01 07 07 09 01 03 00 00 "
    "00 00 00 98 16";

inline const char* const kLandisUltraheatT230 =
    "68 E2 E2 68 08 00 72 05 02 66 66 A7 32 07 04 01 10 00 00 09 74 04 09 70 08 0C 06 00 00 00 00 "
    "0C 14 00 00 00 00 0B 2D 00 00 00 0B 3B 00 00 00 0B 5A 95 01 00 0B 5E 97 01 00 0B 62 02 00 F0 "
    "0C 78 05 02 66 66 89 10 71 07 3C 22 69 37 00 00 0C 22 69 37 00 00 0C 26 00 00 00 00 8C 90 10 "
    "06 00 00 00 00 9B 10 2D 00 00 00 9B 10 3B 00 00 00 9B 10 5A 07 03 00 9B 10 5E 07 05 00 94 10 "
    "AD 6F 00 00 00 00 94 10 BB 6F 00 00 00 00 94 10 DA 6F 32 14 7A 18 94 10 DE 6F 2B 0B 69 18 4C "
    "06 00 00 00 00 4C 14 00 00 00 00 7C 22 69 34 00 00 4C 26 00 00 00 00 CC 90 10 06 00 00 00 00 "
    "DB 10 2D 00 00 00 DB 10 3B 00 00 00 DB 10 5A 07 03 00 DB 10 5E 07 05 00 84 8F 0F 6D 00 00 E1 "
    "F1 04 6D 04 0C 8D 11 0F 09 07 00 66 01 7D 16";

inline const char* const kPolluTherm =
    "68 42 42 68 08 08 72 76 00 05 21 18 4E 31 04 51 00 00 00 0C 07 64 08 00 00 0C 14 92 98 79 00 "
    "0C 7B 02 03 00 00 0C 2C 58 54 00 00 0A 5A 55 07 0A 5E 94 05 0B 60 76 60 01 0C 78 76 00 05 21 "
    "0C FD 10 76 00 05 21 1F B3 16";

inline const char* const kSensoStar2c =
    "68 A6 A6 68 08 03 72 10 00 38 10 C5 14 01 04 1E 00 00 00 04 78 EA 62 9E 00 04 6D 32 14 86 16 "
    "04 15 81 00 00 00 04 FB 00 08 00 00 00 84 20 FB 00 00 00 00 00 84 30 FB 00 00 00 00 00 04 3D "
    "00 00 00 00 04 2D 00 00 00 00 02 5B 5F 00 02 5F 2B 00 04 61 8A 14 00 00 02 27 FA 01 01 FD 17 "
    "00 04 90 28 A0 86 01 00 42 6C 7F 1C 44 15 81 00 00 00 44 FB 00 08 00 00 00 C4 20 FB 00 00 00 "
    "00 00 C4 30 FB 00 00 00 00 00 82 01 6C 5F 1C 84 01 15 54 00 00 00 84 01 FB 00 05 00 00 00 84 "
    "21 FB 00 00 00 00 00 84 31 FB 00 00 00 00 00 B7 16";

inline const char* const kPolluStatE =
    "68 42 42 68 08 00 72 95 50 26 21 AE 4C 0E 04 B5 10 00 00 0C 06 00 00 00 00 0C 13 00 00 00 00 "
    "0C 3B 00 00 00 00 0C 2B 00 00 00 00 02 5A C9 00 02 5E CA 00 03 60 00 00 00 0C 78 95 50 26 21 "
    "0C FD 10 95 50 26 21 1F EC 16";

inline const char* const kEdcHeatCooling =
    "68 AE AE 68 28 01 72 95 08 12 11 83 14 02 04 17 00 00 00 84 00 86 3B 23 00 00 00 84 00 86 3C "
    "D1 01 00 00 84 40 86 3B 00 00 00 00 84 40 86 3C 00 00 00 00 85 00 5B 2B 4B AC 41 85 00 5F 20 "
    "D7 AC 41 85 40 5B 00 00 B8 42 85 40 5F 00 00 B8 42 85 00 3B 84 00 35 3F 85 40 3B 00 00 00 00 "
    "95 00 3B 95 CF B2 43 95 40 3B 00 00 00 00 85 00 2B 00 00 00 00 85 40 2B 00 00 00 00 95 00 2B "
    "D3 9F 90 46 95 40 2B 00 00 00 00 04 6D 19 0F 8A 17 84 00 7C 01 43 F3 0D 00 00 84 40 7C 01 43 "
    "9D 01 00 00 84 00 7C 01 63 01 00 00 00 84 40 7C 01 63 01 00 00 00 0F 2F 16";

inline const char* const kKamstrup403 =
    "68 46 46 68 08 4a 72 44 77 44 77 2d 2c 34 04 06 00 00 00 04 06 ce 86 00 00 04 ff 07 34 44 02 "
    "00 04 ff 08 f8 ce 01 00 04 14 11 68 03 00 04 3B 0f 02 00 00 02 59 3c 19 02 5d a4 11 04 ff 22 "
    "00 00 00 00 04 a5 ff 21 c7 d0 27 00 d9 16";

inline const char* const kSensoStarPowerLow =
    "68 93 93 68 08 00 72 75 40 48 10 C5 14 00 04 31 27 00 00 04 78 6B F9 9F 00 04 6D 04 0F 63 2B "
    "04 15 E0 20 00 00 44 15 E0 20 00 00 84 01 15 E0 20 00 00 04 06 A0 21 00 00 44 06 A0 21 00 00 "
    "84 01 06 A0 21 00 00 84 10 06 00 00 00 00 C4 10 06 00 00 00 00 84 11 06 00 00 00 00 42 6C 5F "
    "2C 02 6C 7F 2C 04 3B 00 00 00 00 14 3B 08 01 00 00 04 2B 00 00 00 00 14 2B 39 24 00 00 02 5B "
    "18 00 02 5F 17 00 04 61 38 00 00 00 02 23 81 0C 01 FD 17 00 04 90 28 0B 00 00 00 56 16";

inline const char* const kCjt188Status0005 =
    "68 25 12 19 24 18 27 31 00 81 2E 1F 90 03 11 74 02 00 05 88 27 44 05 05 00 00 00 00 17 00 00 "
    "00 00 35 08 56 71 00 2C 79 26 00 64 26 00 66 47 07 11 52 17 03 09 25 20 00 05 2A 16";

inline const char* const kCjt188BatteryLow =
    "68 20 51 21 31 17 00 11 11 81 2E 1F 90 12 00 00 00 00 05 00 00 00 00 05 00 00 00 00 14 00 00 "
    "00 00 35 19 00 00 00 2C 76 30 00 68 30 00 73 02 00 32 41 11 12 09 07 20 04 00 E9 16";

}  // namespace heat::testdata
