// Paying online (BIL-23, BIL-27): an order, its page, and WeChat Pay's
// notification (pay/app.h).
#include <ctime>
#include <iostream>

#include "heat/core/escape.h"
#include "heat/pay/app.h"
#include "heat/pay/html.h"
#include "heat/pay/pages.h"
#include "heat/wechat/client.h"
#include "heat/wechat/notify.h"
#include "heat/wechat/reconcile.h"

namespace heat::pay {
namespace {

constexpr int64_t kOrderLifeS = 2 * 3600 - 60;  // bill.online_order.expires_at is 2 hours

std::string UrlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += std::string("%") + hex[c >> 4] + hex[c & 15];
  }
  return out;
}

const nlohmann::json* FindOrder(const nlohmann::json& bill, const std::string& no) {
  auto orders = bill.find("orders");
  if (orders == bill.end() || !orders->is_array()) return nullptr;
  for (const auto& o : *orders)
    if (o.value("out_trade_no", "") == no) return &o;
  return nullptr;
}

Response JsonReply(const wechat::Reply& r) {
  Response out;
  out.status = r.status;
  out.content_type = r.body.empty() ? "" : "application/json";
  out.body = r.body;
  return out;
}

}  // namespace

Result<Response> App::Pay(const Request& req) {
  const std::string& type = req.Field("type");
  if (type != "NATIVE" && type != "H5") return Status::Usage("unknown way of paying");
  HEAT_ASSIGN(db::Conn * db, Db());
  HEAT_ASSIGN(db::Rows o, db->Query("SELECT out_trade_no, amount_fen, description, reused, code_url, h5_url"
                                    " FROM bill.pay_order_new($1, $2, $3)",
                                    {Session(req), type, req.remote_addr}));
  std::string no = o.get(0, 0), code_url = o.get(0, 4), h5_url = o.get(0, 5);
  if (code_url.empty() && h5_url.empty()) {
    HEAT_ASSIGN(wechat::Merchant m, wechat::LoadMerchant(cfg_));
    wechat::Client client(m);
    wechat::OrderRequest r{no, o.get(0, 2), std::stoll(o.get(0, 1)), std::time(nullptr) + kOrderLifeS, "",
                           req.remote_addr};
    auto made = type == "NATIVE" ? client.CreateNative(r) : client.CreateH5(r);
    if (!made.ok()) {
      std::cerr << "heatpay.cgi: order " << no << ": " << EscapeControl(made.status().message()) << "\n";
      return Status::Conflict("微信支付暂时不可用，请稍后再试或到营业厅缴费。");
    }
    (type == "NATIVE" ? code_url : h5_url) = *made;
    HEAT_TRY(db->Exec("SELECT bill.pay_order_opened($1, $2, NULL, $3)",
                      {no, code_url.empty() ? db::Param() : code_url, h5_url.empty() ? db::Param() : h5_url}));
  }
  if (type == "NATIVE") return Response::SeeOther("/order?no=" + UrlEncode(no));
  std::string back = cfg_.str("pay.public_url") + "/order?no=" + UrlEncode(no);
  return Response::SeeOther(h5_url + (h5_url.find('?') == std::string::npos ? "?" : "&") +
                            "redirect_url=" + UrlEncode(back));
}

// Asks WeChat about an order still open, so that a resident back from
// paying sees it paid even when the notification is late or lost.
Status App::Poll(const std::string& no) {
  HEAT_ASSIGN(wechat::Merchant m, wechat::LoadMerchant(cfg_));
  wechat::Client client(m);
  HEAT_ASSIGN(wechat::Transaction t, client.QueryByOutTradeNo(no));
  if (!t.Paid()) return Status::Ok();
  HEAT_ASSIGN(db::Conn * db, Db());
  return wechat::PostToLedger(*db, "query", t.out_trade_no, t.transaction_id, t.trade_state, t.total,
                              t.success_time).status();
}

Result<Response> App::Order(const Request& req) {
  const std::string& no = req.Field("no");
  HEAT_ASSIGN(nlohmann::json bill, LoadBill(Session(req)));
  if (bill.is_null()) return Response::SeeOther("/");
  const nlohmann::json* o = FindOrder(bill, no);
  if (!o) return Status::NotFound("no order " + no + " of this house");
  if (o->value("state", "") == "open") {
    Status polled = Poll(no);
    if (!polled.ok()) std::cerr << "heatpay.cgi: query " << no << ": " << EscapeControl(polled.message()) << "\n";
    HEAT_ASSIGN(bill, LoadBill(Session(req)));
    o = FindOrder(bill, no);
    if (!o) return Status::NotFound("no order " + no + " of this house");
  }
  std::string state = o->value("state", "");
  std::string qr = state == "open" && o->contains("code_url") && (*o)["code_url"].is_string()
                       ? QrSvg((*o)["code_url"].get<std::string>()) : "";
  Response r = Html(200, state == "paid" ? "缴费成功" : "微信支付", OrderHtml(*o, qr));
  if (state != "paid" && state != "closed") r.body = WithRefresh(r.body, 5);
  return r;
}

Result<Response> App::Notify(const Request& req) {
  wechat::Headers h;
  for (const auto& [k, v] : req.headers) h[k] = v;
  auto m = wechat::LoadMerchant(cfg_);
  if (!m.ok()) return JsonReply(wechat::ReplyFor(m.status()));
  auto t = wechat::ParseNotify(*m, h, req.body, std::time(nullptr));
  if (!t.ok()) {
    std::cerr << "heatpay.cgi: notify refused: " << EscapeControl(t.status().message()) << "\n";
    return JsonReply(wechat::ReplyFor(t.status()));
  }
  HEAT_ASSIGN(db::Conn * db, Db());
  auto out = wechat::PostToLedger(*db, "notify", t->out_trade_no, t->transaction_id, t->trade_state, t->total,
                                  t->success_time);
  if (!out.ok()) {
    std::cerr << "heatpay.cgi: notify " << t->out_trade_no << ": " << EscapeControl(out.status().message()) << "\n";
    return JsonReply(wechat::FailReply(500, "not recorded; send it again"));
  }
  if (*out == "refused") return JsonReply(wechat::FailReply(400, "refused (see the payment log)"));
  return JsonReply(wechat::AckReply());
}

}  // namespace heat::pay
