// alarmd/findings.cc — findings of the health check raised as alarms.
#include "heat/alarmd/findings.h"

namespace heat::alarmd {

Result<std::vector<int64_t>> RaiseFindings(db::Conn& conn) {
  HEAT_ASSIGN(db::Rows r, conn.Query("SELECT * FROM heat.analysis_finding_alarms()"));
  std::vector<int64_t> ids;
  for (int i = 0; i < r.size(); ++i) ids.push_back(r.get_int(i, 0));
  return ids;
}

}  // namespace heat::alarmd
