// report/run.h — finding report definitions and running their SQL.
//
// Contract:
// - Definitions are NAME.yaml files in a list of folders (report.dirs,
//   ANA-9): the first folder holding NAME wins, so a company's own folder
//   placed first overrides a built-in report of the same name.
// - Parameters are checked by their declared type and bound as $1..$N in
//   the definition's order, never spliced into the SQL.
// - The SQL runs as the person running the tool, in a READ ONLY
//   transaction (rolled back), so row-level security and the billing
//   scope apply and a definition cannot change data; `org` only narrows.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "heat/core/status.h"
#include "heat/core/time.h"
#include "heat/db/conn.h"
#include "heat/report/def.h"
#include "heat/report/layout.h"

namespace heat::report {

// The folders of a report.dirs value ("a:b:c"; empty parts skipped).
std::vector<std::string> SplitDirs(const std::string& dirs);
// Every definition file's path by name, first folder first; a folder that
// does not exist is skipped.
std::map<std::string, std::string> ListDefs(const std::vector<std::string>& dirs);
// The definition NAME; kNotFound with "did you mean" when there is none.
Result<Def> FindDef(const std::vector<std::string>& dirs, const std::string& name);

// Values as typed (--date, --param name=value ...) -> the bound
// parameters. `today` is the company's day (the default of date
// parameters). Unknown names, missing required ones and values that do
// not fit the type are kUsage.
Result<db::Params> BindParams(const Def& def, const std::map<std::string, std::string>& given, const Date& today);
// The bound value of one parameter, for titles ("" when absent).
std::string ParamText(const Def& def, const db::Params& bound, const std::string& name);

// Runs the SQL as described above.
Result<Data> Execute(db::Conn& db, const Def& def, const db::Params& bound);

}  // namespace heat::report
