#include "heat/ctl/commands.h"

namespace heat::ctl {

std::vector<cli::Command> HeatctlCommands() {
  std::vector<cli::Command> all;
  for (auto part : {DbCommands, BackupCommands, ExchangeCommands, ObjectCommands, UserCommands, LogCommands,
                    IngestCommands, ScanCommands, MeterCommands, ControlCommands, AlarmCommands,
                    WeatherCommands, ForecastCommands, TrendCommands, NetworkModelCommands, HydraulicsCommands,
                    OperationAnalysisCommands, HealthCommands, SystemCommands}) {
    auto rows = part();
    all.insert(all.end(), rows.begin(), rows.end());
  }
  return all;
}

cli::Table RowsTable(const db::Rows& rows, const std::map<std::string, cli::Cell::Kind>& kinds) {
  cli::Table t;
  for (int c = 0; c < rows.columns(); ++c) t.columns.push_back(rows.column_name(c));
  for (int i = 0; i < rows.size(); ++i) {
    std::vector<cli::Cell> row;
    for (int c = 0; c < rows.columns(); ++c) {
      auto k = kinds.find(t.columns[c]);
      row.push_back(cli::Cell{rows.is_null(i, c) ? std::nullopt : std::optional(rows.get(i, c)),
                              k == kinds.end() ? cli::Cell::kString : k->second});
    }
    t.Add(std::move(row));
  }
  return t;
}

}  // namespace heat::ctl
