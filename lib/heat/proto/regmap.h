// proto/regmap.h — Modbus register maps (DESIGN §5, DEV-4, MON-1): what a
// PLC's registers mean, and how raw 16-bit words become values.
//
// A map is the JSON body of a heat.register_map (written as YAML in import
// files):
//   word_order: ABCD            default for 32-bit registers
//   registers: [{tag, table: holding|input|coil|discrete, addr, type:
//                u16|i16|u32|i32|f32, word_order, bit, scale, offset,
//                unit, writable}]
//   scan_groups: [{name, period_s, tags: [...]}]
// Coils and discrete inputs are single bits and take no type. `bit: N`
// (0..15) on a u16 register reads one bit of a status or fault word.
// Value = raw × scale + offset.
//
// 32-bit word orders, for the value whose big-endian bytes are A B C D:
//   ABCD  first register AB, second CD (high word first)
//   CDAB  first CD, second AB (word swap, common on PLCs)
//   BADC  first BA, second DC (bytes swapped in each word)
//   DCBA  first DC, second BA (fully reversed)
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "heat/core/status.h"

namespace heat::proto {

enum class RegTable { kHolding, kInput, kCoil, kDiscrete };
enum class RegType { kU16, kI16, kU32, kI32, kF32, kBit };
enum class WordOrder { kABCD, kCDAB, kBADC, kDCBA };

struct Register {
  std::string tag;
  RegTable table = RegTable::kHolding;
  int addr = 0;
  RegType type = RegType::kU16;
  WordOrder order = WordOrder::kABCD;
  int bit = -1;  // >= 0: one bit of a 16-bit word
  double scale = 1, offset = 0;
  std::string unit;
  bool writable = false;
  int words() const { return type == RegType::kU32 || type == RegType::kI32 || type == RegType::kF32 ? 2 : 1; }
  bool is_bit_table() const { return table == RegTable::kCoil || table == RegTable::kDiscrete; }
};

struct ScanGroup {
  std::string name;
  int period_s = 10;
  std::vector<std::string> tags;
};

struct RegisterMap {
  std::string code;
  std::vector<Register> registers;
  std::vector<ScanGroup> groups;
  const Register* Find(const std::string& tag) const;
};

// Validates a map body; errors name the register ("registers[3] (t2s): ...").
Result<RegisterMap> ParseRegisterMap(const nlohmann::json& body, const std::string& code);

// words: the register's raw words in the order they are read (1 or 2;
// for bit tables, 0 or 1). Returns raw × scale + offset.
double DecodeRegister(const Register& r, const uint16_t* words);
// The raw words that DecodeRegister turns back into value (for writes and
// for heatsim's PLC).
std::vector<uint16_t> EncodeRegister(const Register& r, double value);

// Reads needed for a set of registers: adjacent ones of a table merged,
// at most 125 words (or 2000 bits) per read, as Modbus allows.
struct ReadRange {
  RegTable table;
  int addr;
  int count;
};
std::vector<ReadRange> PlanReads(const std::vector<const Register*>& regs);

}  // namespace heat::proto
