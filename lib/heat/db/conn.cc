#include "heat/db/conn.h"

#include <poll.h>

#include <algorithm>
#include <cstdlib>

namespace heat::db {

Code CodeForSqlState(std::string_view s) {
  if (s == "42501") return Code::kPermission;              // insufficient_privilege
  if (s == "23505" || s == "23P01" || s == "40001" || s == "40P01" || s == "55P03" || s == "55000")
    return Code::kConflict;  // unique, exclusion, serialization, deadlock, lock, wrong state
  if (s == "P0002" || s == "02000") return Code::kNotFound;  // no_data_found
  if (s.substr(0, 2) == "22" || s == "23502" || s == "23514" || s == "23503" || s == "P0001")
    return Code::kUsage;  // bad data: format, null, check, reference, raised by our functions
  if (s.substr(0, 2) == "28") return Code::kPermission;    // invalid authorization
  return Code::kFailure;
}

int Rows::column(std::string_view name) const {
  if (!res_) return -1;
  return PQfnumber(res_.get(), std::string(name).c_str());
}

std::string Rows::get(int r, std::string_view name) const {
  int c = column(name);
  return c < 0 ? std::string() : get(r, c);
}

std::optional<std::string> Rows::opt(int r, std::string_view name) const {
  int c = column(name);
  if (c < 0 || is_null(r, c)) return std::nullopt;
  return get(r, c);
}

int64_t Rows::get_int(int r, std::string_view name) const {
  return std::strtoll(get(r, name).c_str(), nullptr, 10);
}

int64_t Rows::affected() const {
  if (!res_) return 0;
  return std::strtoll(PQcmdTuples(res_.get()), nullptr, 10);
}

Result<Conn> Conn::Open(const std::string& conninfo, const std::string& app) {
  std::string ci = conninfo;
  if (ci.find("application_name") == std::string::npos)
    ci += (ci.empty() ? "" : " ") + std::string("application_name=") + app;
  PGconn* c = PQconnectdb(ci.c_str());
  Conn conn(c);
  if (c == nullptr) return Status::Failure("cannot allocate a PostgreSQL connection");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string m = PQerrorMessage(c);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    Code code = m.find("authentication") != std::string::npos ||
                        m.find("does not exist") != std::string::npos
                    ? Code::kPermission
                    : Code::kFailure;
    return Status(code, "cannot connect to PostgreSQL: " + m +
                            " (check PGHOST, PGPORT, PGUSER, PGDATABASE)");
  }
  // Quiet NOTICEs: tools print their own messages.
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  return conn;
}

Status Conn::FromResult(PGresult* r, const std::string& sql) const {
  ExecStatusType st = PQresultStatus(r);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_IN) return Status::Ok();
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  const char* detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
  const char* hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
  std::string msg = primary ? primary : PQerrorMessage(pg_.get());
  if (detail) msg += std::string(" (") + detail + ")";
  if (hint) msg += std::string("; ") + hint;
  (void)sql;
  Status out(state ? CodeForSqlState(state) : Code::kFailure, msg);
  if (state && (std::string_view(state) == "40001" || std::string_view(state) == "40P01"))
    return std::move(out).Transient();
  return out;
}

namespace {
std::vector<const char*> CStrings(const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return values;
}
}  // namespace

Result<Rows> Conn::Take(PGresult* r, const std::string& sql) const {
  Rows rows(r);
  if (r == nullptr) return Status::Failure(PQerrorMessage(pg_.get()));
  HEAT_TRY(FromResult(r, sql));
  return rows;
}

Result<Rows> Conn::Query(const std::string& sql, const Params& params) {
  auto values = CStrings(params);
  return Take(PQexecParams(pg_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                           nullptr, nullptr, 0),
              sql);
}

Result<Rows> Conn::QueryPrepared(const std::string& sql, const Params& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    // Parse is not transactional: the statement outlives a rollback.
    std::string name = "heat_" + std::to_string(prepared_.size() + 1);
    HEAT_TRY(Take(PQprepare(pg_.get(), name.c_str(), sql.c_str(), 0, nullptr), sql).status());
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  auto values = CStrings(params);
  return Take(PQexecPrepared(pg_.get(), it->second.c_str(), static_cast<int>(values.size()), values.data(),
                             nullptr, nullptr, 0),
              sql);
}

Status Conn::Exec(const std::string& sql, const Params& params) {
  auto r = Query(sql, params);
  return r.status();
}

Status Conn::ExecScript(const std::string& sql) {
  // PQexec runs every statement of the script in one implicit transaction
  // unless the script has its own BEGIN/COMMIT; it returns the last result,
  // or the first error.
  PGresult* r = PQexec(pg_.get(), sql.c_str());
  Rows rows(r);
  if (r == nullptr) return Status::Failure(PQerrorMessage(pg_.get()));
  return FromResult(r, sql);
}

