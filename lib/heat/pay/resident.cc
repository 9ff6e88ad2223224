// The look-up, the bill and leaving (pay/app.h).
#include <string>

#include "heat/pay/app.h"
#include "heat/pay/csrf.h"
#include "heat/pay/html.h"
#include "heat/pay/pages.h"

namespace heat::pay {
namespace {

constexpr int kSessionCookieSeconds = 15 * 60;

std::string LookupForm(const std::string& csrf, const std::string& house, const std::string& error) {
  std::string inner =
      "<label for=\"house\">户号</label>"
      "<input type=\"text\" id=\"house\" name=\"house\" maxlength=\"32\" autocomplete=\"off\" required value=\"" +
      Esc(house) + "\">"
      "<label for=\"factor\">手机号后四位，或房号</label>"
      "<input type=\"text\" id=\"factor\" name=\"factor\" maxlength=\"32\" autocomplete=\"off\" required>"
      "<button type=\"submit\">查询</button>";
  return (error.empty() ? "" : "<p class=\"err\">" + Esc(error) + "</p>") +
         FormHtml("/lookup", csrf, "<div class=\"card\">" + inner + "</div>") +
         "<p class=\"note\">户号印在缴费收据和供热合同上。查询只显示本户账单，地址和姓名部分隐去。</p>";
}

}  // namespace

Result<Response> App::Home(const Request& req) {
  if (!Session(req).empty()) return Response::SeeOther("/bill");
  std::string binding = req.Cookie("hp_c");
  Response r;
  if (binding.size() != 32) {
    HEAT_ASSIGN(binding, RandomHex(16));
    r.Header("Set-Cookie", CookieHeader("hp_c", binding, 86400, req.https));
  }
  r.body = PageHtml(Company(), "供热费查询缴费", LookupForm(CsrfToken(key_, binding), "", ""));
  return r;
}

Result<Response> App::Lookup(const Request& req) {
  HEAT_ASSIGN(db::Conn * db, Db());
  auto rows = db->Query("SELECT bill.pay_login($1, $2, $3)",
                        {req.Field("house"), req.Field("factor"), req.remote_addr});
  std::string csrf = CsrfToken(key_, req.Cookie("hp_c"));
  if (!rows.ok() && rows.status().message().find("too many look-ups") != std::string::npos)
    return Html(429, "供热费查询缴费", LookupForm(csrf, req.Field("house"), "查询太频繁，请一分钟后再试。"))
        .Header("Retry-After", "60");
  if (!rows.ok()) return rows.status();
  if (rows->is_null(0, 0))
    return Html(200, "供热费查询缴费",
                LookupForm(csrf, req.Field("house"), "户号或验证信息不对，请核对后再试。"));
  Response r = Response::SeeOther("/bill");
  r.Header("Set-Cookie", CookieHeader("hp_s", rows->get(0, 0), kSessionCookieSeconds, req.https));
  return r;
}

Result<Response> App::Bill(const Request& req) {
  HEAT_ASSIGN(nlohmann::json bill, LoadBill(Session(req)));
  if (bill.is_null()) return Response::SeeOther("/");
  HEAT_ASSIGN(db::Conn * db, Db());
  HEAT_ASSIGN(nlohmann::json invoices, InvoicesOf(*db, Session(req)));
  return Html(200, "供热费账单", BillHtml(bill, invoices, Csrf(req), req.Field("msg")));
}

Result<Response> App::Logout(const Request& req) {
  Response r = Response::SeeOther("/");
  r.Header("Set-Cookie", CookieHeader("hp_s", "", 0, req.https));
  return r;
}

Result<Response> App::Style(const Request&) {
  Response r;
  r.content_type = "text/css; charset=utf-8";
  r.body = StyleSheet();
  r.Header("Cache-Control", "public, max-age=86400");
  return r;
}

}  // namespace heat::pay
