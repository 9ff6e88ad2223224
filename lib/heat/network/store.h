// network/store.h — reading and writing base information, generically over
// the kinds of kinds.h. Every statement is parameterised; row-level
// security decides what the caller sees and may change, and these
// functions turn its silence (an update of 0 rows) into the right answer:
// kNotFound when the object does not exist, kPermission when it exists
// outside the caller's data scope.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "heat/db/conn.h"
#include "heat/network/kinds.h"

namespace heat::network {

// Every object of a kind the caller can see, ordered by code.
// `where` is an optional SQL condition on the listed columns (q.key), with
// its own parameters; used for filters like org=BR-A.
Result<std::vector<Values>> LoadAll(db::Conn& conn, const Kind& kind,
                                    const std::string& where = "", const db::Params& params = {});
// One object by code; kNotFound / kPermission as above.
Result<Values> LoadOne(db::Conn& conn, const Kind& kind, const std::string& code);

// The status for an object the caller could not see or change.
Status MissingOrHidden(db::Conn& conn, const Kind& kind, const std::string& code);

// Inserts an object; values are canonical (see Canonical) and hold "code".
Status Insert(db::Conn& conn, const Kind& kind, const Values& values);
// Sets the given fields of an existing object.
Status Update(db::Conn& conn, const Kind& kind, const std::string& code, const Values& changed);
Status Remove(db::Conn& conn, const Kind& kind, const std::string& code);

// Parses "key=value" words into canonical values of the kind; "key=" clears
// an optional field. Unknown keys are usage errors with a suggestion.
Result<Values> ParseAssignments(const Kind& kind, const std::vector<std::string>& words);

// Fills defaults for absent fields and checks required ones, for add/import.
Result<Values> Complete(const Kind& kind, Values values);

}  // namespace heat::network
