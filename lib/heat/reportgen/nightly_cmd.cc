// reportgen nightly (ANA-9, BIL-19): the reports of report.nightly for
// one day (default yesterday) into a folder as DATE-NAME.FORMAT, then the
// dated files older than the retention removed. Run by
// systemd/reportgen-nightly.timer or cron. Every report is tried; any
// failure is named on stderr and makes the exit code 1 (the timer's
// OnFailure), the others are still written. A report cut off by a lost
// connection is made again once the database is back (OPS-1).
#include <filesystem>
#include <regex>

#include "heat/core/match.h"
#include "heat/core/text.h"
#include "heat/db/reconnect.h"
#include "heat/report/run.h"
#include "heat/reportgen/commands.h"

namespace heat::reportgen {
namespace {
namespace fs = std::filesystem;

struct NightlyArgs {
  std::string dir, date;
  int keep_days = -1;
};

// "daily-takings, collection-rate.xlsx" -> {name, format}; pdf by default.
Result<std::vector<std::pair<std::string, std::string>>> Jobs(const std::string& list) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& part : Split(list, ',')) {
    std::string job = Trim(part);
    if (job.empty()) continue;
    size_t dot = job.rfind('.');
    std::string name = job.substr(0, dot), fmt = dot == std::string::npos ? "pdf" : job.substr(dot + 1);
    if (fmt != "pdf" && fmt != "xlsx" && fmt != "csv")
      return Status::Usage("report.nightly: '" + job + "': the format is pdf, xlsx or csv");
    out.push_back({name, fmt});
  }
  return out;
}

// Removes DATE-*.{pdf,xlsx,csv} whose date is more than keep_days before
// `day`; other files are never touched. Returns how many were removed.
Result<int> Prune(const std::string& dir, const Date& day, int keep_days) {
  static const std::regex dated(R"(^(\d{4}-\d{2}-\d{2})-[A-Za-z0-9_-]+\.(pdf|xlsx|csv)$)");
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::smatch m;
    if (!BoundedMatch(name, m, dated) || !it->is_regular_file(ec)) continue;
    auto d = ParseDate(m[1].str());
    if (!d.ok() || DaysBetween(*d, day) <= keep_days) continue;
    if (!fs::remove(it->path(), ec) || ec) return Status::Failure(it->path().string() + ": " + ec.message());
    ++removed;
  }
  if (ec) return Status::Failure(dir + ": " + ec.message());
  return removed;
}

Status Nightly(cli::Context& ctx, const NightlyArgs& a) {
  std::string dir = a.dir.empty() ? ctx.config().str("report.out_dir") : a.dir;
  int keep = a.keep_days >= 0 ? a.keep_days : static_cast<int>(ctx.config().integer("report.keep_days"));
  HEAT_ASSIGN(auto jobs, Jobs(ctx.config().str("report.nightly")));
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound("--dir " + dir + ": no such folder");
  HEAT_ASSIGN(auto now, Now(ctx));
  Date day = AddDays(now.first, -1);
  if (!a.date.empty()) {
    HEAT_ASSIGN(day, ParseDate(a.date));
  }
  int failed = 0;
  HEAT_ASSIGN(db::Conn * db, ctx.Db());
  db::Reconnector rc("reportgen nightly");
  for (const auto& [name, fmt] : jobs) {
    std::string path = (fs::path(dir) / (FormatDate(day) + "-" + name + "." + fmt)).string();
    RunRequest req{name, fmt, "", {{"from", FormatDate(day)}, {"to", FormatDate(day)}}, true};
    auto st = RunAndWrite(ctx, req, path);
    // The database went away under the report (a restart, a failover):
    // once it is back, within a minute, the report is made again.
    if (!st.ok() && !db->Alive() && db::ReconnectWithin(*db, rc, st, std::chrono::seconds(60)).ok())
      st = RunAndWrite(ctx, req, path);
    if (st.ok()) {
      ctx.out() << path << "\n";
      continue;
    }
    ++failed;
    ctx.err() << "reportgen: nightly: " << name << ": " << st.message() << "\n";
  }
  HEAT_ASSIGN(int removed, Prune(dir, day, keep));
  if (removed > 0) ctx.out() << "removed " << removed << " reports older than " << keep << " days\n";
  if (failed) return Status::Failure(std::to_string(failed) + " of " + std::to_string(jobs.size()) + " reports failed; see above");
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> NightlyCommands() {
  return {{"nightly", "the reports of report.nightly for yesterday into a folder; old ones removed", "ANA-9 BIL-19",
           [](CLI::App& app) -> cli::Runner {
             auto a = std::make_shared<NightlyArgs>();
             app.add_option("--dir", a->dir, "the folder (default report.out_dir)");
             app.add_option("--keep-days", a->keep_days, "remove dated reports older than N days (default report.keep_days)")
                 ->check(CLI::Range(0, 36600));
             app.add_option("--date", a->date, "the day reported (default yesterday)");
             return [a](cli::Context& ctx) { return Nightly(ctx, *a); };
           },
           false}};
}

}  // namespace heat::reportgen
