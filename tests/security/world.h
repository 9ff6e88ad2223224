// security/world.h — the world the security tests attack (SYS-1, BIL-28):
// org units HQ > BR1, BR2; in each branch a station S<n>, building B<n>,
// device D<n> (with a PSK), point S<n>.t2s with readings; a billing
// community, building and unit per branch, houses H<n> (and H<n>b, its
// subsidiary) with a customer (and ID number), card, blacklist entry, an
// account with an assessed fee, a payment and its receipt, an applied
// reduction request and a suspension; a forecast issue of each station
// with an hour of values, and an hour of weather of site W1. One login per group role; every
// role that has a data scope has BR1. Placeholders {S1} {B2} {H1} ... in
// SQL text stand for the ids of these objects.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "support/pgtest.h"

namespace heat::test {

// The platform's group roles, in the order of every expectation string.
inline const std::vector<std::string> kRoles = {
    "heat_admin", "heat_engineer", "heat_operator", "heat_service", "heat_pay",
    "bill_admin", "bill_supervisor", "bill_cashier", "bill_deputy", "bill_production"};

class SecurityWorld : public PgTest {
 protected:
  static void SetUpTestSuite();

  // The login standing for a group role.
  static const std::string& Login(const std::string& role) { return logins_.at(role); }
  // SQL with every {NAME} replaced by the id of that object.
  static std::string Fill(std::string sql);
  // Runs SQL as the superuser and returns the first value.
  static std::string Value(const std::string& sql);

 private:
  static std::map<std::string, std::string> logins_;
  static std::map<std::string, std::string> ids_;
};

}  // namespace heat::test
