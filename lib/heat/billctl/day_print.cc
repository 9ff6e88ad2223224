#include "heat/billctl/day_print.h"

#include <nlohmann/json.hpp>

#include <map>

#include "heat/billctl/commands.h"
#include "heat/report/output.h"

namespace heat::billctl {
namespace {

using billing::DaySheet;

// A section of the sheet: English column names for the terminal, Chinese
// titles for the paper, cells as text (money in yuan), money columns
// marked for alignment.
struct Part {
  std::string name, heading;
  std::vector<std::string> columns, titles;
  std::vector<bool> number;
  std::vector<std::vector<std::string>> rows;
};

std::string Opt(const std::optional<Fen>& f) { return f ? FormatYuan(*f) : "-"; }

Part Summary(const DaySheet& s) {
  Part p{"sheet", "日结单", {"item", "value"}, {"项目", "内容"}, {false, false}, {}};
  auto add = [&](const char* k, const std::string& v) { p.rows.push_back({k, v}); };
  add("cashier 收款员", s.cashier);
  add("date 日期", s.day);
  add("state 状态", s.state + (s.closed_by.empty() ? "" : " (" + s.closed_by + " " + s.closed_at + ")"));
  std::string halls;
  for (const auto& h : s.Halls()) halls += (halls.empty() ? "" : ", ") + h;
  add("hall 收费点", halls.empty() ? "-" : halls);
  add("receipts 票据号",
      s.receipts == 0 ? "-" : s.receipt_first + " .. " + s.receipt_last + " (" + std::to_string(s.receipts) + ")");
  add("payments 缴费笔数", std::to_string(s.payments));
  add("refunds 退费笔数", std::to_string(s.refunds));
  add("reversals 红冲笔数", std::to_string(s.reversals));
  add("takings 实收(元)", FormatYuan(s.takings));
  add("cash 其中现金(元)", FormatYuan(s.cash));
  add("counted 实点现金(元)", Opt(s.cash_counted));
  add("difference 差额(元)", Opt(s.cash_diff));
  return p;
}

// Totals by method or channel from the sheet's lines.
Part By(const DaySheet& s, bool method) {
  Part p{method ? "by method" : "by channel", method ? "按支付方式" : "按缴费渠道",
         {method ? "method" : "channel", "count", "takings"}, {method ? "方式" : "渠道", "笔数", "实收(元)"},
         {false, true, true}, {}};
  std::map<std::string, std::pair<int64_t, Fen>> sums;
  for (const auto& l : s.lines) {
    auto& [n, fen] = sums[method ? l.method : l.channel];
    n += l.count;
    fen += l.takings;
  }
  for (const auto& [k, v] : sums) p.rows.push_back({k, std::to_string(v.first), FormatYuan(v.second)});
  return p;
}

Part Listed(const char* name, const char* heading, const std::vector<billing::DayListed>& list, bool reversal) {
  Part p{name, heading, {"receipt_no", "house", "amount", "reason"}, {"票据号", "房屋", "金额(元)", "原因"},
         {false, false, true, false}, {}};
  if (reversal) {
    p.columns.insert(p.columns.begin() + 1, "receipt_day");
    p.titles.insert(p.titles.begin() + 1, "原票据日期");
    p.number.insert(p.number.begin() + 1, false);
  }
  for (const auto& x : list) {
    std::vector<std::string> row{x.receipt_no.empty() ? "-" : x.receipt_no, x.house, FormatYuan(x.amount), x.reason};
    if (reversal) row.insert(row.begin() + 1, x.day);
    p.rows.push_back(std::move(row));
  }
  return p;
}

std::vector<Part> Parts(const DaySheet& s) {
  return {Summary(s), By(s, true), By(s, false), Listed("voided receipts", "作废票据", s.voided, false),
          Listed("refunds", "退费", s.refund_list, false), Listed("reversals", "红冲", s.reversal_list, true)};
}

const char* kSignatures = "收款员 (cashier) ______________        审核 (supervisor) ______________";

void PrintText(cli::Context& ctx, const DaySheet& s, const std::string& company) {
  ctx.out() << (company.empty() ? "" : company + " ") << "日结单 cash-up sheet " << s.cashier << " " << s.day << "\n";
  for (const Part& p : Parts(s)) {
    ctx.out() << "\n" << p.name << " (" << p.heading << ")\n";
    cli::Table t{p.columns, {}};
    for (const auto& row : p.rows) {
      std::vector<cli::Cell> cells;
      for (size_t c = 0; c < row.size(); ++c) cells.push_back({row[c], p.number[c] ? cli::Cell::kNumber : cli::Cell::kString});
      t.Add(std::move(cells));
    }
    cli::Print(t, cli::Format::kTable, ctx.out());
  }
  ctx.out() << "\n" << kSignatures << "\n";
}

void PrintJson(cli::Context& ctx, const DaySheet& s) {
  nlohmann::json j{{"cashier", s.cashier}, {"day", s.day}, {"state", s.state}, {"closed_by", s.closed_by},
                   {"closed_at", s.closed_at}, {"submitted_at", s.submitted_at},
                   {"cash_counted_fen", s.cash_counted ? nlohmann::json(*s.cash_counted) : nlohmann::json(nullptr)},
                   {"cash_diff_fen", s.cash_diff ? nlohmann::json(*s.cash_diff) : nlohmann::json(nullptr)},
                   {"totals", nlohmann::json::parse(s.totals_json)}};
  ctx.out() << j.dump(2) << "\n";
}

}  // namespace

void PrintDaySheet(cli::Context& ctx, const DaySheet& s, const std::string& company) {
  if (ctx.format == cli::Format::kTable) return PrintText(ctx, s, company);
  if (ctx.format == cli::Format::kJson) return PrintJson(ctx, s);
  cli::Table t{{"cashier", "day", "state", "hall", "channel", "method", "kind", "count", "takings_fen"}, {}};
  for (const auto& l : s.lines)
    t.Add({TextCell(s.cashier), TextCell(s.day), TextCell(s.state), TextCell(l.hall), TextCell(l.channel),
           TextCell(l.method), TextCell(l.kind), IntCell(l.count), IntCell(l.takings)});
  cli::Print(t, ctx.format, ctx.out());
}

Result<std::string> DaySheetPdf(const DaySheet& s, const std::string& company, const std::string& printed) {
  std::vector<report::PdfSection> sections;
  for (const Part& p : Parts(s)) {
    report::Laid laid;
    laid.titles = p.titles;
    for (bool n : p.number) laid.types.push_back(n ? report::ColType::kMoney : report::ColType::kText);
    for (const auto& row : p.rows) laid.rows.push_back({report::RowKind::kData, {row.begin(), row.end()}});
    laid.data_rows = laid.rows.size();
    sections.push_back({p.heading, std::move(laid)});
  }
  report::Meta meta{"日结单 " + s.cashier + " " + s.day, "收款员 " + s.cashier + ", 日期 " + s.day + ", 状态 " + s.state,
                    printed, company, ""};
  return report::RenderPdfSections(meta, sections, {kSignatures});
}

}  // namespace heat::billctl
