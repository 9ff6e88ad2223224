// counter/house_screen.cc — one house (BIL-5, BIL-4, BIL-11): customer,
// card, status marks in colour, related houses, the season's account with
// the fee explained, and its entries; the keys of every operation.
#include "heat/core/money.h"
#include "heat/core/text.h"
#include "heat/counter/app.h"

namespace heat::counter {

using nlohmann::json;

namespace {

std::string Str(const json& v) { return v.is_string() ? v.get<std::string>() : v.is_null() ? "-" : v.dump(); }

const char* KindLabel(const std::string& k) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"assessed", "应收"}, {"discount", "优惠"}, {"reduction", "减免"}, {"late_fee", "滞纳金"},
      {"payment", "缴费"}, {"refund", "退费"}, {"adjustment", "调整"}, {"reversal", "红冲"}};
  for (const auto& [kind, label] : kLabels)
    if (k == kind) return label;
  return "";
}

// Draws `text` at (row, *col) and moves *col past it and a gap.
void PutAt(Term& t, int row, int* col, const std::string& text, Style s) {
  t.Put(row, *col, text, s);
  *col += static_cast<int>(DisplayWidth(text)) + 2;
}

}  // namespace

// 80 columns exactly: the seasons' keys are shown on the account line
// when there is more than one.
constexpr const char* kHouseKeys = "c收费 r退费 v红冲 q申请 s报停 u复热 d退网 e复网 k卡 p补打 i发票 F9日结 F10退出";

void App::DrawHouse() {
  const json& h = house_;
  if (!h.is_object()) return DrawSearch();  // no house opened yet
  DrawSearchLine(1, query_active_);
  int col = 0;
  PutAt(t_, 2, &col, Str(h["house"]), Style::kBold);
  PutAt(t_, 2, &col, Str(h["address"]), Style::kBold);
  const std::string type = h.value("house_type_label", "");
  PutAt(t_, 2, &col, (type.empty() ? Str(h["house_type"]) : type) + " " + Str(h["charged_area_m2"]) + " m2",
        Style::kNormal);
  col = 0;
  PutAt(t_, 3, &col, "户主 " + Str(h["customer"]), Style::kNormal);
  PutAt(t_, 3, &col, "电话 " + Str(h["phone"]), Style::kNormal);
  PutAt(t_, 3, &col, "卡 " + Str(h["card_no"]), Style::kNormal);
  // BIL-5: the marks a cashier must not miss, in colour.
  const json& m = h["marks"];
  col = 0;
  const Fen arrears = m["arrears_fen"].get<Fen>();
  PutAt(t_, 4, &col, arrears > 0 ? "欠费 " + FormatYuan(arrears) : "无欠费", arrears > 0 ? Style::kBad : Style::kGood);
  if (!m["blacklist"].is_null()) PutAt(t_, 4, &col, "黑名单 " + Str(m["blacklist"]), Style::kBad);
  if (m["valve_pct"].is_null()) PutAt(t_, 4, &col, "阀门 -", Style::kDim);
  else PutAt(t_, 4, &col, "阀门 " + Str(m["valve_pct"]) + "%", m["valve_pct"].get<double>() < 5 ? Style::kWarn : Style::kGood);
  const std::string hs = m["heating_status"];
  PutAt(t_, 4, &col, hs == "heating" ? "供热" : hs == "suspended" ? "报停" : "退网",
        hs == "heating" ? Style::kGood : hs == "suspended" ? Style::kWarn : Style::kBad);
  // BIL-4: one household, several houses.
  const json& rel = h["related"];
  std::string related;
  if (!rel["main_house"].is_null()) related += "主房 " + Str(rel["main_house"]) + "  ";
  auto list = [](const json& a) { std::string s; for (const auto& c : a) s += (s.empty() ? "" : ",") + Str(c); return s; };
  if (!rel["subsidiary_houses"].empty()) related += "附属 " + list(rel["subsidiary_houses"]) + " (先缴)  ";
  if (!rel["household_houses"].empty()) related += "同户 " + list(rel["household_houses"]);
  t_.Put(5, 0, related.empty() ? "无关联房屋" : related, related.empty() ? Style::kDim : Style::kNormal);
  DrawAccount(6);
  DrawStatus(kHouseKeys);
}

