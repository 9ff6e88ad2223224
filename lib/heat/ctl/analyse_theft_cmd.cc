// heatctl analyse theft (ANA-10): houses billing says are not heated
// (suspended 报停, disconnected 退网) whose room sensor, own heat meter or
// building meter says heat reaches them, ranked by analysis/theft.h's
// score. The inputs come from heat.analysis_theft_houses and
// heat.analysis_theft_buildings (lib/sql 0040): the houses of the stations
// in the person's scope, with only their heating status from billing.
#include <chrono>

#include "heat/analysis/theft.h"
#include "heat/ctl/commands.h"
#include "heat/core/time.h"

namespace heat::ctl {

Result<analysis::RuleBase> LoadHealthRules(cli::Context& ctx, const std::string& path);

namespace {

struct Args {
  std::string from = "-7d", to = "now", rules;
};

std::optional<double> Opt(const db::Rows& r, int i, const char* col) {
  auto v = r.opt(i, col);
  return v ? std::optional<double>(std::stod(*v)) : std::nullopt;
}

Result<analysis::TheftInput> LoadInput(db::Conn& db, int64_t from_s, int64_t to_s) {
  std::vector<db::Param> span = {std::to_string(from_s), std::to_string(to_s)};
  analysis::TheftInput in;
  in.days = static_cast<double>(to_s - from_s) / 86400;
  HEAT_ASSIGN(db::Rows h, db.Query("SELECT * FROM heat.analysis_theft_houses(to_timestamp($1::bigint),"
                                   " to_timestamp($2::bigint))", span));
  for (int i = 0; i < h.size(); ++i)
    in.houses.push_back({h.get(i, "house"), h.get(i, "status"), h.get(i, "unit"), h.get(i, "room"),
                         h.opt(i, "building").value_or(""), std::stod(h.get(i, "area_m2")), Opt(h, i, "room_c"),
                         Opt(h, i, "meter_kwh")});
  HEAT_ASSIGN(db::Rows b, db.Query("SELECT * FROM heat.analysis_theft_buildings(to_timestamp($1::bigint),"
                                   " to_timestamp($2::bigint))", span));
  for (int i = 0; i < b.size(); ++i) in.buildings.push_back({b.get(i, "building"), std::stod(b.get(i, "meter_kwh"))});
  // Outdoors: the stations' own outdoor sensors (tag tout) over the window.
  HEAT_ASSIGN(db::Rows t, db.Query(R"(
    SELECT sum(r.sum) / nullif(sum(r.n), 0) FROM heat.reading_hourly r JOIN heat.point p ON p.id = r.point_id
    WHERE p.tag = 'tout' AND r.hour >= to_timestamp($1::bigint) AND r.hour < to_timestamp($2::bigint))", span));
  if (t.is_null(0, 0) && !in.houses.empty())
    return Status::NotFound("no outdoor temperature (a station's tag tout) in the window: the expected "
                            "temperature of an unheated flat needs it");
  in.outdoor_c = t.is_null(0, 0) ? 0 : std::stod(t.get(0, 0));
  return in;
}

Status Theft(cli::Context& ctx, const Args& a) {
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  HEAT_ASSIGN(int64_t from_s, ParseTime(a.from, tz, now));
  HEAT_ASSIGN(int64_t to_s, ParseTime(a.to, tz, now));
  if (to_s - from_s < 3600) return Status::Usage("--from must be at least an hour before --to");
  HEAT_ASSIGN(analysis::RuleBase base, LoadHealthRules(ctx, a.rules));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(analysis::TheftInput in, LoadInput(*db, from_s, to_s));
  std::vector<analysis::Suspect> suspects = analysis::ScoreTheft(in, base.theft);
  using K = cli::Cell::Kind;
  cli::Table t{{"house", "status", "score", "evidence_kind", "room_c", "expected_c", "meter_kwh", "evidence"}, {}};
  auto num = [](const nlohmann::json& e, const char* part, const char* key) -> cli::Cell {
    if (!e.contains(part) || !e[part].contains(key)) return {std::nullopt, K::kNumber};
    return {e[part][key].dump(), K::kNumber};
  };
  for (const auto& s : suspects) {
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", s.score);
    t.Add({{s.house}, {s.status}, {score, K::kNumber}, {s.evidence_kind}, num(s.evidence, "room", "room_c"),
           num(s.evidence, "room", "expected_unheated_c"), num(s.evidence, "meter", "meter_kwh"),
           {s.evidence.dump(), K::kJson}});
  }
  if (ctx.format == cli::Format::kTable) {
    for (auto& row : t.rows) row.pop_back();
    t.columns.pop_back();
  }
  cli::Print(t, ctx.format, ctx.out());
  if (ctx.format == cli::Format::kTable)
    ctx.out() << suspects.size() << " suspected of " << in.houses.size() << " houses, outdoor mean "
              << std::round(in.outdoor_c * 10) / 10 << " °C\n";
  return Status::Ok();
}

}  // namespace

cli::Command TheftCommand() {
  return {"analyse theft", "suspected heat theft: houses billed as unheated that sensors and meters say are heated",
          "ANA-10", [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<Args>();
            app.add_option("--from", a->from, "window start (default -7d)");
            app.add_option("--to", a->to, "window end (default now)");
            app.add_option("--rules", a->rules, "rule file (its theft section) instead of analysis.rules");
            return [a](cli::Context& ctx) { return Theft(ctx, *a); };
          }};
}

}  // namespace heat::ctl
