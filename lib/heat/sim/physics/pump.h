// sim/physics/pump.h — the secondary circulation pump on a frequency
// converter, and the static-pressure system around it: a make-up pump
// holding the static pressure, a relief valve, and a leak (CTL-1).
//
// Circulation pump: H(Q, f) = H0·(f/fn)² − k·Q², with H0 = 1.25·design head
// and k chosen so that (design flow, design head) lies on the 50 Hz curve,
// against a quadratic system curve H = R·Q² that passes through the same
// point. The operating point then follows the affinity laws exactly:
// flow ∝ f, head ∝ f², electric power ∝ f³.
//
// Not thread-safe; one station's model owns these.
#pragma once

#include <algorithm>

namespace heat::sim::physics {

struct PumpParams {
  double nominal_hz = 50;
  double design_flow_m3h = 100;
  double design_head_kpa = 150;
  double design_power_kw = 7.5;   // electric, at nominal_hz and design flow
  double min_hz = 20;             // the converter's lowest speed
};

enum class PumpFault { kNone, kTrip, kConverterFault };

class Pump {
 public:
  explicit Pump(const PumpParams& p) : p_(p), hz_(p.nominal_hz) {}

  // Returns the value applied: clamped to [min_hz, nominal_hz]; a faulted
  // converter ignores the command and keeps its value.
  double CommandHz(double hz);
  void CommandRun(bool run) { run_cmd_ = run; }
  void SetFault(PumpFault f) { fault_ = f; }
  // A trip latches until reset (a person at the panel, or the platform).
  void Reset() { fault_ = PumpFault::kNone; }
  // system_factor scales the system resistance R (1 = design; > 1 when
  // the buildings' valves close).
  void SetSystemFactor(double f) { system_factor_ = f > 0 ? f : 1; }

  void Step(double dt_s);  // integrates electric energy

  bool running() const { return run_cmd_ && fault_ == PumpFault::kNone; }
  bool faulted() const { return fault_ != PumpFault::kNone; }
  PumpFault fault() const { return fault_; }
  bool run_command() const { return run_cmd_; }  // what was commanded, fault or not
  double hz() const { return running() ? hz_ : 0; }
  double hz_setpoint() const { return hz_; }
  double FlowM3h() const;
  double HeadKpa() const;
  double PowerKw() const;
  double energy_kwh() const { return kwh_; }
  const PumpParams& params() const { return p_; }

 private:
  PumpParams p_;
  double hz_;
  bool run_cmd_ = true;
  PumpFault fault_ = PumpFault::kNone;
  double system_factor_ = 1;
  double kwh_ = 0;
};

struct PressureParams {
  double static_set_kpa = 250;     // the make-up pump holds this (return side)
  double band_kpa = 20;            // starts below set − band, stops at set
  double relief_kpa = 400;         // the relief valve opens above this
  double makeup_m3h = 2;           // make-up pump capacity
  double relief_m3h = 5;           // relief valve capacity when open
  double compliance_m3_per_kpa = 0.004;  // system volume change per kPa (expansion)
  double tank_m3 = 10;             // make-up water tank
  double tank_area_m2 = 4;         // level = volume / area
};

// Static pressure of a closed secondary system: a leak lowers it, the
// make-up pump raises it from its tank, the relief valve caps it.
class PressureSystem {
 public:
  explicit PressureSystem(const PressureParams& p)
      : p_(p), pressure_(p.static_set_kpa), tank_(p.tank_m3) {}
  void SetLeak(double m3h) { leak_m3h_ = m3h > 0 ? m3h : 0; }
  // Water pushed in at once (thermal expansion, a person filling the
  // system by hand): the pressure rises by m3 / compliance.
  void AddWater(double m3) { pressure_ = std::max(0.0, pressure_ + m3 / p_.compliance_m3_per_kpa); }
  void Step(double dt_s);

  double pressure_kpa() const { return pressure_; }
  bool makeup_running() const { return makeup_; }
  bool relief_open() const { return relief_; }
  double makeup_water_m3() const { return makeup_m3_; }  // cumulative
  double level_m() const { return tank_ / p_.tank_area_m2; }

 private:
  PressureParams p_;
  double pressure_;
  double tank_;
  double leak_m3h_ = 0;
  bool makeup_ = false;
  bool relief_ = false;
  double makeup_m3_ = 0;
};

}  // namespace heat::sim::physics
