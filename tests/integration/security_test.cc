// Security by PostgreSQL (SYS-1, SYS-2, DESIGN §6), proven with real login
// roles: data scope by org unit, rights by module, the operation log.
#include "support/pgtest.h"

namespace heat::test {
namespace {

class SecurityTest : public PgTest {
 protected:
  static void SetUpTestSuite() {
    PgTest::SetUpTestSuite();
    Sql(R"(
      INSERT INTO heat.org_unit (code, name) VALUES ('HQ', '公司');
      INSERT INTO heat.org_unit (code, name, parent_id)
        SELECT c, n, (SELECT id FROM heat.org_unit WHERE code = 'HQ')
        FROM (VALUES ('BR-A', '第一分公司'), ('BR-B', '第二分公司')) v(c, n);
      INSERT INTO heat.org_unit (code, name, parent_id)
        SELECT 'BR-A-1', '一分公司一队', id FROM heat.org_unit WHERE code = 'BR-A';
      INSERT INTO heat.station (code, name, org_id)
        SELECT s, s || '站', (SELECT id FROM heat.org_unit WHERE code = o)
        FROM (VALUES ('SA1', 'BR-A'), ('SA2', 'BR-A-1'), ('SB1', 'BR-B')) v(s, o);
      INSERT INTO heat.building (code, name, station_id)
        SELECT 'B-' || code, code, id FROM heat.station;
      INSERT INTO heat.device (code, name, kind, protocol, station_id)
        SELECT code || '-CB', code, 'control_box', 'mqtt', id FROM heat.station;
      INSERT INTO heat.device (code, name, kind, protocol, building_id)
        SELECT code || '-RT', code, 'room_sensor', 'coap', id FROM heat.building;
      INSERT INTO heat.point (code, device_id, tag)
        SELECT replace(code, '-CB', '') || '.t2s', id, 't2s' FROM heat.device WHERE kind = 'control_box';
      INSERT INTO heat.reading (point_id, ts, value) SELECT id, now(), 55 FROM heat.point;
      INSERT INTO heat.latest (point_id, ts, value) SELECT id, now(), 55 FROM heat.point;
    )");
    op_a_ = MakeUser("op_a", "heat_operator", "BR-A");
    eng_a_ = MakeUser("eng_a", "heat_engineer", "BR-A");
    admin_ = MakeUser("adm", "heat_admin");
  }

  static std::vector<std::string> Codes(db::Conn& c, const std::string& sql) {
    std::vector<std::string> out;
    auto r = c.Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (r.ok())
      for (int i = 0; i < r->size(); ++i) out.push_back(r->get(i, 0));
    return out;
  }

  static std::string op_a_, eng_a_, admin_;
};
std::string SecurityTest::op_a_, SecurityTest::eng_a_, SecurityTest::admin_;

using V = std::vector<std::string>;

TEST_F(SecurityTest, OperatorSeesOnlyOwnBranchAndBelow) {
  auto c = As(op_a_);
  EXPECT_EQ(Codes(c, "SELECT code FROM heat.station ORDER BY 1"), (V{"SA1", "SA2"}));
  EXPECT_EQ(Codes(c, "SELECT code FROM heat.building ORDER BY 1"), (V{"B-SA1", "B-SA2"}));
  EXPECT_EQ(Codes(c, "SELECT code FROM heat.device ORDER BY 1"),
            (V{"B-SA1-RT", "B-SA2-RT", "SA1-CB", "SA2-CB"}));
  EXPECT_EQ(Codes(c, "SELECT code FROM heat.point ORDER BY 1"), (V{"SA1.t2s", "SA2.t2s"}));
  EXPECT_EQ(Codes(c, "SELECT p.code FROM heat.reading r JOIN heat.point p ON p.id = r.point_id ORDER BY 1"),
            (V{"SA1.t2s", "SA2.t2s"}));
  EXPECT_EQ(Codes(c, "SELECT station FROM api.station_latest ORDER BY 1"), (V{"SA1", "SA2"}));
  EXPECT_EQ(Codes(c, "SELECT code FROM heat.org_unit ORDER BY 1"), (V{"BR-A", "BR-A-1"}));
}

TEST_F(SecurityTest, AdminSeesEverything) {
  auto c = As(admin_);
  EXPECT_EQ(Codes(c, "SELECT code FROM heat.station ORDER BY 1"), (V{"SA1", "SA2", "SB1"}));
}

TEST_F(SecurityTest, OperatorCannotChangeBaseInformation) {
  auto c = As(op_a_);
  auto st = c.Exec("UPDATE heat.station SET name = 'x' WHERE code = 'SA1'");
  EXPECT_EQ(st.code(), Code::kPermission) << st.message();
  st = c.Exec("UPDATE heat.station SET name = 'x' WHERE code = 'SB1'");
  EXPECT_EQ(st.code(), Code::kPermission) << st.message();
}

TEST_F(SecurityTest, EngineerChangesOwnBranchOnly) {
  auto c = As(eng_a_);
  auto r = c.Query("UPDATE heat.station SET name = 'x' WHERE code = 'SB1'");
  ASSERT_OK(r);
  EXPECT_EQ(r->affected(), 0);  // invisible, so untouched
  r = c.Query("DELETE FROM heat.point WHERE code = 'SB1.t2s'");
  ASSERT_OK(r);
  EXPECT_EQ(r->affected(), 0);
  auto st = c.Exec("INSERT INTO heat.station (code, name, org_id) "
                   "SELECT 'SX', 'x', id FROM heat.org_unit WHERE code = 'BR-A'");
  EXPECT_TRUE(st.ok()) << st.message();
  // Placing a station in branch B: the org unit id is known to the attacker.
  auto s = Super();
  auto id = s.Query("SELECT id FROM heat.org_unit WHERE code = 'BR-B'");
  ASSERT_OK(id);
  st = c.Exec("INSERT INTO heat.station (code, name, org_id) VALUES ('SY', 'y', $1)", {id->get(0, 0)});
  EXPECT_EQ(st.code(), Code::kPermission) << st.message();
  st = c.Exec("UPDATE heat.station SET org_id = $1 WHERE code = 'SX'", {id->get(0, 0)});
  EXPECT_EQ(st.code(), Code::kPermission) << st.message();
  auto name = s.Query("SELECT name FROM heat.station WHERE code = 'SB1'");
  ASSERT_OK(name);
  EXPECT_EQ(name->get(0, 0), "SB1站");
}

TEST_F(SecurityTest, EveryChangeIsLoggedWithLoginOldAndNew) {
  auto c = As(eng_a_);
  ASSERT_TRUE(c.Exec("UPDATE heat.station SET name = '新名' WHERE code = 'SA2'").ok());
  auto s = Super();
  auto r = s.Query("SELECT login, action, old->>'name' AS o, new->>'name' AS n, client_addr, "
                   "ts > now() - interval '1 minute' AS recent FROM heat.op_log "
                   "WHERE object_kind = 'station' AND object_code = 'SA2' AND action = 'update'");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1);
  EXPECT_EQ(r->get(0, "login"), eng_a_);
  EXPECT_EQ(r->get(0, "o"), "SA2站");
  EXPECT_EQ(r->get(0, "n"), "新名");
  EXPECT_TRUE(r->get_bool(0, "recent"));
  // An update that changes nothing logs nothing.
  ASSERT_TRUE(c.Exec("UPDATE heat.station SET name = '新名' WHERE code = 'SA2'").ok());
  auto n = s.Query("SELECT count(*) FROM heat.op_log WHERE object_code = 'SA2' AND action = 'update'");
  EXPECT_EQ(n->get(0, 0), "1");
}

TEST_F(SecurityTest, ClientAddressIsRecordedOverTcp) {
  auto info = Conninfo(eng_a_);
  info.replace(info.find("host="), info.find(' ') - info.find("host="), "host=127.0.0.1");
  auto c = db::Conn::Open(info);
  ASSERT_OK(c);
  ASSERT_TRUE(c->Exec("UPDATE heat.building SET floors = 7 WHERE code = 'B-SA1'").ok());
  auto r = Super().Query("SELECT host(client_addr) FROM heat.op_log WHERE object_code = 'B-SA1' "
                         "AND action = 'update'");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1);
  EXPECT_EQ(r->get(0, 0), "127.0.0.1");
}

