// sim/meter_frames.h — what heatsim's heat meters say (DEV-2): plausible,
// deterministic values and the raw frames that carry them, CJ/T 188-2004
// 901F replies and EN 13757-3 M-Bus long frames, exactly as the decoders
// in proto/cjt188.h and proto/mbus.h read them (tested by round trip).
//
// Values follow from (meter index, t) alone, so a test or a benchmark can
// say what should have arrived: power, flow and temperatures swing over
// the day; heat, volume and operating hours are registers that grow with
// t (never backwards) from where the meter started, 2023-11-15.
// Resolutions are DEV-2's and both encoders carry them exactly:
// heat 0.1 kWh, volume 0.01 m³, power 0.1 kW, flow 0.001 m³/h,
// temperatures 0.01 °C, hours 1 h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "heat/core/status.h"

namespace heat::sim {

struct MeterValues {
  int64_t t_s = 0;              // the meter's clock, epoch s (frames carry it as local time)
  double heat_kwh = 0;          // cumulative heat
  double settlement_kwh = 0;    // the register at the start of t's month (CJ/T 188 only)
  double volume_m3 = 0;         // cumulative volume
  double power_kw = 0;
  double flow_m3h = 0;
  double supply_c = 0, return_c = 0;
  uint32_t hours = 0;           // operating hours
};

// The values of meter `index` (any int >= 0) at t_s (epoch s).
MeterValues MeterValuesAt(int index, int64_t t_s);

// A CJ/T 188 reply to "read current data" (type 0x20, C 0x81, DI 901F
// sent 90 1F, L 0x2E), after two FE bytes: heat in kWh (unit 0x05), power
// kW (0x17), flow m³/h (0x35), volume m³ (0x2C), status 0 (valve open,
// battery fine). address: 14 decimal digits, as heat.device.address
// ("78330011223344", A6 first). ser: the frame's SER byte. The clock is
// second-exact; values too large for the BCD fields are an error, values
// below zero go as 0 (CJ/T 188 has no sign).
Result<std::vector<uint8_t>> EncodeCjt188(const std::string& address, const MeterValues& v, uint8_t ser = 0);

// An M-Bus RSP_UD long frame (C 0x08, A 0xFD, CI 0x72) from the meter with
// secondary id `id` (8 decimal digits, as heat.device.address),
// manufacturer HSM, medium heat (0x04), access number `access`. Records,
// all current values (storage 0, tariff 0): energy 8-digit BCD in 0.1 kWh
// (VIF 0x05), volume 8-digit BCD in 0.01 m³ (0x14), power 32-bit in
// 0.1 kW (0x2D), flow 32-bit in 0.001 m³/h (0x3B), flow and return
// temperatures 16-bit in 0.01 °C (0x59, 0x5D), operating time 32-bit in
// hours (0x26), date-time type F (0x6D). Type F has no seconds, so the
// clock says t_s rounded down to the minute.
Result<std::vector<uint8_t>> EncodeMbus(const std::string& id, const MeterValues& v, uint8_t access = 0);

// EncodeCjt188 for protocol "cjt188", EncodeMbus for "mbus".
Result<std::vector<uint8_t>> EncodeMeterFrame(const std::string& protocol, const std::string& address,
                                              const MeterValues& v, uint8_t counter = 0);

}  // namespace heat::sim
