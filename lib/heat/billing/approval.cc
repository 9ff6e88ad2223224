#include "heat/billing/approval.h"

#include <utility>

namespace heat::billing {

const char* RequestKindName(RequestKind kind) {
  switch (kind) {
    case RequestKind::kAreaChange: return "area change";
    case RequestKind::kFeeReduction: return "fee reduction";
    case RequestKind::kLateFeeReduction: return "late-fee reduction";
  }
  return "?";
}

const char* RouteName(Route route) {
  switch (route) {
    case Route::kImmediate: return "at once";
    case Route::kSupervisor: return "bill_supervisor";
    case Route::kJoint: return "bill_deputy and bill_production";
  }
  return "?";
}

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPending: return "pending";
    case Outcome::kApply: return "apply";
    case Outcome::kRejected: return "rejected";
    case Outcome::kWithdrawn: return "withdrawn";
  }
  return "?";
}

Route RouteFor(Fen amount, const Params& params) {
  if (amount < -kMaxFen || amount > kMaxFen) return Route::kJoint;
  Fen mag = amount < 0 ? -amount : amount;
  if (mag < params.approval_supervisor_from) return Route::kImmediate;
  if (mag <= params.approval_joint_above) return Route::kSupervisor;
  return Route::kJoint;
}

Result<Request> OpenRequest(RequestKind kind, std::string requester, Fen amount, const Params& params) {
  HEAT_TRY(Validate(params));
  if (requester.empty()) return Status::Usage("a request needs the user who makes it");
  if (amount < -kMaxFen || amount > kMaxFen)
    return Status::Usage("a request of at most " + FormatYuan(kMaxFen) + " yuan");
  Request r;
  r.kind = kind;
  r.requester = std::move(requester);
  r.amount = amount;
  r.state.route = RouteFor(amount, params);
  if (r.state.route == Route::kImmediate) r.state.outcome = Outcome::kApply;
  return r;
}

Result<ApprovalState> Decide(const Request& request, const Decision& d) {
  ApprovalState s = request.state;
  std::string what = std::string(RequestKindName(request.kind)) + " of " + FormatYuan(request.amount) +
                     " yuan by " + request.requester;
  if (s.outcome != Outcome::kPending)
    return Status::Conflict(what + " is " + OutcomeName(s.outcome) + "; it takes no more decisions");
  if (d.user.empty()) return Status::Usage("a decision needs the user who makes it");

  if (d.action == Decision::kWithdraw) {
    if (d.user != request.requester)
      return Status::Permission(d.user + " cannot withdraw the " + what + "; only the requester can");
    s.outcome = Outcome::kWithdrawn;
    s.ended_by = d.user;
    return s;
  }
  if (d.user == request.requester)
    return Status::Permission(d.user + " cannot " + (d.action == Decision::kApprove ? "approve" : "reject") +
                              " their own request");

  // The open step the role stands for.
  std::string* slot = nullptr;
  if (s.route == Route::kSupervisor && d.role == kRoleSupervisor) slot = &s.supervisor;
  if (s.route == Route::kJoint && d.role == kRoleDeputy) slot = &s.deputy;
  if (s.route == Route::kJoint && d.role == kRoleProduction) slot = &s.production;
  if (!slot)
    return Status::Permission("the " + what + " needs " + RouteName(s.route) + "; role '" + d.role +
                              "' has no step in it");
  if (!slot->empty())
    return Status::Conflict("the " + d.role + " step of the " + what + " is already approved by " + *slot);

  if (d.action == Decision::kReject) {
    s.outcome = Outcome::kRejected;
    s.ended_by = d.user;
    return s;
  }
  if (s.route == Route::kJoint && (s.deputy == d.user || s.production == d.user))
    return Status::Permission(d.user + " already approved the " + what +
                              " in the other role; joint approval needs two people");
  *slot = d.user;
  if (s.route == Route::kSupervisor || (!s.deputy.empty() && !s.production.empty())) s.outcome = Outcome::kApply;
  return s;
}

}  // namespace heat::billing
