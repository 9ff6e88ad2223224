// pay/fastcgi.h — the page as a FastCGI responder (heatpay.cgi(8),
// PERFORMANCE): lighttpd's mod_fastcgi starts a few workers and hands each
// request to one of them over a socket, so a request costs no process
// start and no new database connection.
//
// Contract:
// - Serves requests from the FastCGI socket on standard input until
//   SIGTERM or SIGINT (only a flag is set: the request under way is
//   finished and answered first); then returns 0. A worker does not
//   retire itself after some number of requests: lighttpd starts a dead
//   worker again only when a request finds it gone, and answers that
//   request 503 when all are gone at once.
// - Each request is read and bounded exactly as a CGI request is
//   (pay/cgi.h) and answered by the same App::Handle.
// - The configuration ($HEAT_CONFIG) is read at start and again before a
//   request when the file has changed; one that does not load is not
//   used (the worker keeps the one it has and says why on standard
//   error). Without any that loads, every request is answered 503, as the
//   CGI answers, so the resident sees the page's own message.
#pragma once

namespace heat::pay {

// True when standard input is a FastCGI listening socket, not a CGI
// request.
bool UnderFastCgi();

int ServeFastCgi();

}  // namespace heat::pay
