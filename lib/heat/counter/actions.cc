// counter/actions.cc — every operation of the house screen but charging
// (BIL-9, BIL-13, BIL-10, BIL-8, BIL-12, BIL-21), one row each: its key, its form
// and the billctl command it runs. billctl decides: the rules, the
// approvals a request needs and the refusals are its own, word for word.
#include "heat/core/money.h"
#include "heat/counter/app.h"
#include "heat/forms/print.h"
#include "heat/forms/receipt.h"

namespace heat::counter {

using nlohmann::json;

namespace {

using Args = std::vector<std::string>;

struct Action {
  char32_t key;
  const char* title;
  std::function<std::vector<Field>(const App&)> fields;
  std::function<Args(const App&, const Form&)> args;  // the billctl command it runs
};

std::string V(const Form& f, const char* name) { return f.Get(name).Value(); }

bool AllDigits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

std::string Season(const App& a) { return a.Account() ? (*a.Account())["season"].get<std::string>() : a.season_; }

Fen Credit(const App& a) {
  return a.Account() ? std::max<Fen>(0, -(*a.Account())["balance_fen"].get<Fen>()) : 0;
}

std::vector<Field> StatusFields(const App& a) { return {DateField("date", "生效日期", a.today_)}; }

Action StatusAction(char32_t key, const char* title, const char* command) {
  return {key, title, StatusFields, [command](const App& a, const Form& f) {
            return Args{command, a.house_code_, "--date", V(f, "date"), "--season", Season(a)};
          }};
}

const std::vector<Action>& Actions() {
  static const std::vector<Action> kActions = {
      {'r', "退费",
       [](const App& a) {
         return std::vector<Field>{
             MoneyField("amount", "金额", Credit(a) > 0 ? FormatYuan(Credit(a)) : ""),
             MethodField(),
             TextField("reason", "原因")};
       },
       [](const App& a, const Form& f) {
         return Args{"refund", a.house_code_, "--amount", V(f, "amount"), "--method", V(f, "method"),
                     "--reason", V(f, "reason"), "--season", Season(a)};
       }},
      {'v', "红冲 (收据号或明细序号)",
       [](const App& a) {
         return std::vector<Field>{TextField("what", "收据/序号", a.LastReceipt(true)), TextField("reason", "原因")};
       },
       [](const App& a, const Form& f) {
         if (AllDigits(V(f, "what")))
           return Args{"reverse", "--house", a.house_code_, "--entry", V(f, "what"), "--season", Season(a),
                       "--reason", V(f, "reason")};
         return Args{"reverse", V(f, "what"), "--reason", V(f, "reason")};
       }},
      {'q', "申请 (减免、滞纳金减免、面积变更)",
       [](const App&) {
         return std::vector<Field>{
             ChoiceField("kind", "申请", {{"reduction", "减免"}, {"late-fee", "滞纳金减免"}, {"area", "面积变更"}}),
             TextField("value", "金额/面积"), TextField("reason", "原因")};
       },
       [](const App& a, const Form& f) {
         const std::string kind = V(f, "kind");
         return Args{"request", kind, a.house_code_, kind == "area" ? "--area" : "--amount", V(f, "value"),
                     "--reason", V(f, "reason"), "--season", Season(a)};
       }},
      StatusAction('s', "报停", "suspend"),
      StatusAction('u', "复热", "resume"),
      StatusAction('d', "退网", "disconnect"),
      StatusAction('e', "复网", "reconnect"),
      {'k', "卡 (发卡、补卡、注销)",
       [](const App& a) {
         const json& card = a.house_["card_no"];
         return std::vector<Field>{
             ChoiceField("op", "操作", {{"issue", "发卡"}, {"reissue", "补卡"}, {"cancel", "注销"}}),
             TextField("card", "卡号", card.is_string() ? card.get<std::string>() : "")};
       },
       [](const App& a, const Form& f) {
         if (V(f, "op") == "cancel") return Args{"card", "cancel", V(f, "card")};
         return Args{"card", V(f, "op"), a.house_code_, V(f, "card")};
       }},
      {'p', "补打收据",
       [](const App& a) { return std::vector<Field>{TextField("receipt", "收据号", a.LastReceipt(false))}; },
       nullptr},  // a counted copy on this terminal's printer (App::PrintReceipt)
      {'i', "电子发票 (收据号; 单位开票填名称和税号)",
       [](const App& a) {
         return std::vector<Field>{TextField("receipt", "收据号", a.LastReceipt(false)),
                                   TextField("buyer", "抬头(空=户主)"), TextField("tax_id", "税号")};
       },
       [](const App&, const Form& f) {
         Args args{"invoice", "request", V(f, "receipt")};
         if (!V(f, "buyer").empty()) args.insert(args.end(), {"--buyer", V(f, "buyer")});
         if (!V(f, "tax_id").empty()) args.insert(args.end(), {"--tax-id", V(f, "tax_id")});
         return args;
       }},
  };
  return kActions;
}

// A request's route and outcome in the words of the hall (BIL-13).
std::string RequestLine(const json& out) {
  const std::string route = out.value("route", ""), outcome = out.value("outcome", "");
  std::string line = "申请 " + out["request"].dump() + ": ";
  if (outcome == "applied") return line + "已生效 (applied, 无需审批)";
  if (route == "supervisor") return line + "待审批 (pending): 需要主管 bill_supervisor 批准";
  if (route == "joint") return line + "待审批 (pending): 需要 bill_deputy 和 bill_production 共同批准";
  return line + outcome;
}

// billctl's JSON answer as lines of "key value" for the notice; a request
// first says who must approve it.
std::vector<std::string> Lines(const json& out) {
  std::vector<std::string> lines;
  if (!out.is_object()) return {out.is_discarded() ? "" : out.dump()};
  if (out.contains("request") && out.contains("route")) lines.push_back(RequestLine(out));
  std::string line;
  for (const auto& [k, v] : out.items()) {
    std::string item = k + " " + (v.is_string() ? v.get<std::string>() : v.dump());
    if (k.size() > 4 && k.compare(k.size() - 4, 4, "_fen") == 0 && v.is_number_integer())
      item = k.substr(0, k.size() - 4) + " " + FormatYuan(v.get<Fen>());
    if (!line.empty() && line.size() + item.size() > 60) lines.push_back(line), line.clear();
    line += (line.empty() ? "" : "   ") + item;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

Status FromExit(int exit, const std::string& message) {
  switch (exit) {
    case 2: return Status::Usage(message);
    case 3: return Status::NotFound(message);
    case 4: return Status::Permission(message);
    case 5: return Status::Conflict(message);
    default: return Status::Failure(message);
  }
}

}  // namespace

// 日结 (BIL-19): the cashier hands in the day (billctl day close) with the
// cash counted; the sheet's figures come back in the notice.
void App::StartDayClose() {
  Dialog d{Form("日结 " + login_ + " " + today_, {MoneyField("counted", "点钞现金")}), nullptr, "", nullptr};
  d.submit = [this](const Form& f) -> Status {
    what_ = "action:日结";
    Args args{"day", "close"};
    if (!f.Get("counted").Value().empty()) args.insert(args.end(), {"--cash-counted", f.Get("counted").Value()});
    BillctlResult r = Billctl(args);
    if (r.exit != 0) return FromExit(r.exit, r.error);
    // Any figure may be null (no receipts yet): read each defensively.
    const json none;
    const json& t = r.out.is_object() && r.out.contains("totals") ? r.out["totals"] : none;
    auto at = [&none](const json& j, const char* k) -> const json& {
      return j.is_object() && j.contains(k) ? j[k] : none;
    };
    auto yuan = [](const json& v) { return v.is_number_integer() ? FormatYuan(v.get<Fen>()) : std::string("-"); };
    auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.is_null() ? "-" : v.dump(); };
    notice_ = Notice{"日结已提交 " + today_ + " (" + text(at(r.out, "state")) + ", 待主管审核)",
                     {"收款 " + yuan(at(t, "takings_fen")) + "   笔数 " + text(at(t, "payments")) + "   退费 " +
                          text(at(t, "refunds")) + "   红冲 " + text(at(t, "reversals")),
                      "现金 " + yuan(at(t, "cash_fen")) + "   点钞 " + yuan(at(r.out, "cash_counted_fen")) + "   差额 " +
                          yuan(at(r.out, "cash_diff_fen")),
                      "收据 " + text(at(t, "receipt_first")) + " .. " + text(at(t, "receipt_last"))},
                     Style::kGood};
    Say("日结已提交, 请主管关账 (billctl day close --cashier " + login_ + ")", Style::kGood);
    return Status::Ok();
  };
  dialog_ = std::move(d);
}

// BIL-12: a copy is counted only when it is printed; with no printer
// nothing is counted and the form says why.
Status App::Reprint(const std::string& receipt_no) {
  auto printer = Printer();
  if (!printer.ok()) return printer.status();
  if (printer->empty()) return Status::Usage("这台终端没有打印机 (counter.printer): 副本未打印, 未计数");
  HEAT_TRY(forms::PrintReceipt(db_, ctx_.config(), receipt_no, true, *printer));
  HEAT_ASSIGN(forms::Receipt r, forms::LoadReceipt(db_, receipt_no));
  notice_ = Notice{"补打完成 " + receipt_no,
                   {"副本 " + std::to_string(r.prints) + " 已送打印机 " + *printer, r.house + " " + FormatYuan(r.amount) +
                    (r.status == "voided" ? " 作废" : "")},
                   Style::kGood};
  Say("副本 " + std::to_string(r.prints) + " " + receipt_no, Style::kGood);
  return Status::Ok();
}

bool App::StartAction(char32_t key) {
  for (const Action& act : Actions()) {
    if (act.key != key) continue;
    Dialog d{Form(std::string(act.title) + " " + house_code_, act.fields(*this)), nullptr, "", nullptr};
    d.submit = [this, &act](const Form& f) -> Status {
      what_ = std::string("action:") + act.title;
      if (!act.args) return Reprint(f.Get("receipt").Value());
      BillctlResult r = Billctl(act.args(*this, f));
      if (r.exit != 0) return FromExit(r.exit, r.error);
      std::vector<std::string> lines = Lines(r.out);
      notice_ = Notice{std::string(act.title) + " 完成", lines, Style::kGood};
      Say(std::string(act.title) + " 完成", Style::kGood);
      if (Status s = ReloadHouse(); !s.ok()) Say(s.message(), Style::kBad);
      return Status::Ok();
    };
    dialog_ = std::move(d);
    return true;
  }
  return false;
}

}  // namespace heat::counter
