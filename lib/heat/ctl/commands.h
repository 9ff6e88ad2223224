// ctl/commands.h — the heatctl command table (SCADA base information,
// users, the operation log, import/export, the database). cmd/heatctl/main.cc
// hands this table to cli::Run; heatctl(1) documents every row.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "heat/cli/command.h"
#include "heat/network/kinds.h"

namespace heat::ctl {

std::vector<cli::Command> HeatctlCommands();

// Rows contributed by each concern, concatenated by HeatctlCommands().
std::vector<cli::Command> ObjectCommands();   // <kind> list|show|add|set|rm
std::vector<cli::Command> DbCommands();       // db migrate|status
std::vector<cli::Command> BackupCommands();   // db backup setup|now|list|restore|export|check
std::vector<cli::Command> UserCommands();     // user add|list|grant|revoke|rm|who
std::vector<cli::Command> LogCommands();      // log
std::vector<cli::Command> ExchangeCommands(); // import, export
std::vector<cli::Command> IngestCommands();   // ingest stats|unknown
std::vector<cli::Command> ScanCommands();     // scan
std::vector<cli::Command> MeterCommands();    // meter decode
std::vector<cli::Command> ControlCommands();  // control show|set|hold|release|history, valve, pump

std::vector<cli::Command> AlarmCommands();    // alarm list|ack|shelve|history|suppress, alarm rule ...
std::vector<cli::Command> WeatherCommands();  // weather import|list
std::vector<cli::Command> ForecastCommands(); // forecast show|list|accuracy
std::vector<cli::Command> TrendCommands();    // trend
std::vector<cli::Command> NetworkModelCommands();       // network import-inp|export-inp|geojson (pipes and nodes)
std::vector<cli::Command> HydraulicsCommands();         // analyse hydraulics|balance
std::vector<cli::Command> OperationAnalysisCommands();  // analyse precision|rooms|energy|curve
std::vector<cli::Command> HealthCommands();             // analyse health|theft, analyse findings
std::vector<cli::Command> SystemCommands();             // system status

// "18:00" (the next such time), "+2h", "+30m", "+1d", or a timestamp, as a
// SQL timestamptz expression, checked against those forms (--until).
Result<std::string> UntilValue(const std::string& s);

// The output cell for a value of a field (numbers unquoted in JSON).
cli::Cell CellFor(const network::Field* field, const network::Value& v);

// The heat source or station whose forecasts a command is about, found by
// its code among the forecasts the person may see (kind "source" or
// "station", or "" for either). kNotFound when there is no such object
// in the person's scope or no forecast of it; kUsage when the code names
// both a source and a station and `kind` is "".
struct ForecastTarget {
  std::string kind, id, code;
  std::string Name() const { return (kind == "source" ? "heat source " : "station ") + code; }
};
Result<ForecastTarget> FindForecastTarget(db::Conn& db, const std::string& code, const std::string& kind);

// A query result as a table: columns as the query named them, cells as
// strings unless `kinds` says otherwise (by column name), NULL kept.
cli::Table RowsTable(const db::Rows& rows, const std::map<std::string, cli::Cell::Kind>& kinds = {});

}  // namespace heat::ctl
