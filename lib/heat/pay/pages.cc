#include "heat/pay/pages.h"

#include <qrencode.h>

#include <memory>

#include "heat/pay/html.h"

namespace heat::pay {
namespace {

std::string S(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

Fen F(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<Fen>() : 0;
}

std::string Row2(const std::string& k, const std::string& v) { return "<dt>" + Esc(k) + "</dt><dd>" + Esc(v) + "</dd>"; }

std::string HouseCard(const nlohmann::json& b) {
  return "<div class=\"card\"><dl>" + Row2("户号", S(b, "house")) + Row2("地址", S(b, "address")) +
         Row2("户主", S(b, "customer")) + Row2("类型", S(b, "house_type")) +
         Row2("收费面积", S(b, "charged_area_m2") + " m²") +
         Row2("供热状态", HeatingStatusLabel(S(b, "heating_status"))) + "</dl></div>";
}

std::string DueCard(const nlohmann::json& b, const std::string& csrf) {
  Fen due = F(b, "due_fen");
  if (due <= 0) return "<div class=\"card\"><p class=\"due paid\">已缴清</p><p class=\"note\">本户没有欠费。</p></div>";
  std::string out = "<div class=\"card\"><p>" + Esc(S(b, "pays_season")) + " 供暖季应缴</p><p class=\"due\">" +
                    Esc(Yuan(due)) + "</p>";
  if (!S(b, "closed_reason").empty())
    return out + "<p class=\"err\">网上缴费暂停，请到营业厅缴费。</p></div>";
  out += FormHtml("/pay", csrf, "<input type=\"hidden\" name=\"type\" value=\"H5\"><button type=\"submit\">微信支付 " +
                                    Esc(Yuan(due)) + "</button>");
  out += FormHtml("/pay", csrf,
                  "<input type=\"hidden\" name=\"type\" value=\"NATIVE\">"
                  "<button type=\"submit\" class=\"plain\">在电脑上：微信扫码支付</button>");
  return out + "<p class=\"note\">滞纳金已计入应缴金额。</p></div>";
}

std::string SeasonsTable(const nlohmann::json& b) {
  std::string rows;
  for (const auto& a : b.value("accounts", nlohmann::json::array()))
    rows += "<tr><td>" + Esc(S(a, "season")) + "</td><td>" + Esc(Yuan(F(a, "charges_fen"))) + "</td><td>" +
            Esc(Yuan(F(a, "paid_fen"))) + "</td><td>" + Esc(Yuan(F(a, "late_fee_fen"))) + "</td><td>" +
            Esc(Yuan(F(a, "due_fen"))) + "</td></tr>";
  if (rows.empty()) return "";
  return "<h2>各供暖季</h2><div class=\"card\"><table><tr><th>供暖季</th><th>应收</th><th>已缴</th><th>其中滞纳金</th>"
         "<th>欠费</th></tr>" + rows + "</table></div>";
}

// The invoice column of one receipt, from bill.pay_invoices' state:
// none (a form to ask for one), queued/sending/failed (being issued),
// issued (the link), cancelled, voided.
std::string InvoiceCell(const std::string& receipt, const std::string& status, const nlohmann::json& invoices,
                        const std::string& csrf) {
  std::string state = status == "issued" ? "none" : "voided", url, number;
  for (const auto& i : invoices)
    if (S(i, "receipt_no") == receipt) state = S(i, "state"), url = S(i, "pdf_url"), number = S(i, "invoice_no");
  bool web = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;  // never javascript: and the like
  if (state == "issued" && web)
    return "<a href=\"" + Esc(url) + "\" rel=\"noopener noreferrer\">发票 " + Esc(number) + "</a>";
  if (state == "issued") return "已开票";
  if (state == "cancelled") return "已取消";
  if (state == "voided") return "作废";
  if (state != "none") return "开票中";
  return "<details><summary>开发票</summary>" +
         FormHtml("/invoice", csrf,
                  "<input type=\"hidden\" name=\"receipt\" value=\"" + Esc(receipt) + "\">"
                  "<label>抬头（不填为个人）</label><input type=\"text\" name=\"buyer\" maxlength=\"100\">"
                  "<label>税号（单位填写）</label><input type=\"text\" name=\"tax_id\" maxlength=\"20\">"
                  "<button type=\"submit\">申请电子发票</button>") +
         "</details>";
}

std::string ReceiptsTable(const nlohmann::json& b, const nlohmann::json& invoices, const std::string& csrf) {
  std::string rows;
  for (const auto& r : b.value("receipts", nlohmann::json::array()))
    rows += "<tr><td>" + Esc(S(r, "date")) + "</td><td>" + Esc(S(r, "receipt_no")) + "</td><td>" +
            Esc(Yuan(F(r, "amount_fen"))) + "</td><td>" +
            InvoiceCell(S(r, "receipt_no"), S(r, "status"), invoices, csrf) + "</td></tr>";
  if (rows.empty()) return "";
  return "<h2>缴费记录</h2><div class=\"card\"><table><tr><th>日期</th><th>收据号</th><th>金额</th><th>发票</th></tr>" +
         rows + "</table></div>";
}

}  // namespace

std::string HeatingStatusLabel(const std::string& s) {
  if (s == "heating") return "正常供热";
  if (s == "suspended") return "停供";
  if (s == "disconnected") return "已断开";
  return s;
}

std::string OrderStateLabel(const std::string& s) {
  if (s == "paid") return "已支付";
  if (s == "closed") return "已关闭";
  return "等待支付";
}

std::string BillHtml(const nlohmann::json& bill, const nlohmann::json& invoices, const std::string& csrf,
                     const std::string& msg) {
  std::string notice;
  if (msg == "invoice") notice = "<p class=\"card paid\">发票申请已提交，开出后在缴费记录中显示。</p>";
  if (msg == "hall") notice = "<p class=\"card paid\">申请已提交，办理进度见“办理业务”。</p>";
  return notice + HouseCard(bill) + DueCard(bill, csrf) + SeasonsTable(bill) + ReceiptsTable(bill, invoices, csrf) +
         "<p><a href=\"/hall\">办理业务：停供、复供、报修、过户……</a></p>" +
         FormHtml("/logout", csrf, "<button type=\"submit\" class=\"plain\">退出</button>");
}

std::string OrderHtml(const nlohmann::json& o, const std::string& qr_svg) {
  std::string state = S(o, "state");
  std::string out = "<div class=\"card\"><dl>" + Row2("订单号", S(o, "out_trade_no")) +
                    Row2("金额", Yuan(F(o, "amount_fen"))) + Row2("状态", OrderStateLabel(state));
  if (state == "paid") out += Row2("收据号", S(o, "receipt_no"));
  out += "</dl>";
  if (state == "paid") return out + "<p class=\"due paid\">缴费成功</p></div><p><a href=\"/bill\">返回账单</a></p>";
  if (state == "closed") return out + "</div><p><a href=\"/bill\">返回账单</a></p>";
  if (!qr_svg.empty()) out += "<div class=\"qr\">" + qr_svg + "<p>请用微信扫一扫支付</p></div>";
  return out + "<p class=\"note\">支付后本页自动刷新。</p></div><p><a href=\"/bill\">返回账单</a></p>";
}

Result<nlohmann::json> InvoicesOf(db::Conn& db, const std::string& token) {
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT receipt_no, state, invoice_no, pdf_url FROM bill.pay_invoices($1)", {token}));
  nlohmann::json out = nlohmann::json::array();
  for (int i = 0; i < r.size(); ++i)
    out.push_back({{"receipt_no", r.get(i, 0)}, {"state", r.get(i, 1)}, {"invoice_no", r.get(i, 2)},
                   {"pdf_url", r.get(i, 3)}});
  return out;
}

std::string QrSvg(const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> q(
      QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!q) return "";
  int w = q->width, m = 4, size = w + 2 * m;
  std::string path;
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x)
      if (q->data[y * w + x] & 1) path += "M" + std::to_string(x + m) + " " + std::to_string(y + m) + "h1v1h-1z";
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
         std::to_string(size) + "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"支付二维码\">"
         "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"" + path + "\" fill=\"#000\"/></svg>";
}

}  // namespace heat::pay
