// The service hall online (BIL-14) and e-invoices (BIL-21) from the page
// (pay/app.h): requests filed and followed, an invoice asked for, the
// company's notices and guides.
#include <string>
#include <utility>
#include <vector>

#include "heat/pay/app.h"
#include "heat/pay/html.h"

namespace heat::pay {
namespace {

// Request kinds as residents read them (bill.hall_request.kind).
const std::vector<std::pair<const char*, const char*>>& Kinds() {
  static const std::vector<std::pair<const char*, const char*>> kinds = {
      {"repair", "报修"},           {"suspension", "申请停供"}, {"resumption", "申请复供"},
      {"installation", "新装开户"}, {"name_change", "过户更名"}, {"unbinding", "解除绑定"},
      {"feedback", "意见建议"},
  };
  return kinds;
}

std::string KindLabel(const std::string& k) {
  for (const auto& [code, label] : Kinds())
    if (k == code) return label;
  return k;
}

std::string StateLabel(const std::string& s) {
  if (s == "new") return "已提交";
  if (s == "taken") return "办理中";
  if (s == "done") return "已办结";
  if (s == "rejected") return "未受理";
  return s;
}

std::string InfoKindLabel(const std::string& k) {
  static const std::vector<std::pair<const char*, const char*>> labels = {
      {"notice", "公告"}, {"guide", "缴费指南"}, {"company", "公司简介"}, {"location", "营业厅与代收网点"},
      {"faq", "常见问题"}, {"law", "政策法规"}, {"tariff", "收费标准"}};
  for (const auto& [code, label] : labels)
    if (k == code) return label;
  return k;
}

std::string HallForm(const std::string& csrf) {
  std::string options;
  for (const auto& [code, label] : Kinds())
    options += "<option value=\"" + std::string(code) + "\">" + label + "</option>";
  return FormHtml("/hall", csrf,
                  "<div class=\"card\"><label for=\"kind\">办理事项</label><select id=\"kind\" name=\"kind\">" +
                      options +
                      "</select><label for=\"detail\">说明（报修请写明情况）</label>"
                      "<textarea id=\"detail\" name=\"detail\" maxlength=\"500\"></textarea>"
                      "<label for=\"phone\">联系电话</label>"
                      "<input type=\"tel\" id=\"phone\" name=\"phone\" maxlength=\"20\" required>"
                      "<button type=\"submit\">提交申请</button></div>");
}

}  // namespace

Result<Response> App::Invoice(const Request& req) {
  HEAT_ASSIGN(db::Conn * db, Db());
  HEAT_TRY(db->Exec("SELECT bill.pay_invoice_request($1, $2, $3, $4)",
                    {Session(req), req.Field("receipt"), req.Field("buyer"), req.Field("tax_id")}));
  return Response::SeeOther("/bill?msg=invoice");
}

Result<Response> App::Hall(const Request& req) {
  HEAT_ASSIGN(db::Conn * db, Db());
  HEAT_ASSIGN(db::Rows r, db->Query("SELECT id, kind, state, to_char(filed_at, 'YYYY-MM-DD HH24:MI'), answer, detail"
                                    " FROM bill.hall_requests_of($1)", {Session(req)}));
  std::string rows;
  for (int i = 0; i < r.size(); ++i)
    rows += "<tr><td>" + Esc(r.get(i, 3)) + "</td><td>" + Esc(KindLabel(r.get(i, 1))) + "<br>" + Esc(r.get(i, 5)) +
            "</td><td>" + Esc(StateLabel(r.get(i, 2))) + "</td><td>" + Esc(r.get(i, 4)) + "</td></tr>";
  std::string list = rows.empty() ? "" : "<h2>我的申请</h2><div class=\"card\"><table><tr><th>时间</th><th>事项</th>"
                                         "<th>进度</th><th>答复</th></tr>" + rows + "</table></div>";
  return Html(200, "办理业务", (req.Field("msg") == "filed" ? "<p class=\"card paid\">申请已提交。</p>" : "") +
                                   list + "<h2>新的申请</h2>" + HallForm(Csrf(req)) +
                                   "<p><a href=\"/bill\">返回账单</a></p>");
}

Result<Response> App::HallFile(const Request& req) {
  HEAT_ASSIGN(db::Conn * db, Db());
  HEAT_TRY(db->Exec("SELECT bill.hall_file($1, $2, $3, $4, $5)",
                    {Session(req), req.Field("kind"), req.Field("detail"), req.Field("phone"), req.remote_addr}));
  return Response::SeeOther("/hall?msg=filed");
}

Result<Response> App::Info(const Request&) {
  HEAT_ASSIGN(db::Conn * db, Db());
  HEAT_ASSIGN(db::Rows r, db->Query("SELECT kind, title, body FROM bill.hall_info()"));
  std::string body, kind;
  for (int i = 0; i < r.size(); ++i) {
    if (r.get(i, 0) != kind) body += "<h2>" + Esc(InfoKindLabel(kind = r.get(i, 0))) + "</h2>";
    body += "<div class=\"card\"><strong>" + Esc(r.get(i, 1)) + "</strong><p>" + Esc(r.get(i, 2)) + "</p></div>";
  }
  if (body.empty()) body = "<p class=\"note\">暂无公告。</p>";
  return Html(200, "服务指南", body + "<p><a href=\"/\">返回</a></p>");
}

}  // namespace heat::pay
