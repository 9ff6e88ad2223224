// analysis/generate.h: the synthetic networks of the EPANET agreement
// tests and the hydraulic benchmark (ANA-3) are fixed by their names.
#include "heat/analysis/generate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "heat/analysis/hydraulics.h"
#include "heat/analysis/inp.h"

namespace heat::analysis {
namespace {

// The figures EPANET computed (tests/data/hydraulics) hold only for these
// networks: a change to the generator must show here first.
TEST(GenerateTest, NetworksAreTheOnesEpanetSolved) {
  struct Pinned {
    const char* name;
    size_t links;
    double demand_lps, length_m;
    std::vector<std::string> specials;  // "id from to" of pumps, valves, check valves
  };
  const Pinned pinned[] = {
      {"grid-dw-1000", 1932, 73.6841, 211045.7, {"V1 J529 J530", "PU1 R1 J1", "V2 J997 J996"}},
      {"tree-hw-1000", 999, 83.9783, 107713.6,
       {"PU1 R1 J1", "V1 J3 J6", "PU2 J5 J9", "P994 J812 J997", "V2 J998 J10"}},
      {"grid-dw-10000", 19796, 755.1919, 2185983.0,
       {"V1 J5051 J5052", "PU1 R1 J1", "V2 J9997 J9996"}},
      {"tree-hw-10000", 9999, 841.7789, 1113558.4,
       {"PU1 R1 J1", "V1 J3 J6", "PU2 J5 J9", "P9994 J8764 J9997", "V2 J9998 J10"}},
  };
  for (const Pinned& p : pinned) {
    auto net = GenerateNetwork(*ParseGeneratedName(p.name));
    ASSERT_TRUE(net.ok()) << p.name;
    EXPECT_EQ(net->links.size(), p.links) << p.name;
    double demand = 0, length = 0;
    for (const Node& n : net->nodes) demand += n.demand_m3s * 1000;
    std::vector<std::string> specials;
    for (const Link& l : net->links) {
      length += l.length_m;
      if (l.kind != Link::Kind::kPipe || l.check_valve)
        specials.push_back(l.id + " " + net->nodes[l.from].id + " " + net->nodes[l.to].id);
    }
    EXPECT_NEAR(demand, p.demand_lps, 1e-6) << p.name;
    EXPECT_NEAR(length, p.length_m, 1e-3) << p.name;
    EXPECT_EQ(specials, p.specials) << p.name;
  }
}

TEST(GenerateTest, TheSameNameGivesTheSameNetwork) {
  auto a = GenerateNetwork(*ParseGeneratedName("tree-hw-1000"));
  auto b = GenerateNetwork(*ParseGeneratedName("tree-hw-1000"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(WriteInp(*a), WriteInp(*b));
}

TEST(GenerateTest, NetworksHaveTheNodeCountTheNameGivesAndEveryKindOfLink) {
  for (const char* name : {"grid-dw-1000", "tree-hw-1000"}) {
    auto net = GenerateNetwork(*ParseGeneratedName(name));
    ASSERT_TRUE(net.ok()) << name;
    EXPECT_EQ(net->nodes.size(), 1000u) << name;
    int pumps = 0, valves = 0, reservoirs = 0;
    for (const Link& l : net->links) {
      pumps += l.kind == Link::Kind::kPump;
      valves += l.kind == Link::Kind::kValve;
    }
    for (const Node& n : net->nodes) reservoirs += n.kind == Node::Kind::kReservoir;
    EXPECT_GE(pumps, 1) << name;
    EXPECT_GE(valves, 2) << name;
    EXPECT_GE(reservoirs, 2) << name;
    EXPECT_TRUE(Validate(*net).ok()) << name << ": " << Validate(*net).ToString();
  }
}

TEST(GenerateTest, AMalformedNameIsRefusedWithTheExpectedForm) {
  auto spec = ParseGeneratedName("grid-dw-1k");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(),
            "generated network 'grid-dw-1k': expected <grid|tree>-<dw|hw>-<nodes>, e.g. "
            "grid-dw-10000");
  GenerateSpec small{GeneratedLayout::kTree, HeadlossFormula::kHazenWilliams, 19, 1};
  EXPECT_EQ(GenerateNetwork(small).status().message(),
            "generated network: 19 nodes (20 to 10000000)");
  EXPECT_EQ(GeneratedName(*ParseGeneratedName("tree-hw-10000")), "tree-hw-10000");
}

}  // namespace
}  // namespace heat::analysis