void App::DrawAccount(int top) {
  const json* a = Account();
  if (!a) {
    t_.Put(top, 0, "本户在 " + season_ + " 没有账户", Style::kWarn);
    return;
  }
  const Fen owed = (*a)["balance_fen"].get<Fen>();
  std::string line = Str((*a)["season"]) + "  应收 " + FormatYuan((*a)["receivable_fen"]) + "  已缴 " +
                     FormatYuan((*a)["paid_fen"]) + (owed >= 0 ? "  欠费 " + FormatYuan(owed) : "  余额 " + FormatYuan(-owed));
  if ((*a)["pending_late_fee_fen"].get<Fen>() > 0) line += "  (含滞纳金 " + FormatYuan((*a)["pending_late_fee_fen"]) + ")";
  t_.Put(top, 0, line, owed > 0 ? Style::kBad : Style::kGood);
  const size_t n = house_["accounts"].size();
  if (n > 1) t_.Put(top, t_.cols() - 12, "季 " + std::to_string(acct_ + 1) + "/" + std::to_string(n) + " 左右键", Style::kDim);
  const json& ex = (*a)["explanation"];
  for (size_t i = 0; i < 2 && i < ex.size(); ++i) t_.Put(top + 1 + static_cast<int>(i), 2, Str(ex[i]), Style::kDim);
  const int head = top + 3;
  t_.Put(head, 0, " #  日期        类型    金额        收据              收费员    备注", Style::kDim);
  const json& es = (*a)["entries"];
  const int rows = t_.rows() - 3 - (head + 1), count = static_cast<int>(es.size());
  if (entry_top_ < 0 || entry_top_ > std::max(0, count - rows)) entry_top_ = std::max(0, count - rows);
  for (int i = 0; i < rows && entry_top_ + i < count; ++i) {
    const json& e = es[static_cast<size_t>(entry_top_ + i)];
    const int y = head + 1 + i;
    const bool voided = e.value("receipt_status", "") == "voided";
    const Style s = voided ? Style::kDim : Style::kNormal;
    t_.Put(y, 0, PadLeft(std::to_string(e["seq"].get<int64_t>()), 2), s, 3);
    t_.Put(y, 4, Str(e["date"]), s, 11);
    t_.Put(y, 16, KindLabel(e["kind"]), s, 7);
    t_.Put(y, 24, PadLeft(FormatYuan(e["amount_fen"]), 10), s, 11);
    t_.Put(y, 36, e.value("receipt_no", ""), s, 17);
    t_.Put(y, 54, Str(e["by"]), s, 9);
    t_.Put(y, 64, (voided ? "作废 " : "") + Str(e["note"]), voided ? Style::kWarn : s, t_.cols() - 64);
  }
}

void App::HouseKey(const Key& k) {
  if (query_active_) {
    if (k.Is(Key::kEnter)) return RunSearch();
    if (k.Is(Key::kEsc)) return query_.Set(""), void(query_active_ = false);
    query_.Handle(k);
    return;
  }
  // A card swipe, a code or a phone typed (digits, capitals): a new search
  // from this screen; '/' or F3 for one that starts with a small letter.
  const bool digit = k.kind == Key::kChar && ((k.ch >= '0' && k.ch <= '9') || (k.ch >= 'A' && k.ch <= 'Z'));
  if (digit || k.IsChar('/') || k.IsF(3)) {
    screen_ = Screen::kHouse;
    query_.Set("");
    query_active_ = true;
    if (digit) query_.Handle(k);
    return;
  }
  const size_t n = house_.contains("accounts") ? house_["accounts"].size() : 0;
  switch (k.kind) {
    case Key::kEsc: screen_ = Screen::kSearch, query_active_ = true; return;
    case Key::kLeft: if (acct_ > 0) --acct_, entry_top_ = -1; return;
    case Key::kRight: if (acct_ + 1 < n) ++acct_, entry_top_ = -1; return;
    case Key::kUp: entry_top_ = std::max(0, entry_top_ - 1); return;
    case Key::kDown: ++entry_top_; return;
    case Key::kPageUp: entry_top_ = std::max(0, entry_top_ - (t_.rows() - 14)); return;
    case Key::kPageDown: entry_top_ += t_.rows() - 14; return;
    default: break;
  }
  if (k.IsChar('c') || k.IsF(2)) return StartCharge();
  if (k.kind == Key::kChar && StartAction(k.ch)) return;
  Say("这个键没有用处; 见下面一行的按键", Style::kWarn);
}

}  // namespace heat::counter
