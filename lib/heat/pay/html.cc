#include "heat/pay/html.h"

#include "heat/core/escape.h"

namespace heat::pay {

std::string Esc(std::string_view s) { return EscapeMarkup(s); }

std::string Yuan(Fen fen) { return "¥" + FormatYuan(fen); }

std::string PageHtml(const std::string& company, const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" + Esc(title) + " · " + Esc(company) + "</title>"
         "<link rel=\"stylesheet\" href=\"/style.css\"></head><body>"
         "<header><a href=\"/\">" + Esc(company.empty() ? "供热缴费" : company) + "</a></header>"
         "<main><h1>" + Esc(title) + "</h1>" + body + "</main>"
         "<footer><a href=\"/info\">服务指南 · 公告</a></footer></body></html>\n";
}

std::string WithRefresh(const std::string& page, int seconds) {
  std::string tag = "<meta http-equiv=\"refresh\" content=\"" + std::to_string(seconds) + "\">";
  size_t at = page.find("</head>");
  return at == std::string::npos ? page : page.substr(0, at) + tag + page.substr(at);
}

std::string FormHtml(const std::string& action, const std::string& csrf, const std::string& inner,
                     const std::string& css_class) {
  return "<form method=\"post\" action=\"" + Esc(action) + "\"" +
         (css_class.empty() ? "" : " class=\"" + Esc(css_class) + "\"") + ">"
         "<input type=\"hidden\" name=\"csrf\" value=\"" + Esc(csrf) + "\">" + inner + "</form>";
}

const std::string& StyleSheet() {
  static const std::string css = R"(*{box-sizing:border-box}
body{margin:0;font:16px/1.5 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#f4f5f7}
header{background:#c0392b;color:#fff;padding:12px 16px;font-weight:bold}
header a{color:#fff;text-decoration:none}
main{max-width:480px;margin:0 auto;padding:12px 16px}
h1{font-size:20px;margin:8px 0 12px}
h2{font-size:17px;margin:18px 0 8px}
.card{background:#fff;border-radius:8px;padding:12px 14px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
label{display:block;margin:10px 0 4px;font-size:14px;color:#555}
input[type=text],input[type=tel],select,textarea{width:100%;font-size:17px;padding:10px;border:1px solid #bbb;border-radius:6px}
textarea{min-height:90px}
button{width:100%;font-size:17px;padding:12px;margin:14px 0 4px;border:0;border-radius:6px;background:#07c160;color:#fff}
button.plain{background:#e8e8e8;color:#222}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0}
dt{color:#666}dd{margin:0;text-align:right}
.due{font-size:28px;color:#c0392b;font-weight:bold;text-align:center;margin:6px 0}
.paid{color:#07c160;font-weight:bold}
.err{background:#fdecea;color:#a12;padding:10px;border-radius:6px}
.note{color:#666;font-size:14px}
.qr{text-align:center}.qr svg{width:220px;height:220px}
table{width:100%;border-collapse:collapse;font-size:14px}td,th{padding:4px 2px;border-bottom:1px solid #eee;text-align:left}
footer{text-align:center;padding:16px;font-size:14px}footer a{color:#555}
)";
  return css;
}

}  // namespace heat::pay