TEST_F(SecurityTest, OnlyAdminChangesTheLogAndThatIsLogged) {
  auto eng = As(eng_a_);
  EXPECT_EQ(eng.Exec("DELETE FROM heat.op_log").code(), Code::kPermission);
  EXPECT_EQ(eng.Exec("UPDATE heat.op_log SET login = 'nobody'").code(), Code::kPermission);
  EXPECT_EQ(eng.Exec("INSERT INTO heat.op_log (action, object_kind) VALUES ('x', 'y')").code(),
            Code::kPermission);
  auto adm = As(admin_);
  auto r = adm.Query("DELETE FROM heat.op_log WHERE id = (SELECT min(id) FROM heat.op_log)");
  ASSERT_OK(r);
  EXPECT_EQ(r->affected(), 1);
  auto logged = Super().Query("SELECT login FROM heat.op_log WHERE action = 'log_delete'");
  ASSERT_OK(logged);
  ASSERT_EQ(logged->size(), 1);
  EXPECT_EQ(logged->get(0, 0), admin_);
}

TEST_F(SecurityTest, OperatorSeesLogOfOwnScopeOnly) {
  auto c = As(op_a_);
  auto r = c.Query("SELECT DISTINCT object_code FROM heat.op_log WHERE object_kind = 'station'");
  ASSERT_OK(r);
  for (int i = 0; i < r->size(); ++i) EXPECT_NE(r->get(i, 0), "SB1");
  EXPECT_GT(r->size(), 0);
}

TEST_F(SecurityTest, OnlyAdminsManageUsers) {
  auto c = As(eng_a_);
  auto st = c.Exec("SELECT heat.user_add('mallory', '{heat_admin}', '{}')");
  EXPECT_EQ(st.code(), Code::kPermission) << st.message();
  auto adm = As(admin_);
  st = adm.Exec("SELECT heat.user_add('x_y', '{bill_cashier}', '{}')");
  EXPECT_EQ(st.code(), Code::kPermission) << st.message();  // billing roles: bill_admin only
  st = adm.Exec("SELECT heat.user_add('x_y', '{no_such_role}', '{}')");
  EXPECT_EQ(st.code(), Code::kUsage) << st.message();
  st = adm.Exec("SELECT heat.user_add('Bad Name', '{heat_operator}', '{}')");
  EXPECT_EQ(st.code(), Code::kUsage) << st.message();
}

TEST_F(SecurityTest, ObjectExistsTellsHiddenFromMissing) {
  auto c = As(op_a_);
  auto r = c.Query("SELECT heat.object_exists('station', 'SB1'), heat.object_exists('station', 'NOPE')");
  ASSERT_OK(r);
  EXPECT_EQ(r->get(0, 0), "t");
  EXPECT_EQ(r->get(0, 1), "f");
}

}  // namespace
}  // namespace heat::test
