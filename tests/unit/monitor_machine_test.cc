// A machine's disk, CPU load and memory (monitor/system.h, OPS-1): from
// node-exporter text, from /proc text and from statvfs-like numbers; the
// disk figure is df's Use%.
#include <gtest/gtest.h>

#include "heat/monitor/system.h"

namespace heat::monitor {
namespace {

// Parts of a real prometheus-node-exporter 1.5 page (two CPUs).
constexpr const char* kExporter = R"(# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.
# TYPE node_cpu_seconds_total counter
node_cpu_seconds_total{cpu="0",mode="idle"} 81234.56
node_cpu_seconds_total{cpu="0",mode="user"} 1234.5
node_cpu_seconds_total{cpu="1",mode="idle"} 80001.02
node_cpu_seconds_total{cpu="1",mode="user"} 1200
node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 2.0e+10
node_filesystem_free_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 2.5e+10
node_filesystem_size_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 1.0e+11
node_filesystem_avail_bytes{device="/dev/sdb1",fstype="xfs",mountpoint="/var/lib/postgresql"} 9e+10
node_filesystem_free_bytes{device="/dev/sdb1",fstype="xfs",mountpoint="/var/lib/postgresql"} 9e+10
node_filesystem_size_bytes{device="/dev/sdb1",fstype="xfs",mountpoint="/var/lib/postgresql"} 1e+11
node_load1 0.52
node_load15 0.33
node_load5 0.4
node_memory_MemAvailable_bytes 2.0e+09
node_memory_MemTotal_bytes 8.0e+09
node_network_receive_bytes_total{device="eth0"} 1.2e+09
)";

TEST(MonitorDiskTest, UsedPercentIsDfsUseOfWhatOrdinaryUsersCanHave) {
  // 100 GB, 25 GB free of which 20 GB available (5 GB reserved for root):
  // df shows 75 / (75 + 20) = 79 %.
  EXPECT_NEAR(*DiskUsedPct(100e9, 25e9, 20e9), 78.947, 0.001);
  EXPECT_DOUBLE_EQ(*DiskUsedPct(4096.0 * 1000, 4096.0 * 1000, 4096.0 * 1000), 0);
  EXPECT_DOUBLE_EQ(*DiskUsedPct(1000, 0, 0), 100);
  EXPECT_FALSE(DiskUsedPct(0, 0, 0));      // an empty or pseudo filesystem
  EXPECT_FALSE(DiskUsedPct(100, 200, 50));  // nonsense from a hostile exporter
}

TEST(MonitorDiskTest, APathIsOnTheLongestMountPointAboveIt) {
  std::vector<std::string> mounts = {"/", "/var", "/var/lib/postgresql", "/var/lib/postgres"};
  EXPECT_EQ(MountFor("/var/lib/postgresql/15/main", mounts), "/var/lib/postgresql");
  EXPECT_EQ(MountFor("/var/lib/postgresql", mounts), "/var/lib/postgresql");
  EXPECT_EQ(MountFor("/var/lib/postgresqlx", mounts), "/var");
  EXPECT_EQ(MountFor("/home", mounts), "/");
}

TEST(MonitorExporterTest, DisksLoadCpusAndMemoryComeFromTheExportersPage) {
  auto m = MachineFromExporter(kExporter, {"/", "/var/lib/postgresql/15", "/srv"});
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->disks.size(), 3u);
  EXPECT_NEAR(*m->disks[0].used_pct, 78.947, 0.001);
  EXPECT_EQ(m->disks[1].mount, "/var/lib/postgresql");
  EXPECT_NEAR(*m->disks[1].used_pct, 10, 1e-9);
  EXPECT_EQ(m->disks[2].mount, "/");  // not a mount point: the filesystem holding it
  EXPECT_DOUBLE_EQ(*m->load1, 0.52);
  EXPECT_DOUBLE_EQ(*m->load15, 0.33);
  EXPECT_EQ(m->cpus, 2);
  EXPECT_DOUBLE_EQ(*m->mem_used_pct, 75);
}

TEST(MonitorExporterTest, APageThatIsNotExpositionFormatIsRefused) {
  auto m = MachineFromExporter("<html><body>login</body></html>\n", {"/"});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(), "line 1: a metric name is expected");
}

TEST(MonitorExporterTest, MissingSeriesLeaveTheFigureUnknown) {
  auto m = MachineFromExporter("node_load1 1\n", {"/"});
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->disks[0].used_pct);
  EXPECT_EQ(m->disks[0].error, "the exporter reports no filesystem holding /");
  EXPECT_FALSE(m->mem_used_pct);
}

TEST(MonitorProcTest, LoadavgAndMeminfoAreRead) {
  Machine m;
  ApplyLoadavg("0.52 0.40 0.33 2/345 12345\n", m);
  ApplyMeminfo("MemTotal:        8000000 kB\nMemFree:  100 kB\nMemAvailable:    2000000 kB\nBuffers: 1 kB\n", m);
  EXPECT_DOUBLE_EQ(*m.load5, 0.40);
  EXPECT_DOUBLE_EQ(*m.mem_used_pct, 75);
  EXPECT_DOUBLE_EQ(m.mem_total_bytes, 8000000.0 * 1024);
}

TEST(MonitorProcTest, ThisMachineHasItsRootFilesystemMeasured) {
  Machine m = LocalMachine({"/", "/no/such/folder"});
  ASSERT_EQ(m.disks.size(), 2u);
  ASSERT_TRUE(m.disks[0].used_pct);
  EXPECT_GE(*m.disks[0].used_pct, 0);
  EXPECT_LE(*m.disks[0].used_pct, 100);
  EXPECT_EQ(m.disks[0].mount, "/");
  EXPECT_FALSE(m.disks[1].used_pct);
  EXPECT_EQ(m.disks[1].error, "/no/such/folder: No such file or directory");
  EXPECT_TRUE(m.load1);
  EXPECT_GT(m.cpus, 0);
  EXPECT_TRUE(m.mem_used_pct);
}

}  // namespace
}  // namespace heat::monitor
