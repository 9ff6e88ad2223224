// Approval of requests by amount (billing/approval.h; BIL-13): below
// 5000 fen at once; 5000..20000 fen (both inclusive) one bill_supervisor;
// above 20000 fen bill_deputy and bill_production, in either order.
#include <gtest/gtest.h>

#include <random>

#include "heat/billing/approval.h"

namespace heat::billing {
namespace {

Request Open(Fen amount, const Params& p = Params{}) {
  auto r = OpenRequest(RequestKind::kFeeReduction, "cashier1", amount, p);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Request{};
}

Decision Approve(const std::string& user, const std::string& role) { return {Decision::kApprove, user, role}; }
Decision Reject(const std::string& user, const std::string& role) { return {Decision::kReject, user, role}; }

// Applies a decision that must succeed.
void Step(Request& r, const Decision& d) {
  auto s = Decide(r, d);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  r.state = *s;
}

TEST(ApprovalTest, RoutesByAmount_4999At_Once_5000And20000Supervisor_20001Joint) {
  EXPECT_EQ(RouteFor(0, Params{}), Route::kImmediate);
  EXPECT_EQ(RouteFor(4999, Params{}), Route::kImmediate);
  EXPECT_EQ(RouteFor(5000, Params{}), Route::kSupervisor);   // exactly 50.00 yuan
  EXPECT_EQ(RouteFor(20000, Params{}), Route::kSupervisor);  // exactly 200.00 yuan
  EXPECT_EQ(RouteFor(20001, Params{}), Route::kJoint);
  EXPECT_EQ(RouteFor(-30000, Params{}), Route::kJoint);      // the sign does not matter
  EXPECT_EQ(RouteFor(-4999, Params{}), Route::kImmediate);
}

TEST(ApprovalTest, Below5000FenIsAppliedAtOnce) {
  Request r = Open(4999);
  EXPECT_EQ(r.state.route, Route::kImmediate);
  EXPECT_TRUE(r.state.apply());
  EXPECT_EQ(Decide(r, Approve("boss", kRoleSupervisor)).status().code(), Code::kConflict);
}

TEST(ApprovalTest, SupervisorApproves10000Fen) {
  Request r = Open(10000);
  EXPECT_EQ(r.state.outcome, Outcome::kPending);
  Step(r, Approve("li", kRoleSupervisor));
  EXPECT_TRUE(r.state.apply());
  EXPECT_EQ(r.state.supervisor, "li");
  EXPECT_STREQ(OutcomeName(r.state.outcome), "apply");
  EXPECT_EQ(Decide(r, Approve("wang", kRoleSupervisor)).status().code(), Code::kConflict);
}

TEST(ApprovalTest, OnlyTheNamedRoleApproves) {
  Request r = Open(10000);
  EXPECT_EQ(Decide(r, Approve("zhao", kRoleDeputy)).status().code(), Code::kPermission);
  EXPECT_EQ(Decide(r, Approve("zhao", "bill_cashier")).status().code(), Code::kPermission);
  Request j = Open(30000);
  EXPECT_EQ(Decide(j, Approve("li", kRoleSupervisor)).status().code(), Code::kPermission);
}

TEST(ApprovalTest, NobodyApprovesTheirOwnRequest) {
  auto r = OpenRequest(RequestKind::kAreaChange, "li", 10000, Params{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Decide(*r, Approve("li", kRoleSupervisor)).status().code(), Code::kPermission);
  EXPECT_EQ(Decide(*r, Reject("li", kRoleSupervisor)).status().code(), Code::kPermission);
}

TEST(ApprovalTest, Joint30000FenNeedsDeputyAndProductionInEitherOrder) {
  Request r = Open(30000);
  Step(r, Approve("zhao", kRoleDeputy));
  EXPECT_EQ(r.state.outcome, Outcome::kPending);
  EXPECT_EQ(Decide(r, Approve("qian", kRoleDeputy)).status().code(), Code::kConflict);  // step done
  Step(r, Approve("sun", kRoleProduction));
  EXPECT_TRUE(r.state.apply());

  Request s = Open(30000);
  Step(s, Approve("sun", kRoleProduction));
  EXPECT_FALSE(s.state.apply());
  Step(s, Approve("zhao", kRoleDeputy));
  EXPECT_TRUE(s.state.apply());
  EXPECT_EQ(s.state.deputy, "zhao");
  EXPECT_EQ(s.state.production, "sun");
}

TEST(ApprovalTest, JointApprovalNeedsTwoPeople) {
  Request r = Open(30000);
  Step(r, Approve("zhao", kRoleDeputy));
  EXPECT_EQ(Decide(r, Approve("zhao", kRoleProduction)).status().code(), Code::kPermission);
}

TEST(ApprovalTest, RejectionEndsIt) {
  Request r = Open(30000);
  Step(r, Approve("zhao", kRoleDeputy));
  EXPECT_EQ(Decide(r, Reject("qian", kRoleDeputy)).status().code(), Code::kConflict);  // step already approved
  Step(r, Reject("sun", kRoleProduction));
  EXPECT_EQ(r.state.outcome, Outcome::kRejected);
  EXPECT_EQ(r.state.ended_by, "sun");
  EXPECT_FALSE(r.state.apply());
  EXPECT_EQ(Decide(r, Approve("zhou", kRoleProduction)).status().code(), Code::kConflict);
  EXPECT_EQ(Decide(r, {Decision::kWithdraw, "cashier1", ""}).status().code(), Code::kConflict);
}

TEST(ApprovalTest, WithdrawalByTheRequesterEndsIt) {
  Request r = Open(10000);
  EXPECT_EQ(Decide(r, {Decision::kWithdraw, "li", ""}).status().code(), Code::kPermission);
  Step(r, {Decision::kWithdraw, "cashier1", ""});
  EXPECT_EQ(r.state.outcome, Outcome::kWithdrawn);
  EXPECT_EQ(Decide(r, Approve("li", kRoleSupervisor)).status().code(), Code::kConflict);
  Request done = Open(10000);
  Step(done, Approve("li", kRoleSupervisor));
  EXPECT_EQ(Decide(done, {Decision::kWithdraw, "cashier1", ""}).status().code(), Code::kConflict);
}

TEST(ApprovalTest, ThresholdsComeFromParams) {
  Params p = *ParseParams({{"approval.supervisor_from", "100.00"}, {"approval.joint_above", "500.00"}});
  EXPECT_TRUE(Open(9999, p).state.apply());
  EXPECT_EQ(Open(10000, p).state.route, Route::kSupervisor);
  EXPECT_EQ(Open(50000, p).state.route, Route::kSupervisor);
  EXPECT_EQ(Open(50001, p).state.route, Route::kJoint);
  Params bad;
  bad.approval_supervisor_from = 30000;  // above joint_above
  EXPECT_EQ(OpenRequest(RequestKind::kFeeReduction, "x", 100, bad).status().code(), Code::kUsage);
  EXPECT_EQ(OpenRequest(RequestKind::kFeeReduction, "", 100, Params{}).status().code(), Code::kUsage);
  EXPECT_EQ(OpenRequest(RequestKind::kFeeReduction, "x", kMaxFen + 1, Params{}).status().code(), Code::kUsage);
}

// Property (seed 13): random decisions by random users and roles. A
// request reaches "apply" only with every step of its route approved by a
// user other than the requester (two different users for a joint route),
// an ended request never changes again, and a refused decision changes
// nothing.
TEST(ApprovalTest, RandomDecisionsNeverApplyWithoutTheRoute) {
  std::mt19937 rng(13);
  const std::vector<std::string> users = {"cashier1", "li", "zhao", "sun"};
  const std::vector<std::string> roles = {kRoleSupervisor, kRoleDeputy, kRoleProduction, "bill_cashier"};
  for (int run = 0; run < 500; ++run) {
    Fen amount = static_cast<Fen>(rng() % 40000);
    Request r = Open(amount);
    for (int step = 0; step < 8; ++step) {
      Decision d{static_cast<Decision::Action>(rng() % 3), users[rng() % users.size()], roles[rng() % roles.size()]};
      ApprovalState before = r.state;
      auto s = Decide(r, d);
      if (before.outcome != Outcome::kPending) {
        ASSERT_FALSE(s.ok());
        continue;
      }
      if (!s.ok()) continue;
      r.state = *s;
      if (r.state.apply()) {
        if (r.state.route == Route::kSupervisor) {
          ASSERT_FALSE(r.state.supervisor.empty());
          ASSERT_NE(r.state.supervisor, r.requester);
        } else {
          ASSERT_EQ(r.state.route, Route::kJoint);
          ASSERT_FALSE(r.state.deputy.empty());
          ASSERT_FALSE(r.state.production.empty());
          ASSERT_NE(r.state.deputy, r.state.production);
          ASSERT_NE(r.state.deputy, r.requester);
          ASSERT_NE(r.state.production, r.requester);
        }
      }
      if (r.state.outcome == Outcome::kWithdrawn) {
        ASSERT_EQ(r.state.ended_by, r.requester);
      }
      if (r.state.outcome == Outcome::kRejected) {
        ASSERT_NE(r.state.ended_by, r.requester);
      }
    }
    EXPECT_EQ(amount < 5000, r.state.route == Route::kImmediate);
  }
}

}  // namespace
}  // namespace heat::billing
