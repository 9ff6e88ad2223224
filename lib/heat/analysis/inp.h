// analysis/inp.h — EPANET's .inp text format, read into a hydraulic Network
// (SI units) and written back (ANA-3).
//
// ReadInp understands [TITLE] [JUNCTIONS] [RESERVOIRS] [TANKS] [PIPES]
// [PUMPS] [VALVES] [DEMANDS] [STATUS] [CURVES] [PATTERNS] [OPTIONS]
// [COORDINATES] [VERTICES] [END]; every other section is skipped, as is
// text after ';'. Values in US units (CFS GPM MGD IMGD AFD) are converted
// from feet, inches, and millifeet (D-W roughness); in SI units (LPS LPM MLD
// CMH CMD) diameters are millimetres. A junction's demand is its base
// demands times their patterns' first multiplier (the default pattern
// where none is named) times the DEMAND MULTIPLIER: a snapshot at time 0.
// The [OPTIONS] ACCURACY, TRIALS, CHECKFREQ, MAXCHECK, DAMPLIMIT, HEADERROR
// and FLOWCHANGE go to `options`. Refused although EPANET reads them: PCV
// valves, DEMAND MODEL PDA, ranges of links in [STATUS]; as in EPANET, ids
// longer than 31 bytes, pumps with neither HEAD nor POWER, GPVs without a
// curve.
//
// Input is untrusted: any bytes give a Network or a kUsage Status naming the
// line, e.g. "line 12: [PIPES] P1: diameter 'x' is not a number"; nothing
// is allocated beyond a small multiple of the text's size.
//
// WriteInp writes SI units with LPS flows, D-W roughness in mm, and every
// link's initial status, so that EPANET solves the same network; ReadInp of
// its output gives back the same Network (to printing precision, %.10g).
#pragma once

#include <string>
#include <string_view>

#include "heat/analysis/hydraulics.h"
#include "heat/core/status.h"

namespace heat::analysis {

struct InpFile {
  Network network;
  SolveOptions options;  // ACCURACY and TRIALS from [OPTIONS]
};

Result<InpFile> ReadInp(std::string_view text);

std::string WriteInp(const Network& net, const SolveOptions& options = {});

}  // namespace heat::analysis
