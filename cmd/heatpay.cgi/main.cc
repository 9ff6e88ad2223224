// heatpay.cgi — the residents' page (heatpay.cgi(8)): a FastCGI worker
// when lighttpd's mod_fastcgi starts it, else one request per process
// under mod_cgi. All of it is lib/heat/pay.
#include <iostream>

#include "heat/core/escape.h"
#include "heat/pay/app.h"
#include "heat/pay/cgi.h"
#include "heat/pay/fastcgi.h"

int main() {
  using heat::pay::Response;
  std::ios::sync_with_stdio(false);
  if (heat::pay::UnderFastCgi()) return heat::pay::ServeFastCgi();
  auto app = heat::pay::LoadApp();
  if (!app.ok()) {
    std::cerr << "heatpay.cgi: " << heat::EscapeControl(app.status().message()) << "\n";
    std::cout << heat::pay::Serialize(Response::Text(503, "暂停服务 / out of service\n"));
    return 0;
  }
  auto req = heat::pay::ReadCgiRequest();
  if (!req.ok()) {
    std::cout << heat::pay::Serialize(Response::Text(req.status().code() == heat::Code::kUsage ? 413 : 400,
                                                     req.status().message() + "\n"));
    return 0;
  }
  std::cout << heat::pay::Serialize((*app)->Handle(*req));
  return 0;
}
