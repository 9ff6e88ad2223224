// sim/physics/station.cc — a station and its buildings, stepped together.
#include "heat/sim/physics/station.h"

#include <algorithm>
#include <cmath>

#include "heat/sim/physics/exchanger.h"

namespace heat::sim::physics {

namespace {

constexpr double kAirKjPerM2K = 15;     // air, furniture, light partitions
constexpr double kCouplingWPerM2K = 22; // air <-> structure (ISO 13790: 9.1 W/m²K × 2.5 A_f)
constexpr double kPrimarySupplyKpa = 600;

// Internal gains over the day: low at night, high in the evening.
double GainProfile(double t_s) {
  double hour = std::fmod(t_s / 3600, 24);
  if (hour < 6) return 0.7;
  if (hour >= 18 && hour < 23) return 1.4;
  return 1.0;
}

Status CheckDesign(const StationDesign& d) {
  if (!(d.area_m2 > 0 && d.load_w_m2 > 0 && d.buildings > 0 && d.flats_per_building > 0))
    return Status::Usage(d.code + ": area, load, buildings and flats must be positive");
  if (!(d.design_in_c > d.design_out_c && d.secondary_supply_c > d.secondary_return_c &&
        d.secondary_return_c > d.design_in_c && d.dp1_kpa > 0 && d.pump_head_kpa > 0))
    return Status::Usage(d.code + ": design temperatures or pressures out of order");
  return Status::Ok();
}

}  // namespace

Station::Station(const StationDesign& d, double ua, const ValveParams& vp, const PumpParams& pp)
    : d_(d), ua_(ua), valve_(vp, 60), pump_(pp), pressure_(PressureParams{}), rng_(d.seed) {}

Result<Station> Station::Make(const StationDesign& d) {
  if (Status s = CheckDesign(d); !s.ok()) return s;
  double q_kw = d.area_m2 * d.load_w_m2 / 1000;
  auto ua = DesignUa(d.primary_supply_c, d.primary_return_c, d.secondary_return_c,
                     d.secondary_supply_c, q_kw);
  if (!ua.ok()) return ua.status().With(d.code);
  double f1 = q_kw / (kWaterKwPerM3hK * (d.primary_supply_c - d.primary_return_c));
  double f2 = q_kw / (kWaterKwPerM3hK * (d.secondary_supply_c - d.secondary_return_c));
  ValveParams vp;
  vp.characteristic = d.characteristic;
  vp.authority = d.valve_authority;
  vp.stroke_time_s = d.stroke_time_s;
  vp.kvs_m3h = d.valve_open_flow_factor * f1 / std::sqrt(d.valve_authority * d.dp1_kpa / 100);
  PumpParams pp;
  pp.design_flow_m3h = f2;
  pp.design_head_kpa = d.pump_head_kpa;
  pp.design_power_kw = f2 / 3600 * d.pump_head_kpa / 0.6;  // 60 % wire to water
  Station s(d, *ua, vp, pp);
  s.BuildFlats();
  // Start from the design temperatures, so that a closed valve or a
  // stopped pump in the first step reports water, not 0 °C.
  s.v_.t1s = d.primary_supply_c;
  s.v_.t1r = d.primary_return_c;
  s.v_.t2s = d.secondary_supply_c;
  s.v_.t2r = d.secondary_return_c;
  return s;
}

// Draws each building's quality and each flat's position, radiator size,
// mass, sensor and suspension from the station's seed.
void Station::BuildFlats() {
  double area = d_.area_m2 / (d_.buildings * d_.flats_per_building);
  double ua_per_m2 = d_.load_w_m2 / (d_.design_in_c - d_.design_out_c);
  double rad_excess = (d_.secondary_supply_c + d_.secondary_return_c) / 2 - d_.design_in_c;
  for (int b = 0; b < d_.buildings; ++b) {
    Building bld;
    bld.code = d_.code + "-B" + std::to_string(b + 1);
    double quality = rng_.Uniform(1 - d_.quality_spread, 1 + d_.quality_spread);
    double tau_h = d_.time_constant_h * rng_.Uniform(0.7, 1.3);
    for (int f = 0; f < d_.flats_per_building; ++f) {
      FlatParams p;
      p.area_m2 = area;
      p.ua_w_k = area * ua_per_m2 * quality *
                 rng_.Uniform(1 - d_.position_spread / 2, 1 + d_.position_spread);
      p.h_am_w_k = area * kCouplingWPerM2K;
      p.c_air_kj_k = area * kAirKjPerM2K;
      p.c_mass_kj_k = area * ua_per_m2 * tau_h * 3.6;  // W/K × h -> kJ/K
      // Each radiator is chosen for its own flat's design loss (a flat on
      // the top floor of a poor building gets a bigger one), as a designer
      // sizes them room by room; the margin on top is the catalogue step.
      double design_loss_kw = p.ua_w_k * (d_.design_in_c - d_.design_out_c) / 1000;
      p.rad_design_kw = design_loss_kw * rng_.Uniform(1.0, d_.radiator_oversize_max);
      p.rad_design_excess_k = rad_excess;
      p.design_flow_m3h = p.rad_design_kw /
                          (kWaterKwPerM3hK * (d_.secondary_supply_c - d_.secondary_return_c));
      p.internal_gain_w = area * d_.internal_gain_w_m2;
      p.solar_aperture_m2 = area * d_.solar_aperture;
      p.suspended = rng_.Uniform() < d_.suspended_fraction;
      p.stealing = p.suspended && rng_.Uniform() < d_.stealing_fraction;
      p.has_sensor = rng_.Uniform() < d_.sensor_fraction;
      p.has_trv = rng_.Uniform() < d_.trv_fraction;
      Flat flat;
      flat.p = p;
      bld.flats.push_back(flat);
    }
    buildings_.push_back(std::move(bld));
  }
}

// The source's own curve: design supply at design outdoor temperature,
// falling linearly to the mild-weather supply, held beyond both ends.
double Station::SourceSupply(double t_out_c) const {
  double x = (t_out_c - d_.design_out_c) / (d_.source_mild_out_c - d_.design_out_c);
  x = std::clamp(x, 0.0, 1.0);
  return d_.primary_supply_c + x * (d_.source_mild_supply_c - d_.primary_supply_c);
}

void Station::Step(double dt_s, double t_s, const WeatherSample& w) {
  v_.t_out_c = w.t_out_c;
  v_.t1s = SourceSupply(w.t_out_c);
  valve_.Step(dt_s);
  pump_.Step(dt_s);
  pressure_.Step(dt_s);
  v_.f1 = valve_.FlowM3h(d_.dp1_kpa);
  v_.f2 = pump_.FlowM3h() * NetworkOpening();
  ExchangeResult hx = Counterflow(ua_, v_.t1s, v_.f1, v_.t2r, v_.f2);
  v_.t1r = v_.f1 > 0 ? hx.hot_out_c : v_.t1r;
  v_.t2s = v_.f2 > 0 ? hx.cold_out_c : v_.t2s;
  v_.pw1 = hx.q_kw;
  hx_kwh_ += hx.q_kw * dt_s / 3600;
  v_.p1s = kPrimarySupplyKpa;
  v_.p1r = kPrimarySupplyKpa - d_.dp1_kpa;
  v_.p2r = pressure_.pressure_kpa();
  v_.p2s = v_.p2r + pump_.HeadKpa();
  primary_meter_.Add(v_.f1, v_.t1s, v_.t1r, dt_s);
  StepBuildings(dt_s, t_s, w);
  secondary_meter_.Add(v_.f2, v_.t2s, v_.t2r, dt_s);
}

// The share of the pump's flow the radiators take, as their valves stand
// after the last step: with every heated flat's valve open, all of it.
// As thermostatic valves close the secondary flow falls in proportion (the
// risers' differential-pressure controllers keep the rest balanced).
double Station::NetworkOpening() const {
  double open = 0, design = 0;
  for (const auto& b : buildings_)
    for (const auto& f : b.flats)
      if (f.flowing()) {
        open += f.p.design_flow_m3h * f.Opening();
        design += f.p.design_flow_m3h;
      }
  return design > 0 ? open / design : 0;
}

// The secondary flow is shared by the flats in proportion to their design
// flow (a balanced network) times their valve's opening.
void Station::StepBuildings(double dt_s, double t_s, const WeatherSample& w) {
  double share_sum = 0;
  for (const auto& b : buildings_)
    for (const auto& f : b.flats) share_sum += f.p.design_flow_m3h * f.Opening();
  double gain_factor = GainProfile(t_s), mixed = 0;
  for (auto& b : buildings_) {
    for (auto& f : b.flats) {
      double share = f.p.design_flow_m3h * f.Opening();
      double flow = share_sum > 0 ? v_.f2 * share / share_sum : 0;
      RadiatorOut r = Radiator(f.p, v_.t2s, flow, f.t_air_c, f.q_rad_kw);
      f.q_rad_kw = r.q_kw;
      f.t_return_c = r.return_c;
      if (!f.p.stealing) f.meter.Add(flow, v_.t2s, r.return_c, dt_s);
      b.meter.Add(flow, v_.t2s, r.return_c, dt_s);
      mixed += flow * r.return_c;
      double gains = f.p.internal_gain_w * gain_factor + f.p.solar_aperture_m2 * w.solar_wm2;
      StepFlat(f, r.q_kw, gains, w.t_out_c, dt_s);
    }
  }
  if (v_.f2 > 0) v_.t2r = mixed / v_.f2;
}

std::vector<RoomSensorValue> Station::ReadSensors() {
  std::vector<RoomSensorValue> out;
  for (size_t b = 0; b < buildings_.size(); ++b)
    for (size_t f = 0; f < buildings_[b].flats.size(); ++f) {
      const Flat& flat = buildings_[b].flats[f];
      if (!flat.p.has_sensor) continue;
      out.push_back({buildings_[b].code + "-F" + std::to_string(f + 1),
                     SensorReading(flat.t_air_c, rng_.Uniform())});
    }
  return out;
}

std::vector<std::pair<std::string, double>> Station::Tags() const {
  std::vector<std::pair<std::string, double>> tags = LiveTags();
  for (auto& [tag, value] : tags) {
    auto f = frozen_.find(tag);
    if (f == frozen_.end()) continue;
    if (!f->second) f->second = value;
    value = *f->second;
  }
  return tags;
}

std::vector<std::pair<std::string, double>> Station::LiveTags() const {
  const double mpa = 0.001;
  return {{"t1s", v_.t1s},
          {"t1r", v_.t1r},
          {"t2s", v_.t2s},
          {"t2r", v_.t2r},
          {"p1s", v_.p1s * mpa},
          {"p1r", v_.p1r * mpa},
          {"p2s", v_.p2s * mpa},
          {"p2r", v_.p2r * mpa},
          {"f1", v_.f1},
          {"f2", v_.f2},
          {"q1", primary_meter_.energy_kwh * 0.0036},
          {"pw1", v_.pw1},
          {"v1", valve_.feedback_pct()},
          {"v1_set", valve_.setpoint_pct()},
          {"pump1_hz", pump_.hz()},
          {"pump1_run", pump_.running() ? 1.0 : 0.0},
          {"pump1_fault", pump_.faulted() ? 1.0 : 0.0},
          {"mkup_run", pressure_.makeup_running() ? 1.0 : 0.0},
          {"lvl", pressure_.level_m()},
          {"tout", v_.t_out_c},
          {"kwh", pump_.energy_kwh()},
          {"mw_m3", pressure_.makeup_water_m3()}};
}

}  // namespace heat::sim::physics
