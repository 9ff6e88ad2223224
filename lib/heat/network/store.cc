#include "heat/network/store.h"

#include "heat/core/text.h"

namespace heat::network {
namespace {

using T = FieldType;

Result<Values> RowValues(const Kind& kind, const db::Rows& rows, int r) {
  Values v;
  v["code"] = rows.get(r, "code");
  for (const auto& f : kind.fields) {
    auto c = Canonical(f, rows.opt(r, f.key));
    // Canonical fills defaults for NULLs; the stored NULL is the truth.
    v[f.key] = rows.opt(r, f.key) && c.ok() ? *c : rows.opt(r, f.key);
  }
  return v;
}

// The id of the object `code` of the kind a reference points to.
Result<std::string> RefId(db::Conn& conn, const Field& f, const std::string& code) {
  const Kind* ref = FindKind(f.ref_kind);
  HEAT_ASSIGN(db::Rows rows, conn.Query(std::string("SELECT id FROM heat.") + ref->table +
                                        " WHERE code = $1", {code}));
  if (rows.empty()) return MissingOrHidden(conn, *ref, code).With(f.key);
  return rows.get(0, 0);
}

// The SQL expression that stores parameter $n into the field's column.
std::string WriteExpr(const Field& f, int n) {
  std::string p = "$" + std::to_string(n);
  switch (f.type) {
    case T::kRef: case T::kInt: return p + "::int";
    case T::kDecimal: return p + "::numeric";
    case T::kDouble: return p + "::float8";
    case T::kJson: return p + "::jsonb";
    case T::kLocation:
      return "ST_SetSRID(ST_MakePoint(split_part(" + p + ", ',', 1)::float8, split_part(" + p +
             ", ',', 2)::float8), 4326)";
    default: return p;
  }
}

// Column, expression and parameter for each given field, refs resolved.
struct Assign {
  std::vector<std::string> columns, exprs;
  db::Params params;
};

Result<Assign> BuildAssign(db::Conn& conn, const Kind& kind, const Values& values, int first) {
  Assign a;
  for (const auto& f : kind.fields) {
    auto it = values.find(f.key);
    if (it == values.end()) continue;
    db::Param p = it->second;
    if (p && f.type == T::kRef) {
      HEAT_ASSIGN(p, RefId(conn, f, *p));
    }
    a.columns.push_back(f.column);
    a.exprs.push_back(p ? WriteExpr(f, first + static_cast<int>(a.params.size())) : "NULL");
    if (p) a.params.push_back(p);
  }
  return a;
}

std::string Describe(const Kind& kind, const std::string& code) {
  return std::string(kind.label) + " " + code;
}

}  // namespace

Result<std::vector<Values>> LoadAll(db::Conn& conn, const Kind& kind, const std::string& where,
                                    const db::Params& params) {
  std::string sql = "SELECT * FROM (" + ListSql(kind) + ") q";
  if (!where.empty()) sql += " WHERE " + where;
  sql += " ORDER BY code";
  HEAT_ASSIGN(db::Rows rows, conn.Query(sql, params));
  std::vector<Values> out;
  out.reserve(rows.size());
  for (int r = 0; r < rows.size(); ++r) {
    HEAT_ASSIGN(Values v, RowValues(kind, rows, r));
    out.push_back(std::move(v));
  }
  return out;
}

Result<Values> LoadOne(db::Conn& conn, const Kind& kind, const std::string& code) {
  HEAT_ASSIGN(auto all, LoadAll(conn, kind, "q.code = $1", {code}));
  if (all.empty()) return MissingOrHidden(conn, kind, code);
  return all.front();
}

Status MissingOrHidden(db::Conn& conn, const Kind& kind, const std::string& code) {
  auto r = conn.Query("SELECT heat.object_exists($1, $2) AS e", {kind.table, code});
  if (r.ok() && r->get_bool(0, "e"))
    return Status::Permission(Describe(kind, code) + " is outside your data scope");
  return Status::NotFound(Describe(kind, code) + " not found");
}

Status Insert(db::Conn& conn, const Kind& kind, const Values& values) {
  auto code = values.at("code").value_or("");
  HEAT_ASSIGN(Assign a, BuildAssign(conn, kind, values, 2));
  std::string sql = std::string("INSERT INTO heat.") + kind.table + " (code";
  for (const auto& c : a.columns) sql += ", " + c;
  sql += ") VALUES ($1";
  for (const auto& e : a.exprs) sql += ", " + e;
  sql += ")";
  a.params.insert(a.params.begin(), code);
  Status st = conn.Exec(sql, a.params);
  if (st.code() == Code::kConflict && st.message().find("_code_key") != std::string::npos) {
    auto seen = conn.Query(std::string("SELECT 1 FROM heat.") + kind.table + " WHERE code = $1", {code});
    return Status::Conflict(Describe(kind, code) + " already exists" +
                            (seen.ok() && seen->empty() ? " (outside your data scope)" : ""));
  }
  if (st.code() == Code::kPermission && st.message().find("row-level security") != std::string::npos)
    return Status::Permission(Describe(kind, code) + ": would be placed outside your data scope");
  return st.With(Describe(kind, code));
}

Status Update(db::Conn& conn, const Kind& kind, const std::string& code, const Values& changed) {
  if (changed.empty()) return Status::Ok();
  HEAT_ASSIGN(Assign a, BuildAssign(conn, kind, changed, 2));
  std::string sql = std::string("UPDATE heat.") + kind.table + " SET ";
  for (size_t i = 0; i < a.columns.size(); ++i)
    sql += (i ? ", " : "") + a.columns[i] + " = " + a.exprs[i];
  sql += " WHERE code = $1";
  a.params.insert(a.params.begin(), code);
  auto r = conn.Query(sql, a.params);
  if (!r.ok()) {
    if (r.status().code() == Code::kPermission &&
        r.status().message().find("row-level security") != std::string::npos)
      return Status::Permission(Describe(kind, code) + ": would be moved outside your data scope");
    return r.status().With(Describe(kind, code));
  }
  if (r->affected() == 0) return MissingOrHidden(conn, kind, code);
  return Status::Ok();
}

Status Remove(db::Conn& conn, const Kind& kind, const std::string& code) {
  auto r = conn.Query(std::string("DELETE FROM heat.") + kind.table + " WHERE code = $1", {code});
  if (!r.ok()) {
    if (r.status().message().find("foreign key") != std::string::npos)
      return Status::Conflict(Describe(kind, code) + " is still in use: " + r.status().message());
    return r.status().With(Describe(kind, code));
  }
  if (r->affected() == 0) return MissingOrHidden(conn, kind, code);
  return Status::Ok();
}

Result<Values> ParseAssignments(const Kind& kind, const std::vector<std::string>& words) {
  Values out;
  for (const auto& w : words) {
    auto eq = w.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::Usage("expected key=value, got '" + w + "'");
    std::string key = w.substr(0, eq);
    const Field* f = FindField(kind, key);
    if (f == nullptr) {
      std::vector<std::string> keys;
      for (const auto& fd : kind.fields) keys.push_back(fd.key);
      auto s = Suggest(key, keys);
      return Status::Usage("unknown " + std::string(kind.label) + " field '" + key + "'" +
                           (s.empty() ? "" : " (did you mean " + s.front() + "?)"));
    }
    std::string val = w.substr(eq + 1);
    if (val.empty() && f->required) return Status::Usage(key + ": a value is required");
    if (val.empty()) { out[key] = std::nullopt; continue; }
    HEAT_ASSIGN(Value v, Canonical(*f, val));
    out[key] = v;
  }
  return out;
}

Result<Values> Complete(const Kind& kind, Values values) {
  for (const auto& f : kind.fields) {
    auto it = values.find(f.key);
    if (it != values.end() && it->second) continue;
    HEAT_ASSIGN(Value v, Canonical(f, std::nullopt));
    values[f.key] = v;
  }
  return values;
}

}  // namespace heat::network
