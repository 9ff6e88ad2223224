// forms/paper.h — the A4 forms of the counter (BIL-26): the suspension
// form (报停申请表) of a house, the reduction form (减免申请表) of a request,
// the dunning notice (催缴通知书) of one house. Each is a mustache template
// of Pango markup in counter.templates (suspension.mustache,
// reduction.mustache), drawn by report::RenderNotices, the machinery of
// reportgen's notices; the dunning notice is reportgen's own report
// "dunning" (report.dirs) run for the one house, on its template.
// Rendering reads only; each function returns the PDF's bytes.
#pragma once

#include <cstdint>
#include <string>

#include "heat/core/config.h"
#include "heat/core/status.h"
#include "heat/db/conn.h"

namespace heat::forms {

// The first of counter.templates' folders (':'-separated) holding NAME;
// kNotFound naming the folders when none does.
Result<std::string> FindTemplate(const Config& cfg, const std::string& name);

Result<std::string> SuspensionForm(db::Conn& db, const Config& cfg, const std::string& house,
                                   const std::string& season);
Result<std::string> ReductionForm(db::Conn& db, const Config& cfg, int64_t request_id);
// kNotFound when the house owes nothing over the seasons that have started.
Result<std::string> DunningNotice(db::Conn& db, const Config& cfg, const std::string& house);

}  // namespace heat::forms