bool Conn::Alive() {
  if (PQstatus(pg_.get()) != CONNECTION_OK) return false;
  pollfd pfd{PQsocket(pg_.get()), POLLIN, 0};
  if (poll(&pfd, 1, 0) > 0 && PQconsumeInput(pg_.get()) == 0) return false;
  return PQstatus(pg_.get()) == CONNECTION_OK;
}

Status Conn::Reset() {
  prepared_.clear();  // the new session has none of them
  PQreset(pg_.get());
  if (PQstatus(pg_.get()) != CONNECTION_OK) {
    std::string m = PQerrorMessage(pg_.get());
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return Status::Failure("cannot connect to PostgreSQL: " + m);
  }
  for (const auto& [sql, params] : setup_) HEAT_TRY(Exec(sql, params));
  return Status::Ok();
}

Status Conn::Setup(const std::string& sql, const Params& params) {
  HEAT_TRY(Exec(sql, params));
  setup_.emplace_back(sql, params);
  return Status::Ok();
}

std::string Conn::QuoteIdent(std::string_view ident) const {
  char* q = PQescapeIdentifier(pg_.get(), ident.data(), ident.size());
  std::string out = q ? q : "";
  PQfreemem(q);
  return out;
}

namespace {
void AppendCopyField(std::string& line, const Param& p) {
  if (!p) { line += "\\N"; return; }
  for (char ch : *p) {
    switch (ch) {
      case '\\': line += "\\\\"; break;
      case '\t': line += "\\t"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      default: line += ch;
    }
  }
}
}  // namespace

Status Conn::CopyIn(const std::string& table, const std::vector<std::string>& columns,
                    const std::vector<std::vector<Param>>& rows) {
  std::string buf;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) buf += '\t';
      AppendCopyField(buf, row[i]);
    }
    buf += '\n';
  }
  return CopyInText(table, columns, buf);
}

Status Conn::CopyInText(const std::string& table, const std::vector<std::string>& columns, std::string_view text) {
  return CopyInData(table, columns, text, false);
}

Status Conn::CopyInBinary(const std::string& table, const std::vector<std::string>& columns,
                          std::string_view data) {
  return CopyInData(table, columns, data, true);
}

Status Conn::CopyInData(const std::string& table, const std::vector<std::string>& columns, std::string_view data,
                        bool binary) {
  std::string sql = "COPY " + table + " (";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + QuoteIdent(columns[i]);
  sql += binary ? ") FROM STDIN (FORMAT binary)" : ") FROM STDIN";
  {
    PGresult* r = PQexec(pg_.get(), sql.c_str());
    Rows start(r);
    if (r == nullptr) return Status::Failure(PQerrorMessage(pg_.get()));
    HEAT_TRY(FromResult(r, sql));
  }
  constexpr size_t kChunk = 1 << 20;
  bool sent = true;
  for (size_t at = 0; sent && at < data.size(); at += kChunk) {
    size_t n = std::min(kChunk, data.size() - at);
    sent = PQputCopyData(pg_.get(), data.data() + at, static_cast<int>(n)) == 1;
  }
  PQputCopyEnd(pg_.get(), sent ? nullptr : "client failed to send data");
  Status st;
  while (PGresult* r = PQgetResult(pg_.get())) {
    Rows end(r);
    if (st.ok()) st = FromResult(r, sql);
  }
  return st;
}

Status Conn::Listen(const std::string& channel) { return Exec("LISTEN " + QuoteIdent(channel)); }

Status Conn::Notify(const std::string& channel, const std::string& payload) {
  return Exec("SELECT pg_notify($1, $2)", {channel, payload});
}

Result<std::optional<std::pair<std::string, std::string>>> Conn::WaitNotify(int timeout_ms) {
  using Out = std::optional<std::pair<std::string, std::string>>;
  auto take = [&]() -> Out {
    PGnotify* n = PQnotifies(pg_.get());
    if (!n) return std::nullopt;
    Out o = std::make_pair(std::string(n->relname), std::string(n->extra));
    PQfreemem(n);
    return o;
  };
  if (PQconsumeInput(pg_.get()) == 0) return Status::Failure(PQerrorMessage(pg_.get()));
  if (auto o = take()) return o;
  pollfd pfd{PQsocket(pg_.get()), POLLIN, 0};
  if (poll(&pfd, 1, timeout_ms) <= 0) return Out{};
  if (PQconsumeInput(pg_.get()) == 0) return Status::Failure(PQerrorMessage(pg_.get()));
  return take();
}

Result<std::unique_ptr<Transaction>> Transaction::Start(Conn& conn) {
  HEAT_TRY(conn.Begin());
  return std::unique_ptr<Transaction>(new Transaction(conn));
}

Transaction::~Transaction() {
  if (!done_) (void)conn_.Rollback();
}

Status Transaction::Commit() {
  done_ = true;
  return conn_.Commit();
}

}  // namespace heat::db
