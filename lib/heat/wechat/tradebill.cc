#include "heat/wechat/tradebill.h"

#include <map>
#include <optional>

#include "heat/wechat/rfc3339.h"

namespace heat::wechat {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kSummaryHead = "总交易单数";

Status At(int line, const std::string& what) {
  return Status::Usage("trade bill line " + std::to_string(line) + ": " + what);
}

std::vector<std::string> SplitOn(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  size_t from = 0;
  for (size_t at; (at = s.find(sep, from)) != std::string_view::npos; from = at + sep.size())
    out.emplace_back(s.substr(from, at - from));
  out.emplace_back(s.substr(from));
  return out;
}

// A data line: "`a,`b,`c" -> {a, b, c}. Splitting on ",`" keeps a comma
// inside a field (a product name) where it belongs.
Result<std::vector<std::string>> Fields(std::string_view line, int no) {
  if (line.empty() || line[0] != '`') return At(no, "a field does not start with a backquote (`)");
  return SplitOn(line.substr(1), ",`");
}

class Columns {
 public:
  Columns(std::vector<std::string> names, int line) : names_(std::move(names)), line_(line) {
    for (size_t i = 0; i < names_.size(); ++i) at_[names_[i]] = i;
  }
  size_t size() const { return names_.size(); }
  Result<size_t> Index(const std::string& name) const {
    auto it = at_.find(name);
    if (it == at_.end()) return At(line_, "no column " + name);
    return it->second;
  }

 private:
  std::vector<std::string> names_;
  std::map<std::string, size_t> at_;
  int line_;
};

struct RowIndex {
  size_t time, appid, mchid, txid, out_no, type, state, settle, amount;
  std::optional<size_t> refund, out_refund;
};

Result<RowIndex> IndexOf(const Columns& c) {
  RowIndex r{};
  HEAT_ASSIGN(r.time, c.Index("交易时间"));
  HEAT_ASSIGN(r.appid, c.Index("公众账号ID"));
  HEAT_ASSIGN(r.mchid, c.Index("商户号"));
  HEAT_ASSIGN(r.txid, c.Index("微信订单号"));
  HEAT_ASSIGN(r.out_no, c.Index("商户订单号"));
  HEAT_ASSIGN(r.type, c.Index("交易类型"));
  HEAT_ASSIGN(r.state, c.Index("交易状态"));
  HEAT_ASSIGN(r.settle, c.Index("应结订单金额"));
  HEAT_ASSIGN(r.amount, c.Index("订单金额"));
  if (auto i = c.Index("退款金额"); i.ok()) r.refund = *i;
  if (auto i = c.Index("商户退款单号"); i.ok()) r.out_refund = *i;
  return r;
}

Result<Fen> Amount(const std::vector<std::string>& f, size_t i, const char* column, int line) {
  auto v = BillYuan(f[i]);
  if (!v.ok()) return At(line, std::string(column) + " '" + f[i].substr(0, 24) + "': " + v.status().message());
  return *v;
}

bool Token(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) <= ' ' || c == ',' || c == '`' || static_cast<unsigned char>(c) >= 0x7f)
      return false;
  return true;
}

Result<BillRow> ParseRow(const Columns& c, const RowIndex& x, std::string_view line, int no) {
  HEAT_ASSIGN(std::vector<std::string> f, Fields(line, no));
  if (f.size() != c.size())
    return At(no, std::to_string(f.size()) + " fields, the header has " + std::to_string(c.size()));
  BillRow r;
  r.line = no;
  r.trade_time = f[x.time];
  auto t = ParseBeijingLocal(r.trade_time);
  if (!t.ok()) return At(no, "交易时间: " + t.status().message());
  r.trade_epoch = *t;
  r.appid = f[x.appid], r.mchid = f[x.mchid], r.transaction_id = f[x.txid], r.out_trade_no = f[x.out_no];
  r.trade_type = f[x.type], r.trade_state = f[x.state];
  if (!Token(r.transaction_id, 32)) return At(no, "微信订单号 is not 1-32 printable ASCII characters");
  if (!Token(r.out_trade_no, 32)) return At(no, "商户订单号 is not 1-32 printable ASCII characters");
  if (r.trade_state != "SUCCESS" && r.trade_state != "REFUND" && r.trade_state != "REVOKED")
    return At(no, "交易状态 is not SUCCESS, REFUND or REVOKED");
  HEAT_ASSIGN(r.amount_fen, Amount(f, x.amount, "订单金额", no));
  HEAT_ASSIGN(r.settlement_fen, Amount(f, x.settle, "应结订单金额", no));
  if (x.refund) {
    HEAT_ASSIGN(r.refund_fen, Amount(f, *x.refund, "退款金额", no));
  }
  if (x.out_refund) r.out_refund_no = f[*x.out_refund];
  return r;
}

