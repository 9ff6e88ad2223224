#include "heat/pay/app.h"

#include <cstdlib>
#include <iostream>

#include "heat/core/escape.h"
#include "heat/core/file.h"
#include "heat/core/text.h"
#include "heat/pay/csrf.h"
#include "heat/pay/html.h"

namespace heat::pay {

struct Routes {
  struct Row {
    const char* method;
    const char* path;
    bool session;  // a looked-up bill is needed (else back to the look-up form)
    enum Csrf { kNone, kForm, kSession } csrf;  // the token the form carries: bound to hp_c or hp_s
    Result<Response> (App::*handler)(const Request&);
  };
  static const std::vector<Row>& All() {
    static const std::vector<Row> rows = {
        {"GET", "/", false, Row::kNone, &App::Home},
        {"POST", "/lookup", false, Row::kForm, &App::Lookup},
        {"GET", "/bill", true, Row::kNone, &App::Bill},
        {"POST", "/logout", true, Row::kSession, &App::Logout},
        {"POST", "/pay", true, Row::kSession, &App::Pay},
        {"GET", "/order", true, Row::kNone, &App::Order},
        {"POST", "/notify", false, Row::kNone, &App::Notify},  // WeChat Pay: its signature instead
        {"POST", "/invoice", true, Row::kSession, &App::Invoice},
        {"GET", "/hall", true, Row::kNone, &App::Hall},
        {"POST", "/hall", true, Row::kSession, &App::HallFile},
        {"GET", "/info", false, Row::kNone, &App::Info},
        {"GET", "/style.css", false, Row::kNone, &App::Style},
    };
    return rows;
  }
};

Response App::Handle(const Request& req) {
  Response out = Dispatch(req);
  // WeChat Pay's H5 cashier (wx.tenpay.com), or the API's own host (a test
  // server), is where the payment form leads.
  std::string api = UrlOrigin(cfg_.str("wechat.api_url"));
  out.form_action = "'self' https://wx.tenpay.com" + (api.empty() ? "" : " " + api);
  return out;
}

Response App::Dispatch(const Request& req) {
  std::string method = req.method == "HEAD" ? "GET" : req.method;
  bool path_known = false;
  for (const auto& r : Routes::All()) {
    if (req.path != r.path) continue;
    path_known = true;
    if (method != r.method) continue;
    if (r.csrf != Routes::Row::kNone &&
        !CsrfValid(key_, r.csrf == Routes::Row::kForm ? req.Cookie("hp_c") : Session(req), req.Field("csrf")))
      return Html(403, "页面已过期", "<p class=\"err\">页面已过期或来源不明，请<a href=\"/\">重新打开</a>。</p>");
    if (r.session && Session(req).empty()) return Response::SeeOther("/");
    auto out = (this->*r.handler)(req);
    if (!out.ok()) return ErrorPage(out.status());
    return std::move(out).value();
  }
  if (path_known) return Response::Text(405, "method not allowed\n").Header("Allow", "GET, POST");
  return Html(404, "没有这个页面", "<p><a href=\"/\">返回首页</a></p>");
}

Result<db::Conn*> App::Db() {
  // A worker's connection may have gone while it waited for a request (a
  // restart, a failover): a new one, rather than a 503 for this resident.
  if (db_ && !db_->Alive()) db_.reset();
  if (db_) return &*db_;
  HEAT_ASSIGN(db::Conn c, db::Conn::Open(cfg_.str("db.conninfo"), "heatpay.cgi"));
  HEAT_TRY(c.Exec("SELECT set_config('TimeZone', $1, false)", {cfg_.str("site.timezone")}));
  db_.emplace(std::move(c));
  return &*db_;
}

void App::EndRequest() {
  if (db_ && (PQstatus(db_->raw()) != CONNECTION_OK || PQtransactionStatus(db_->raw()) != PQTRANS_IDLE))
    db_.reset();
}

std::string App::Session(const Request& req) const {
  const std::string& s = req.Cookie("hp_s");
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos ? s : std::string();
}

std::string App::Csrf(const Request& req) const { return CsrfToken(key_, Session(req)); }

Result<nlohmann::json> App::LoadBill(const std::string& token) {
  HEAT_ASSIGN(db::Conn * db, Db());
  HEAT_ASSIGN(db::Rows r, db->Query("SELECT bill.pay_bill($1)", {token}));
  if (r.empty() || r.is_null(0, 0)) return nlohmann::json();
  auto j = nlohmann::json::parse(r.get(0, 0), nullptr, false);
  if (j.is_discarded()) return Status::Failure("bill.pay_bill gave no JSON");
  return j;
}

Response App::Html(int status, const std::string& title, const std::string& body) const {
  Response r;
  r.status = status;
  r.body = PageHtml(Company(), title, body);
  return r;
}

Response App::ErrorPage(const Status& s) const {
  std::cerr << "heatpay.cgi: " << EscapeControl(s.message()) << "\n";
  switch (s.code()) {
    case Code::kUsage:
      return Html(400, "无法办理", "<p class=\"err\">" + Esc(s.message()) + "</p><p><a href=\"/bill\">返回</a></p>");
    case Code::kConflict:
      return Html(409, "暂时无法办理", "<p class=\"err\">" + Esc(s.message()) + "</p><p><a href=\"/bill\">返回</a></p>");
    case Code::kPermission:
      return Html(403, "无法办理", "<p class=\"err\">没有权限。</p><p><a href=\"/\">返回首页</a></p>");
    case Code::kNotFound:
      return Html(404, "没有找到", "<p><a href=\"/bill\">返回</a></p>");
    default:
      return Html(503, "系统繁忙", "<p class=\"err\">系统繁忙，请稍后再试。</p><p><a href=\"/\">返回首页</a></p>");
  }
}

std::string ConfigPath() {
  const char* env = std::getenv("HEAT_CONFIG");
  return env && *env ? env : "/etc/heat/heat.yaml";
}

Result<std::unique_ptr<App>> LoadApp() {
  HEAT_ASSIGN(Config cfg, Config::Load(ConfigPath()));
  const std::string& path = cfg.str("pay.key_file");
  if (path.empty()) return Status::Usage("pay.key_file is not set: the page needs its key (heatpay.cgi(8))");
  HEAT_ASSIGN(std::string key, ReadSecretFile(path, 4096));
  key = Trim(key.substr(0, key.find('\n')));
  if (key.size() < 16) return Status::Usage(path + ": the page's key must be at least 16 characters");
  return std::make_unique<App>(std::move(cfg), std::move(key));
}

}  // namespace heat::pay
