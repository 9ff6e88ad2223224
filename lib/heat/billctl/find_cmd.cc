// billctl find QUERY (BIL-3): billing/find.h's one search box as a table.
#include "heat/billctl/commands.h"
#include "heat/billing/find.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

struct FindArgs {
  std::string query;
  int limit = 50;
};

Status Find(cli::Context& ctx, const FindArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::Found f, billing::FindHouses(*db, a.query, a.limit));
  const db::Rows& r = f.rows;
  // total and more are for the line below, not columns of the answer.
  cli::Table t = ctl::RowsTable(r);
  const size_t shown_columns = t.columns.size() - 2;
  t.columns.resize(shown_columns);
  for (auto& row : t.rows) row.resize(shown_columns);
  cli::Print(t, ctx.format, ctx.out());
  if (r.empty()) return Status::NotFound("nothing found for '" + f.query + "'");
  if (ctx.format == cli::Format::kTable && (f.more || f.total > r.size()))
    ctx.err() << r.size() << " of " << f.total << (f.more ? "+" : "") << " houses shown; type more to narrow it down\n";
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> FindCommands() {
  return {{"find", "find houses by code, card, phone, name, community, address, pinyin or initials", "BIL-3",
           [](CLI::App& app) -> cli::Runner {
             auto a = std::make_shared<FindArgs>();
             app.add_option("query", a->query, "what to look for (xfxq finds 幸福小区)")->required();
             app.add_option("--limit", a->limit, "at most this many houses")->check(CLI::Range(1, 10000));
             return [a](cli::Context& ctx) { return Find(ctx, *a); };
           }}};
}

}  // namespace heat::billctl
