// sim/physics/station.h — one heat-exchange station and the buildings it
// serves, stepped in simulated time: primary supply from the source's own
// curve through the control valve (DEV-3) into a counterflow plate
// exchanger, the secondary pump and pressure system (CTL-1), and flats as
// 2R2C models with radiators, room sensors (DEV-1) and heat meters (DEV-2).
//
// Deterministic: the same design (including its seed) and the same calls
// give the same numbers. Simulated time 0 is local midnight (internal
// gains follow the time of day). The secondary return enters the exchanger
// one step late (the water's round trip); the energy given by the primary
// side and the heat the buildings take agree over any run to within the
// change of the loop's return temperature. Not thread-safe: one thread
// steps one station; distinct stations may run on distinct threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "heat/core/status.h"
#include "heat/sim/physics/building.h"
#include "heat/sim/physics/pump.h"
#include "heat/sim/physics/rng.h"
#include "heat/sim/physics/valve.h"
#include "heat/sim/physics/weather.h"

namespace heat::sim::physics {

// Design data (as in the network YAML: heating area, design temperatures)
// and the spread of the buildings behind the station. heatsim(1), MODEL,
// documents every default.
struct StationDesign {
  std::string code = "S01";
  double area_m2 = 50000;
  double load_w_m2 = 50;          // GB 50736, Urumqi
  double design_out_c = -19.7;
  double design_in_c = 18;
  double primary_supply_c = 110, primary_return_c = 60;
  double secondary_supply_c = 75, secondary_return_c = 50;
  double source_mild_out_c = 5, source_mild_supply_c = 70;  // the source's curve
  double dp1_kpa = 100;           // available primary differential pressure
  double valve_authority = 0.5;
  Characteristic characteristic = Characteristic::kEqualPercentage;
  double valve_open_flow_factor = 1.4;  // open valve at dp1: 1.4 × design flow
  double stroke_time_s = 120;
  double pump_head_kpa = 150;
  int buildings = 6;
  int flats_per_building = 6;     // representative flats (each a share of the area)
  double quality_spread = 0.2;    // building UA factor in [1 − s, 1 + s]
  double position_spread = 0.1;   // flat UA factor in [1 − s/2, 1 + s] (top floors, ends)
  double radiator_oversize_max = 1.2;   // radiators sized 1.0 .. this × design load
  double time_constant_h = 60;    // mean mass time constant, spread ±30 %
  double internal_gain_w_m2 = 3;
  double solar_aperture = 0.03;   // m² of effective aperture per m² of floor
  double suspended_fraction = 0.05;
  double stealing_fraction = 0.3; // of the suspended flats
  double sensor_fraction = 0.5;
  double trv_fraction = 1.0;      // flats with a thermostatic radiator valve
  uint64_t seed = 1;
};

// The station's values, named as the station tags of DESIGN §4.
struct StationValues {
  double t_out_c = 0;
  double t1s = 0, t1r = 0, t2s = 0, t2r = 0;   // °C
  double p1s = 0, p1r = 0, p2s = 0, p2r = 0;   // kPa (tags carry MPa)
  double f1 = 0, f2 = 0;                        // m³/h
  double pw1 = 0;                               // kW, primary
};

struct RoomSensorValue {
  std::string id;  // "<station>-B<n>-F<m>"
  double temp_c;
};

class Station {
 public:
  // kUsage for a design that cannot be built (area <= 0, temperatures out
  // of order, no flats).
  static Result<Station> Make(const StationDesign& d);

  void Step(double dt_s, double t_s, const WeatherSample& w);

  Valve& valve() { return valve_; }
  const Valve& valve() const { return valve_; }
  Pump& pump() { return pump_; }
  const Pump& pump() const { return pump_; }
  PressureSystem& pressure() { return pressure_; }
  std::vector<Building>& buildings() { return buildings_; }
  const std::vector<Building>& buildings() const { return buildings_; }
  const StationValues& values() const { return v_; }
  const HeatMeter& primary_meter() const { return primary_meter_; }
  const HeatMeter& secondary_meter() const { return secondary_meter_; }
  const StationDesign& design() const { return d_; }
  double design_load_kw() const { return d_.area_m2 * d_.load_w_m2 / 1000; }
  double exchanger_ua_kw_k() const { return ua_; }
  double exchanger_energy_kwh() const { return hx_kwh_; }  // Σ q·dt

  // One reading per flat with a sensor (noise drawn from the station's
  // seeded generator).
  std::vector<RoomSensorValue> ReadSensors();
  // Station tags (DESIGN §4) and values: t1s .. tout, p* in MPa, q1 in GJ.
  std::vector<std::pair<std::string, double>> Tags() const;
  // A transmitter fault: the tag reports the value it has at the next
  // Tags() call from then on (a stuck sensor, a meter that stopped counting).
  void FreezeTag(const std::string& tag) { frozen_[tag].reset(); }

 private:
  Station(const StationDesign& d, double ua, const ValveParams& vp, const PumpParams& pp);
  void BuildFlats();
  double SourceSupply(double t_out_c) const;
  double NetworkOpening() const;
  std::vector<std::pair<std::string, double>> LiveTags() const;
  void StepBuildings(double dt_s, double t_s, const WeatherSample& w);

  StationDesign d_;
  double ua_;
  Valve valve_;
  Pump pump_;
  PressureSystem pressure_;
  std::vector<Building> buildings_;
  StationValues v_;
  HeatMeter primary_meter_, secondary_meter_;
  double hx_kwh_ = 0;
  Rng rng_;
  mutable std::map<std::string, std::optional<double>> frozen_;
};

}  // namespace heat::sim::physics
