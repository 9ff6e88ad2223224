// The A4 forms (paper.h) through report::RenderNotices.
#include "heat/forms/paper.h"

#include <filesystem>

#include "heat/core/file.h"
#include "heat/core/money.h"
#include "heat/report/output.h"
#include "heat/report/run.h"

namespace heat::forms {
namespace {

// One row of a query as notice data: every column as text.
report::Data RowData(const db::Rows& d) {
  report::Data data;
  data.rows.emplace_back();
  for (int c = 0; c < d.columns(); ++c) {
    data.names.push_back(d.column_name(c));
    data.rows[0].push_back(d.is_null(0, c) ? report::Cell() : report::Cell(d.get(0, c)));
  }
  return data;
}

Result<report::Meta> MetaOf(db::Conn& db, const Config& cfg, const std::string& title) {
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT to_char(now(), 'YYYY-MM-DD HH24:MI:SS')"));
  return report::Meta{title, "", r.get(0, 0), cfg.str("site.company"), ""};
}

// The template at `path` over `data`, a page per row.
Result<std::string> Render(db::Conn& db, const Config& cfg, const std::string& path, const std::string& title,
                           const report::Def& def, const report::Data& data) {
  HEAT_ASSIGN(std::string tmpl, ReadRegularFile(path, 1u << 20, "a template is small"));
  HEAT_ASSIGN(report::Meta meta, MetaOf(db, cfg, title));
  auto pdf = report::RenderNotices(def, data, tmpl, meta);
  if (!pdf.ok()) return pdf.status().With(path);
  return pdf;
}

constexpr const char* kHouseSql =
    "SELECT h.code AS house, coalesce(cu.name, '') AS customer, coalesce(cu.phone, '') AS phone,"
    " c.name || b.name || u.name || h.room || '室' AS address, h.charged_area::text AS area,"
    " h.house_type, h.heating_status, $2::text AS season"
    " FROM bill.house h LEFT JOIN bill.customer cu ON cu.id = h.customer_id"
    " JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id"
    " JOIN bill.community c ON c.id = b.community_id WHERE h.code = $1 AND h.deleted_at IS NULL";

constexpr const char* kRequestSql =
    "SELECT r.id::text AS request, r.kind, (-r.amount_fen)::text AS amount_fen, r.reason, r.requester,"
    " r.route, r.outcome, coalesce(r.supervisor, '') AS supervisor, coalesce(r.deputy, '') AS deputy,"
    " coalesce(r.production, '') AS production, to_char(r.created_at, 'YYYY-MM-DD HH24:MI') AS created,"
    " h.code AS house, coalesce(cu.name, '') AS customer, s.name AS season,"
    " c.name || b.name || u.name || h.room || '室' AS address, h.charged_area::text AS area"
    " FROM bill.request r JOIN bill.account a ON a.id = r.account_id JOIN bill.season s ON s.id = a.season_id"
    " JOIN bill.house h ON h.id = a.house_id LEFT JOIN bill.customer cu ON cu.id = h.customer_id"
    " JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id"
    " JOIN bill.community c ON c.id = b.community_id WHERE r.id = $1";

}  // namespace

Result<std::string> FindTemplate(const Config& cfg, const std::string& name) {
  const std::string& dirs = cfg.str("counter.templates");
  for (const auto& dir : report::SplitDirs(dirs)) {
    std::filesystem::path p = std::filesystem::path(dir) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p.string();
  }
  return Status::NotFound("no template " + name + " in counter.templates (" + dirs + ")");
}

Result<std::string> SuspensionForm(db::Conn& db, const Config& cfg, const std::string& house,
                                   const std::string& season) {
  HEAT_ASSIGN(db::Rows d, db.Query(kHouseSql, {house, season}));
  if (d.size() == 0) return Status::NotFound("no house " + house);
  HEAT_ASSIGN(std::string path, FindTemplate(cfg, "suspension.mustache"));
  return Render(db, cfg, path, "报停申请表", report::Def{}, RowData(d));
}

Result<std::string> ReductionForm(db::Conn& db, const Config& cfg, int64_t request_id) {
  HEAT_ASSIGN(db::Rows d, db.Query(kRequestSql, {std::to_string(request_id)}));
  if (d.size() == 0) return Status::NotFound("no request " + std::to_string(request_id));
  report::Def def;
  report::Column amount;
  amount.name = "amount_fen";
  amount.type = report::ColType::kMoney;
  def.columns.push_back(amount);
  HEAT_ASSIGN(std::string path, FindTemplate(cfg, "reduction.mustache"));
  return Render(db, cfg, path, "减免申请表", def, RowData(d));
}

Result<std::string> DunningNotice(db::Conn& db, const Config& cfg, const std::string& house) {
  auto dirs = report::SplitDirs(cfg.str("report.dirs"));
  HEAT_ASSIGN(report::Def def, report::FindDef(dirs, "dunning"));
  HEAT_ASSIGN(db::Rows t, db.Query("SELECT to_char(now(), 'YYYY-MM-DD')"));
  HEAT_ASSIGN(Date today, ParseDate(t.get(0, 0)));
  HEAT_ASSIGN(db::Params bound, report::BindParams(def, {{"min_arrears", "0.01"}}, today));
  HEAT_ASSIGN(report::Data all, report::Execute(db, def, bound));
  int col = all.Col("house");
  report::Data one{all.names, {}};
  for (auto& row : all.rows)
    if (col >= 0 && row[col] == house) one.rows.push_back(std::move(row));
  if (one.rows.empty()) return Status::NotFound("house " + house + " owes nothing (or is not yours to see)");
  std::string path = (std::filesystem::path(def.file).parent_path() / def.notice_template).string();
  return Render(db, cfg, path, def.title, def, one);
}

}  // namespace heat::forms
