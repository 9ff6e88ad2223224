// analysis/inp_units.h — the units of an EPANET .inp file and their factors
// to SI, shared by the reader and the writer (inp.h). The flow factors go
// through EPANET's own cfs constants, so that a flow read here equals the
// flow EPANET works with, to the last digit.
#pragma once

#include <string_view>

#include "heat/analysis/headloss.h"

namespace heat::analysis::inp {

enum class FlowUnits { kCfs, kGpm, kMgd, kImgd, kAfd, kLps, kLpm, kMld, kCmh, kCmd, kCms };
enum class PressureUnits { kDefault, kPsi, kKpa, kMeters, kBar, kFeet };

struct Units {
  FlowUnits flow = FlowUnits::kGpm;
  PressureUnits pressure = PressureUnits::kDefault;
  double specific_gravity = 1.0;

  bool Si() const { return flow >= FlowUnits::kLps; }
  double Length() const { return Si() ? 1.0 : kMPerFt; }           // → m
  double Diameter() const { return Si() ? 0.001 : 0.0254; }        // → m
  double Roughness() const { return Si() ? 1.0 : kMPerFt; }        // D-W → mm
  double Power() const { return Si() ? 1.0 : 0.7457; }             // → kW
  double Flow() const;      // → m3/s
  double Pressure() const;  // → m of head
};

// "LPS" → kLps etc. (case-insensitive); false for an unknown word.
bool ParseFlowUnits(std::string_view word, FlowUnits* out);
bool ParsePressureUnits(std::string_view word, PressureUnits* out);

}  // namespace heat::analysis::inp
