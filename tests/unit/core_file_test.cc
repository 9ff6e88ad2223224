// Files named by people and configurations (core/file.h, SYS-1).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "heat/core/config.h"
#include "heat/core/file.h"

namespace heat {
namespace {

// Regression: a directory given as a file read as an empty file.
TEST(FileTest, DirectoryGivenAsAFileIsAnError) {
  auto dir = std::filesystem::temp_directory_path() / ("core_file_test." + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto r = ReadRegularFile(dir.string(), 1024, "");
  EXPECT_EQ(r.status().code(), Code::kUsage);
  EXPECT_EQ(r.status().message(), dir.string() + ": a directory, not a file");
  auto c = Config::Load(dir.string());
  EXPECT_EQ(c.status().code(), Code::kUsage);
  std::filesystem::remove_all(dir);
}

TEST(FileTest, ReadsAWholeFileAndRefusesOneTooLarge) {
  auto path = std::filesystem::temp_directory_path() / ("core_file_test." + std::to_string(getpid()) + ".txt");
  std::ofstream(path) << "hello";
  auto r = ReadRegularFile(path.string(), 1024, "");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "hello");
  EXPECT_EQ(ReadRegularFile(path.string(), 4, "keep it short").status().message(),
            path.string() + ": larger than 4 bytes; keep it short");
  EXPECT_EQ(ReadRegularFile(path.string() + ".absent", 4, "").status().code(), Code::kNotFound);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace heat
