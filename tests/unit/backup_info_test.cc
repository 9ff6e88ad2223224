// The backup repository as pgbackrest info reports it (BIL-30): which set a
// point-in-time restore starts from, what an export must carry, and the
// clear refusal of a time before the oldest backup. The JSON is what
// pgbackrest 2.45 printed for a full, a differential and an incremental
// (tests/fuzz/corpus/backup_info_fuzz/full_diff_incr.json).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "heat/backup/info.h"
#include "heat/backup/pgbackrest.h"

namespace heat::backup {
namespace {

std::string Corpus(const std::string& name) {
  std::ifstream in(std::string(HEAT_SOURCE_DIR) + "/tests/fuzz/corpus/backup_info_fuzz/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Shown(int64_t t) { return "@" + std::to_string(t); }

TEST(BackupInfoTest, ParsesAFullADifferentialAndAnIncrementalOldestFirst) {
  auto info = ParseInfo(Corpus("full_diff_incr.json"), "heat");
  ASSERT_TRUE(info.ok()) << info.status().message();
  ASSERT_EQ(info->sets.size(), 3u);
  EXPECT_EQ(info->sets[0].label, "20261207-025220F");
  EXPECT_EQ(info->sets[0].type, "full");
  EXPECT_EQ(info->sets[0].prior, "");
  EXPECT_EQ(info->sets[0].stop, 1796611947);
  EXPECT_EQ(info->sets[0].wal_start, "000000010000000000000002");
  EXPECT_EQ(info->sets[0].wal_stop, "000000010000000000000003");
  EXPECT_EQ(info->sets[0].archive_id, "15-1");
  EXPECT_EQ(info->sets[0].size, 22992496);
  EXPECT_EQ(info->sets[1].type, "diff");
  EXPECT_EQ(info->sets[1].prior, "20261207-025220F");
  EXPECT_EQ(info->sets[2].type, "incr");
  EXPECT_EQ(info->status_code, 0);
  EXPECT_EQ(info->wal_min, "000000010000000000000001");
}

TEST(BackupInfoTest, AStanzaNotCreatedHasStatusOneAndNoSets) {
  auto info = ParseInfo(
      R"([{"archive":[],"backup":[],"cipher":"none","db":[],"name":"heat","repo":[],)"
      R"("status":{"code":1,"lock":{"backup":{"held":false}},"message":"missing stanza path"}}])",
      "heat");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->status_code, 1);
  EXPECT_TRUE(info->sets.empty());
}

TEST(BackupInfoTest, OtherStanzaIsNotFoundAndGarbageIsAFailure) {
  EXPECT_EQ(ParseInfo(Corpus("full_diff_incr.json"), "other").status().code(), Code::kNotFound);
  EXPECT_EQ(ParseInfo("ERROR: [055]", "heat").status().code(), Code::kFailure);
  EXPECT_EQ(ParseInfo("{}", "heat").status().code(), Code::kFailure);
}

TEST(BackupInfoTest, ATimeIsRestoredFromTheNewestSetCompleteBeforeIt) {
  auto info = ParseInfo(Corpus("full_diff_incr.json"), "heat");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(SetForTime(*info, 1796611947, Shown)->label, "20261207-025220F");  // the full's very end
  EXPECT_EQ(SetForTime(*info, 1796612295, Shown)->label, "20261207-025220F");  // the diff still running
  EXPECT_EQ(SetForTime(*info, 1796612296, Shown)->label, "20261207-025220F_20261207-025812D");
  EXPECT_EQ(SetForTime(*info, 1796699999, Shown)->label, "20261207-025220F_20261207-025818I");
}

TEST(BackupInfoTest, ATimeBeforeTheOldestBackupIsRefusedNamingIt) {
  auto info = ParseInfo(Corpus("full_diff_incr.json"), "heat");
  ASSERT_TRUE(info.ok());
  auto r = SetForTime(*info, 1796611946, Shown);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUsage);
  EXPECT_EQ(r.status().message(),
            "--to @1796611946 is before the oldest backup 20261207-025220F was complete (@1796611947): "
            "nothing older can be restored");
  EXPECT_EQ(SetForTime(StanzaInfo{}, 1, Shown).status().message(),
            "there is no backup yet (heatctl db backup now takes one)");
}

TEST(BackupInfoTest, AnIncrementalNeedsItsFullAndDifferentialFirst) {
  auto info = ParseInfo(Corpus("full_diff_incr.json"), "heat");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(SetChain(info->sets[2]), (std::vector<std::string>{"20261207-025220F", "20261207-025220F_20261207-025812D",
                                                               "20261207-025220F_20261207-025818I"}));
  EXPECT_EQ(SetChain(info->sets[0]), (std::vector<std::string>{"20261207-025220F"}));
}

TEST(BackupInfoTest, ExportCarriesOnlyTheSegmentsFromTheSetsStartToItsEnd) {
  const std::string a = "000000010000000000000002", b = "000000010000000000000003";
  EXPECT_TRUE(WalFileInRange("000000010000000000000002-c026ed6b9a6355d09777aecff881c786bc2737b6.gz", a, b));
  EXPECT_TRUE(WalFileInRange("000000010000000000000003-1b7fc6b582255605f2898ed7156e645b61a22718.gz", a, b));
  EXPECT_FALSE(WalFileInRange("000000010000000000000001-95979afd1c18de27ca5972b3876ceeb6bc995110.gz", a, b));
  EXPECT_FALSE(WalFileInRange("000000010000000000000004-34781c794747d9039c6781e9a4963530630d6b9d.gz", a, b));
  EXPECT_FALSE(WalFileInRange("000000010000000000000002.00000028.backup", a, b));
  EXPECT_FALSE(WalFileInRange("000000020000000000000002-aa.gz", a, b));  // another timeline
  EXPECT_FALSE(WalFileInRange("00000001000000000000000", a, b));
}

TEST(BackupConfigTest, PgbackrestConfKeepsLocksLogsAndRetentionInTheRepository) {
  Settings s;
  s.repo = "/srv/b";
  s.stanza = "heat";
  s.pg_data = "/d";
  s.pg_socket = "/s";
  s.pg_port = 5433;
  s.full_keep = 3;
  std::string c = ConfigText(s);
  for (const char* line : {"\nrepo1-path=/srv/b\n", "\nrepo1-retention-full=3\n", "\nlock-path=/srv/b/lock\n",
                           "\nlog-path=/srv/b/log\n", "\nstart-fast=y\n", "\n[heat]\npg1-path=/d\npg1-port=5433\n",
                           "\npg1-socket-path=/s\n"})
    EXPECT_NE(c.find(line), std::string::npos) << line;
  EXPECT_EQ(s.ArchiveCommand(), "pgbackrest --config=/srv/b/pgbackrest.conf --stanza=heat archive-push %p");
}

TEST(BackupConfigTest, PgbackrestErrorsNameTheErrorAndWhatToDo) {
  Settings s;
  s.stanza = "heat";
  Status none = PgBackRestError("backup", {37, "", "ERROR: [037]: backup command requires option: pg1-path\n"
                                                   "       HINT: does this stanza exist?\n"}, s);
  EXPECT_EQ(none.code(), Code::kNotFound);
  EXPECT_EQ(none.message(), "pgbackrest backup failed (exit 37): ERROR: [037]: backup command requires option: "
                            "pg1-path; the stanza heat is not created: run heatctl db backup setup");
  Status denied = PgBackRestError(
      "stanza-create", {47, "", "ERROR: [047]: unable to create path '/r/archive': [13] Permission denied\n"}, s);
  EXPECT_EQ(denied.code(), Code::kPermission);
  EXPECT_EQ(denied.message(), "pgbackrest stanza-create failed (exit 47): ERROR: [047]: unable to create path "
                              "'/r/archive': [13] Permission denied");
  Status other = PgBackRestError("backup", {82, "", "WARN: slow\nERROR: [082]: WAL segment was not archived\n"}, s);
  EXPECT_EQ(other.code(), Code::kFailure);
  EXPECT_EQ(other.message(), "pgbackrest backup failed (exit 82): ERROR: [082]: WAL segment was not archived");
}

}  // namespace
}  // namespace heat::backup