Result<BillSummary> ParseSummary(std::string_view head, std::string_view values, int no) {
  Columns c(SplitOn(head, ","), no);
  HEAT_ASSIGN(std::vector<std::string> f, Fields(values, no + 1));
  if (f.size() != c.size()) return At(no + 1, "the summary has " + std::to_string(f.size()) + " values for " +
                                                  std::to_string(c.size()) + " columns");
  BillSummary s;
  HEAT_ASSIGN(size_t count, c.Index("总交易单数"));
  const std::string& n = f[count];
  if (n.empty() || n.size() > 9 || n.find_first_not_of("0123456789") != std::string::npos)
    return At(no + 1, "总交易单数 is not a count");
  s.count = std::stoll(n);
  HEAT_ASSIGN(size_t settle, c.Index("应结订单总金额"));
  HEAT_ASSIGN(s.settlement_total, Amount(f, settle, "应结订单总金额", no + 1));
  HEAT_ASSIGN(size_t refund, c.Index("退款总金额"));
  HEAT_ASSIGN(s.refund_total, Amount(f, refund, "退款总金额", no + 1));
  HEAT_ASSIGN(size_t order, c.Index("订单总金额"));
  HEAT_ASSIGN(s.order_total, Amount(f, order, "订单总金额", no + 1));
  return s;
}

Status CheckTotals(const TradeBill& b, int line) {
  Fen order = 0, settle = 0;
  for (const auto& r : b.rows) order += r.amount_fen, settle += r.settlement_fen;
  if (b.summary.count != static_cast<int64_t>(b.rows.size()))
    return At(line, "总交易单数 " + std::to_string(b.summary.count) + " but " + std::to_string(b.rows.size()) +
                        " trade lines");
  if (b.summary.order_total != order) return At(line, "订单总金额 differs from the sum of 订单金额");
  if (b.summary.settlement_total != settle) return At(line, "应结订单总金额 differs from the sum of 应结订单金额");
  return Status::Ok();
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t from = 0;
  while (from < text.size()) {
    size_t end = text.find('\n', from);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(from, end - from);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    lines.push_back(l);
    from = end + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

}  // namespace

Result<Fen> BillYuan(std::string_view s) {
  if (s.size() > 20) return Status::Usage("too long for an amount");
  return ParseYuan(s);
}

Result<TradeBill> ParseTradeBill(std::string_view text) {
  if (text.size() > kMaxTradeBillBytes) return At(1, "the trade bill is larger than 64 MB");
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  std::vector<std::string_view> lines = Lines(text);
  if (lines.empty()) return At(1, "empty; expected the header 交易时间,公众账号ID,…");
  Columns cols(SplitOn(lines[0], ","), 1);
  if (cols.size() > 64) return At(1, "more than 64 columns");
  HEAT_ASSIGN(RowIndex x, IndexOf(cols));
  TradeBill bill;
  size_t i = 1;
  for (; i < lines.size() && lines[i].substr(0, kSummaryHead.size()) != kSummaryHead; ++i) {
    HEAT_ASSIGN(BillRow r, ParseRow(cols, x, lines[i], static_cast<int>(i + 1)));
    bill.rows.push_back(std::move(r));
  }
  int no = static_cast<int>(i + 1);
  if (i >= lines.size()) return At(no, "no summary (总交易单数,…): the bill is cut short");
  if (i + 1 >= lines.size()) return At(no + 1, "no summary values after 总交易单数,…: the bill is cut short");
  if (i + 2 < lines.size()) return At(no + 2, "a line after the summary values, where the bill ends");
  HEAT_ASSIGN(bill.summary, ParseSummary(lines[i], lines[i + 1], no));
  HEAT_TRY(CheckTotals(bill, no + 1));
  return bill;
}

}  // namespace heat::wechat
