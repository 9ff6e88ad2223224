// billing/approval.h — approval of requests by amount (BIL-13): area
// changes, fee reductions and late-fee reductions. A small state machine:
// OpenRequest routes a new request, Decide applies one decision and
// returns the next state; a state whose outcome is kApply tells the
// caller to carry the request out.
//
// Routing by the amount's magnitude (an area change that lowers the fee by
// 300.00 yuan is a 300.00-yuan request), thresholds from billing/params.h:
//   amount <  approval.supervisor_from (50.00)          -> applied at once
//   50.00 <= amount <= approval.joint_above (200.00)     -> one bill_supervisor
//   amount >  200.00                                     -> bill_deputy AND
//                                                           bill_production
// So exactly 50.00 yuan needs a supervisor ("50–200 yuan by a supervisor"
// includes 50), and exactly 200.00 yuan needs only a supervisor ("> 200"
// is joint); 49.99 is applied at once and 200.01 is joint.
//
// Rules:
// - Only the role a step names can approve it (a deputy does not stand in
//   for a supervisor); a decision names the role the user acts in.
// - Joint approval: deputy and production in either order, by two
//   different users; the second approval applies the request.
// - Nobody approves or rejects their own request (kPermission).
// - A rejection by any role whose step is still open ends the request
//   (kRejected); a withdrawal by the requester ends it (kWithdrawn); only
//   the requester can withdraw, and only while it is pending.
// - A request that is no longer pending takes no decision (kConflict);
//   an approval of a step already approved is kConflict; a user or role
//   that has no open step is kPermission.
#pragma once

#include <cstdint>
#include <string>

#include "heat/billing/params.h"
#include "heat/core/money.h"
#include "heat/core/status.h"

namespace heat::billing {

inline constexpr const char* kRoleSupervisor = "bill_supervisor";
inline constexpr const char* kRoleDeputy = "bill_deputy";
inline constexpr const char* kRoleProduction = "bill_production";

enum class RequestKind { kAreaChange, kFeeReduction, kLateFeeReduction };
const char* RequestKindName(RequestKind kind);

enum class Route { kImmediate, kSupervisor, kJoint };
const char* RouteName(Route route);
Route RouteFor(Fen amount, const Params& params);

enum class Outcome { kPending, kApply, kRejected, kWithdrawn };
const char* OutcomeName(Outcome outcome);

struct ApprovalState {
  Route route = Route::kImmediate;
  Outcome outcome = Outcome::kPending;
  std::string supervisor, deputy, production;  // who approved; empty: not yet
  std::string ended_by;                        // who rejected or withdrew
  bool apply() const { return outcome == Outcome::kApply; }
};

struct Request {
  RequestKind kind = RequestKind::kFeeReduction;
  std::string requester;
  Fen amount = 0;       // its money effect; the sign does not matter
  ApprovalState state;  // from OpenRequest or the last Decide
};

// A new request with its route; below the first threshold its outcome is
// already kApply. kUsage for an empty requester, an amount beyond kMaxFen
// or invalid parameters.
Result<Request> OpenRequest(RequestKind kind, std::string requester, Fen amount, const Params& params);

struct Decision {
  enum Action { kApprove, kReject, kWithdraw } action = kApprove;
  std::string user;
  std::string role;  // the role acted in; ignored for kWithdraw
};

// The state after `decision`; the request itself is unchanged (store the
// result into request.state).
Result<ApprovalState> Decide(const Request& request, const Decision& decision);

}  // namespace heat::billing
