// sim/physics/building.h — flats as 2R2C thermal models (air + mass),
// their radiators, room sensors and heat meters, grouped in buildings.
//
// A flat: outdoor —H_mo— mass (C_m) —H_am— air (C_a); radiator, internal
// and solar gains go into the air. UA = 1/(1/H_mo + 1/H_am) comes from the
// design load (default 50 W/m² at −19.7 °C outdoor and 18 °C indoor, GB
// 50736 for Urumqi) times the flat's quality factor. Radiators follow
// Q = Q_d·(ΔT/ΔT_d)^1.3 on the arithmetic mean excess temperature, with the
// return never below the room. Integration is Crank–Nicolson, stable for
// any step. Not thread-safe; a station owns its buildings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace heat::sim::physics {

struct FlatParams {
  double area_m2 = 80;
  double ua_w_k = 106;          // air/mass to outdoor, total
  double h_am_w_k = 1760;       // air-mass coupling
  double c_air_kj_k = 1200;     // air, furniture, light walls
  double c_mass_kj_k = 22900;   // concrete
  double rad_design_kw = 4.0;   // radiator output at the design temperatures
  double rad_design_excess_k = 44.5;  // (75 + 50)/2 − 18
  double rad_exponent = 1.3;
  double design_flow_m3h = 0.138;     // radiator flow at design
  double internal_gain_w = 240;       // mean; a daily profile varies it
  double solar_aperture_m2 = 2.4;     // W of gain per W/m² of irradiance
  bool suspended = false;   // heating stopped by the company (fee unpaid)
  bool stealing = false;    // suspended, yet the radiator valve was reopened
  bool has_sensor = false;  // a DEV-1 room sensor in the flat
  // A thermostatic radiator valve (what household metering comes with):
  // open below trv_close_c − trv_band_k, closed at trv_close_c, in
  // proportion between. Without one the radiator takes its full share.
  bool has_trv = false;
  double trv_close_c = 22;
  double trv_band_k = 2;
};

struct HeatMeter {
  double energy_kwh = 0;
  double volume_m3 = 0;
  void Add(double flow_m3h, double supply_c, double return_c, double dt_s);
};

struct Flat {
  FlatParams p;
  double t_air_c = 20;
  double t_mass_c = 20;
  double q_rad_kw = 0;     // radiator output in the last step
  double t_return_c = 20;  // radiator return in the last step
  HeatMeter meter;         // a stealing flat's water bypasses it
  bool flowing() const { return !p.suspended || p.stealing; }
  // The share of its design flow the flat's radiator takes now: 0 when
  // its heating is off, else its thermostatic valve's opening at t_air_c.
  double Opening() const;
};

struct Building {
  std::string code;
  std::vector<Flat> flats;
  HeatMeter meter;  // at the building's entry: sees every flat's heat
};

// Radiator output (kW) and return temperature for supply t_s, flow f and
// room t_air; no flow or a supply at or below the room gives 0. guess_kw
// (such as the last step's output) only speeds the solution up.
struct RadiatorOut {
  double q_kw = 0;
  double return_c = 0;
};
RadiatorOut Radiator(const FlatParams& p, double t_s_c, double flow_m3h, double t_air_c,
                     double guess_kw = 0);

// Advances a flat's temperatures over dt_s with heat q_kw into the air,
// plus gains_w (internal + solar), at outdoor t_out_c.
void StepFlat(Flat& f, double q_kw, double gains_w, double t_out_c, double dt_s);

// The two time constants (s) of a flat's free response, slow first, from
// the eigenvalues of its 2×2 system.
struct TimeConstants {
  double slow_s = 0;
  double fast_s = 0;
};
TimeConstants FlatTimeConstants(const FlatParams& p);

// Room sensor (DEV-1): the air temperature with uniform noise of
// ±noise_c, rounded to resolution_c.
double SensorReading(double t_air_c, double noise_unit, double noise_c = 0.2,
                     double resolution_c = 0.1);

}  // namespace heat::sim::physics
