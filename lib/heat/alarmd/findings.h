// alarmd/findings.h — heatd-alarm raises the health check's stored
// findings (lib/sql 0040, ANA-6, ANA-10) as alarms: an open finding
// without an alarm gets one (rule code finding:RULE, kind finding, its
// severity as priority, its title, likely fault and advice as the
// message); the alarm of a resolved finding clears. Both are done by
// heat.analysis_finding_alarms() inside the evaluator's round, so they
// commit with it. The ids of the alarms raised, for announcing.
#pragma once

#include <cstdint>
#include <vector>

#include "heat/db/conn.h"

namespace heat::alarmd {

// Within an open transaction.
Result<std::vector<int64_t>> RaiseFindings(db::Conn& conn);

}  // namespace heat::alarmd
