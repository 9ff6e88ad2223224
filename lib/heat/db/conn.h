// db/conn.h — a thin RAII wrapper over libpq.
//
// Contract:
//  * Statements are always parameterised (PQexecParams); no function here
//    splices a value into SQL text. Identifiers that must be spliced (role
//    names in GRANT) go through QuoteIdent, which asks libpq to quote them.
//  * Every failure is a heat::Status whose code follows the SQLSTATE:
//    42501 and RLS violations -> kPermission, 23505/23P01/40001 -> kConflict,
//    P0002 -> kNotFound, 22xxx/23502/23514/P0001 -> kUsage (bad input),
//    anything else -> kFailure. The message is the server's, with its detail.
//  * Connection parameters come from libpq's environment (PGHOST, PGPORT,
//    PGUSER, PGDATABASE, .pgpass) unless a conninfo string is given, so a
//    tool always acts as the person who runs it.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "heat/core/status.h"

namespace heat::db {

// One positional parameter: text or SQL NULL.
using Param = std::optional<std::string>;
using Params = std::vector<Param>;

// Result rows of one statement (owns the PGresult).
class Rows {
 public:
  Rows() = default;
  explicit Rows(PGresult* r) : res_(r, &PQclear) {}

  int size() const { return res_ ? PQntuples(res_.get()) : 0; }
  bool empty() const { return size() == 0; }
  int columns() const { return res_ ? PQnfields(res_.get()) : 0; }
  std::string column_name(int c) const { return PQfname(res_.get(), c); }
  int column(std::string_view name) const;  // -1 when absent
  bool is_null(int r, int c) const { return PQgetisnull(res_.get(), r, c); }
  // Text of a cell; "" for NULL.
  std::string get(int r, int c) const { return PQgetvalue(res_.get(), r, c); }
  std::string get(int r, std::string_view name) const;
  std::optional<std::string> opt(int r, std::string_view name) const;
  int64_t get_int(int r, std::string_view name) const;
  int64_t get_int(int r, int c) const { return std::strtoll(PQgetvalue(res_.get(), r, c), nullptr, 10); }
  bool get_bool(int r, std::string_view name) const { return get(r, name) == "t"; }
  // Rows affected by INSERT/UPDATE/DELETE.
  int64_t affected() const;

 private:
  std::shared_ptr<PGresult> res_;
};

class Conn {
 public:
  // Opens a connection; conninfo "" means libpq's environment defaults.
  static Result<Conn> Open(const std::string& conninfo = "",
                           const std::string& application_name = "heat");

  Conn(Conn&&) noexcept = default;
  Conn& operator=(Conn&&) noexcept = default;

  Result<Rows> Query(const std::string& sql, const Params& params = {});
  // The same, with the statement prepared once per connection so its plan
  // is kept (PostgreSQL's plan cache: custom plans for the first five
  // runs, then a generic one unless that costs more). For small statements
  // run again and again on one connection whose planning costs more than
  // their execution — a cashier's payment joins six tables to find the
  // house (billing/store.cc). Not for statements whose best plan depends on
  // the values (searches with patterns).
  Result<Rows> QueryPrepared(const std::string& sql, const Params& params = {});
  Status Exec(const std::string& sql, const Params& params = {});
  // Runs a script of several statements (migrations); no parameters.
  Status ExecScript(const std::string& sql);

  Status Begin() { return Exec("BEGIN"); }
  Status Commit() { return Exec("COMMIT"); }
  Status Rollback() { return Exec("ROLLBACK"); }

  // COPY table (columns) FROM STDIN in text format. Rows are tab separated
  // fields; each field is escaped here.
  Status CopyIn(const std::string& table, const std::vector<std::string>& columns,
                const std::vector<std::vector<Param>>& rows);
  // The same with the rows already in COPY text form (fields escaped, tab
  // separated, each row ending in a newline): for callers that format
  // many rows of plain numbers themselves.
  Status CopyInText(const std::string& table, const std::vector<std::string>& columns, std::string_view text);
  // The same in COPY's binary form (header, rows and trailer, made by the
  // caller: telemetry/copy_binary.h): nothing for the server to parse.
  Status CopyInBinary(const std::string& table, const std::vector<std::string>& columns, std::string_view data);

  Status Listen(const std::string& channel);
  Status Notify(const std::string& channel, const std::string& payload);
  // Waits up to timeout_ms for one notification; nullopt on timeout.
  Result<std::optional<std::pair<std::string, std::string>>> WaitNotify(int timeout_ms);

  // Whether the session is still there, without a round trip: what the
  // socket already holds is read (a server that terminated the backend or
  // shut down has said so), then libpq's state is asked. A host that
  // vanished without a word still looks alive; the next statement fails.
  bool Alive();
  // Connects again with the same parameters (libpq's PQreset: every host
  // of a multi-host conninfo is tried again, target_session_attrs holds),
  // forgets the prepared statements and runs the Setup statements again.
  // The object stays the same, so references to it stay valid.
  Status Reset();
  // Runs a session setting now and again after every Reset (the time zone).
  Status Setup(const std::string& sql, const Params& params = {});

  std::string QuoteIdent(std::string_view ident) const;
  std::string user() const { return PQuser(pg_.get()); }
  PGconn* raw() { return pg_.get(); }

 private:
  explicit Conn(PGconn* c) : pg_(c, &PQfinish) {}
  Status FromResult(PGresult* r, const std::string& sql) const;
  Status CopyInData(const std::string& table, const std::vector<std::string>& columns, std::string_view data,
                    bool binary);
  // Rows of a finished statement, or its error (takes ownership of r).
  Result<Rows> Take(PGresult* r, const std::string& sql) const;
  std::unique_ptr<PGconn, void (*)(PGconn*)> pg_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::vector<std::pair<std::string, Params>> setup_;       // run again by Reset
};

// BEGIN on construction, ROLLBACK on destruction unless Commit() ran.
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Start(Conn& conn);
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Conn& c) : conn_(c) {}
  Conn& conn_;
  bool done_ = false;
};

// Maps a SQLSTATE to the library's code (exposed for tests).
Code CodeForSqlState(std::string_view sqlstate);

}  // namespace heat::db
