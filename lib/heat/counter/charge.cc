// counter/charge.cc — the charge screen (BIL-9, BIL-11, BIL-12, BIL-4):
// the amount proposed is what is owed (a subsidiary house that owes is
// charged first), the method one letter, cash given gives the change;
// Enter takes the payment and the receipt number comes by itself.
#include "heat/billing/charge_key.h"
#include "heat/billing/house_view.h"
#include "heat/billing/ops.h"
#include "heat/core/money.h"
#include "heat/counter/app.h"
#include "heat/forms/print.h"

namespace heat::counter {

using nlohmann::json;

namespace {

// What the house owes in `season`: its account opened when missing, as a
// charge would.
Result<Fen> OwedIn(db::Conn& db, const std::string& house, const std::string& season) {
  HEAT_ASSIGN(json v, billing::HouseView(db, house, season, ""));
  if (v["accounts"].empty()) return Fen{0};
  return v["accounts"][0]["balance_fen"].get<Fen>();
}

// The change to give for cash, or why there is none yet.
std::string ChangeLine(const Form& f, Fen due) {
  std::string line = "应缴 " + FormatYuan(due);
  if (f.Get("method").Value() != "cash" || f.Get("given").edit.text().empty()) return line;
  auto amount = ParseYuan(f.Get("amount").edit.text());
  auto given = ParseYuan(f.Get("given").edit.text());
  if (!amount.ok() || !given.ok()) return line;
  if (*given < *amount) return line + "   实收不足 " + FormatYuan(*amount - *given);
  return line + "   找零 " + FormatYuan(*given - *amount);
}

// A money field's value; its label prefixes a refusal ("金额: ...").
Result<Fen> MoneyOf(const Form& f, const std::string& name) {
  auto v = ParseYuan(f.Get(name).edit.text());
  if (!v.ok()) return v.status().With(f.Get(name).label);
  return *v;
}

}  // namespace

// Methods with the letter that picks each (pinyin of the Chinese word:
// xianjin, ka, weixin, zhifubao, zhuanzhang).
Field MethodField() {
  return ChoiceField("method", "方式",
                     {{"cash", "现金"}, {"card", "刷卡"}, {"wechat", "微信"}, {"alipay", "支付宝"}, {"transfer", "转账"}},
                     "xkwzt");
}

void App::StartCharge() {
  const json* a = Account();
  if (!a) return Say("没有账户, 不能收费", Style::kBad);
  const std::string season = (*a)["season"];
  std::string target = house_code_, note;
  Fen due = (*a)["balance_fen"].get<Fen>();
  // BIL-4: a subsidiary house that owes is charged before its main house.
  for (const auto& sub : house_["related"]["subsidiary_houses"]) {
    auto owed = OwedIn(db_, sub, season);
    if (!owed.ok()) return Say(owed.status().message(), Style::kBad);
    if (*owed > 0) {
      target = sub, due = *owed, note = " (附属房屋先缴)";
      break;
    }
  }
  Form form("收费 " + target + " " + season + note,
            {MoneyField("amount", "金额", due > 0 ? FormatYuan(due) : ""), MoneyField("given", "实收(现金)"),
             MethodField()});
  // One request key per form: Enter again after a lost connection is the
  // same charge, stored once (billing/charge_key.h).
  auto key = billing::NewRequestKey();
  if (!key.ok()) return Say(key.status().message(), Style::kBad);
  Dialog d{std::move(form), nullptr, "", [due](const Form& f) { return ChangeLine(f, due); }};
  d.submit = [this, target, season, key = *key](const Form& f) { return SubmitCharge(f, target, season, key); };
  dialog_ = std::move(d);
}

Status App::SubmitCharge(const Form& f, const std::string& house, const std::string& season,
                         const std::string& key) {
  HEAT_ASSIGN(Fen amount, MoneyOf(f, "amount"));
  if (amount <= 0) return Status::Usage("金额 must be above 0");
  const std::string method = f.Get("method").Value();
  Fen given = 0;
  if (method == "cash" && !f.Get("given").edit.text().empty()) {
    HEAT_ASSIGN(given, MoneyOf(f, "given"));
    if (given < amount) return Status::Usage("实收 " + FormatYuan(given) + " 少于金额 " + FormatYuan(amount));
  }
  what_ = "charge";
  billing::PaymentRequest req{house, season, amount, method, "counter", "", key};
  HEAT_ASSIGN(billing::Posted p, billing::ChargeSurely(db_, req, kChargeWait));
  Notice n{"收款成功 " + p.house, {}, Style::kGood};
  const Field& m = f.Get("method");
  n.lines.push_back("收据 " + p.receipt_no + "   金额 " + FormatYuan(p.amount) + "   " + m.choices[m.chosen].second);
  if (given > 0) n.lines.push_back("实收 " + FormatYuan(given) + "   找零 " + FormatYuan(given - amount));
  n.lines.push_back(p.balance > 0 ? "仍欠 " + FormatYuan(p.balance) : p.balance < 0 ? "余额 " + FormatYuan(-p.balance) : "已缴清");
  for (const auto& also : p.also) n.lines.push_back(also);
  n.lines.push_back(PrintReceipt(p.receipt_no));
  notice_ = std::move(n);
  Say("收据 " + p.receipt_no + " " + FormatYuan(p.amount) + " (" + p.house + ")", Style::kGood);
  if (Status s = ReloadHouse(); !s.ok()) Say(s.message(), Style::kBad);
  return Status::Ok();
}

// BIL-21: the receipt goes to this terminal's printer (counter.printer,
// counter.printers); the payment stands whatever the printer does.
Result<std::string> App::Printer() { return forms::PrinterFor(ctx_.config(), forms::TerminalName()); }

std::string App::PrintReceipt(const std::string& receipt_no, bool copy) {
  auto printer = Printer();
  if (!printer.ok()) return printer.status().message();
  if (printer->empty()) return "未配置打印机 (counter.printer): 收据未打印, 可用 p 补打";
  Status s = forms::PrintReceipt(db_, ctx_.config(), receipt_no, copy, *printer);
  if (!s.ok()) return s.message();
  return std::string(copy ? "副本" : "收据") + "已送打印机 " + *printer;
}

}  // namespace heat::counter
