// sim/closed_loop.cc — a strategy over a simulated station.
#include "heat/sim/closed_loop.h"

namespace heat::sim {

control::Measurements MeasureStation(physics::Station& s, const physics::WeatherSample& w) {
  const physics::StationValues& v = s.values();
  control::Measurements m;
  m.t_out_c = v.t_out_c;
  m.wind_ms = w.wind_ms;
  m.solar_wm2 = w.solar_wm2;
  m.t1s = v.t1s, m.t1r = v.t1r, m.t2s = v.t2s, m.t2r = v.t2r;
  m.dp2_kpa = v.p2s - v.p2r;
  m.f1_m3h = v.f1;
  m.pw1_kw = v.pw1;
  m.valve_pct = s.valve().feedback_pct();
  m.pump_hz = s.pump().hz();
  m.local_manual = s.valve().forced_manual();
  return m;
}

// ReadSensors lists the sensors building by building, flat by flat: the
// same walk finds the flat of each reading.
std::vector<control::RoomReading> ReadHeatedRooms(physics::Station& s) {
  std::vector<physics::RoomSensorValue> readings = s.ReadSensors();
  std::vector<control::RoomReading> out;
  size_t i = 0;
  for (const physics::Building& b : s.buildings())
    for (const physics::Flat& f : b.flats) {
      if (!f.p.has_sensor) continue;
      if (!f.p.suspended) out.push_back({readings[i].temp_c, 0, true});
      ++i;
    }
  return out;
}

control::Commands StepClosedLoop(ControlledStation& cs, double dt_s, double t_s,
                                 const physics::WeatherSample& w, const control::Clock& clock) {
  cs.station.Step(dt_s, t_s, w);
  double now = t_s + dt_s;
  if (cs.last_report_s < 0 || now - cs.last_report_s >= cs.sensor_period_s) {
    cs.rooms = ReadHeatedRooms(cs.station);
    cs.last_report_s = now;
  }
  control::Measurements m = MeasureStation(cs.station, w);
  m.rooms = cs.rooms;
  for (control::RoomReading& r : m.rooms) r.age_s = now - cs.last_report_s;
  control::Output o = control::Step(cs.config, m, cs.state, clock);
  cs.state = o.state;
  if (o.commands.send) {
    cs.station.valve().Command(o.commands.valve_pct);
    cs.station.pump().CommandHz(o.commands.pump_hz);
    cs.station.pump().CommandRun(o.commands.pump_run);
  }
  return o.commands;
}

}  // namespace heat::sim
