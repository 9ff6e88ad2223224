// pay/app.h — the residents' page (heatpay.cgi(8); BIL-23, BIL-14, BIL-21,
// BIL-27): one request in, one response out.
//
// Contract:
// - Routes come from one table (app.cc): method, path, whether a session
//   (a looked-up bill) is needed and whether the form must carry the CSRF
//   token. Anything else is 404/405; a POST without a valid token is 403
//   and changes nothing.
// - The page reaches the database only through the heat_pay doors of
//   lib/sql/0036_online_pay.sql (and those of e-invoices and the service
//   hall), with parameters, never SQL built from text.
// - Errors show a short Chinese sentence; internal details go to standard
//   error (lighttpd's error log), never to the resident. Secrets are never
//   written anywhere.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "heat/core/config.h"
#include "heat/core/status.h"
#include "heat/db/conn.h"
#include "heat/pay/http.h"

namespace heat::pay {

class App {
 public:
  // `key`: the page's HMAC key (pay.key_file).
  App(Config cfg, std::string key) : cfg_(std::move(cfg)), key_(std::move(key)) {}
  Response Handle(const Request& req);
  // After each request of a long-lived worker (pay/fastcgi.h): a database
  // connection that broke or was left inside a transaction is closed, so
  // the next request opens a clean one.
  void EndRequest();

  // Handlers (one per route; resident.cc, services.cc, online.cc).
  Result<Response> Home(const Request& req);
  Result<Response> Lookup(const Request& req);
  Result<Response> Bill(const Request& req);
  Result<Response> Logout(const Request& req);
  Result<Response> Pay(const Request& req);
  Result<Response> Order(const Request& req);
  Result<Response> Notify(const Request& req);
  Result<Response> Invoice(const Request& req);
  Result<Response> Hall(const Request& req);
  Result<Response> HallFile(const Request& req);
  Result<Response> Info(const Request& req);
  Result<Response> Style(const Request& req);

 private:
  friend struct Routes;
  Response Dispatch(const Request& req);
  Result<db::Conn*> Db();
  // The session token of the request ("" without one) and its bill (NULL
  // JSON when the session has ended).
  std::string Session(const Request& req) const;
  Result<nlohmann::json> LoadBill(const std::string& token);
  // The token of the forms of a looked-up bill.
  std::string Csrf(const Request& req) const;
  Response Html(int status, const std::string& title, const std::string& body) const;
  Response ErrorPage(const Status& s) const;
  std::string Company() const { return cfg_.str("site.company"); }
  Status Poll(const std::string& out_trade_no);

  Config cfg_;
  std::string key_;
  std::optional<db::Conn> db_;
};

// The page's configuration file: $HEAT_CONFIG, default /etc/heat/heat.yaml.
std::string ConfigPath();

// The App of this process: configuration from ConfigPath(), the key from
// pay.key_file.
Result<std::unique_ptr<App>> LoadApp();

}  // namespace heat::pay
