// backup/check.h — the nightly restore check's figures (BIL-30): the row
// count of every table of schemas heat and bill, and the ledger's sums in
// fen per account and kind (bill.entry), measured in the live database and
// in a restored copy, then compared.
//
// The live figures are taken in one REPEATABLE READ transaction whose first
// statement reads the WAL insert position: the copy is restored to exactly
// that position (pgbackrest --type=lsn), so both sides see the same
// committed transactions, give or take one committing in the instant
// between the snapshot and that read.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "heat/core/status.h"
#include "heat/db/conn.h"

namespace heat::backup {

struct Figures {
  std::string lsn;                                // live only: where the snapshot stands in WAL
  std::map<std::string, int64_t> rows;            // "heat.station" -> rows
  std::map<std::string, int64_t> ledger;          // "account 17 payment" -> sum of amount_fen
};

// The figures of the database `db` is connected to. With `snapshot`, in a
// REPEATABLE READ transaction that first reads the WAL insert position.
Result<Figures> Measure(db::Conn& db, bool snapshot);

struct Line {
  std::string object;   // "heat.station", "bill.entry sum per account and kind", ...
  std::string live, restored;
  bool match = true;
};

struct Comparison {
  std::vector<Line> lines;  // every table, the ledger summary, then each differing ledger sum
  int differences = 0;
  bool ok() const { return differences == 0; }
};

// Compares the figures; a table or ledger sum on one side only differs.
Comparison Compare(const Figures& live, const Figures& restored);

}  // namespace heat::backup
