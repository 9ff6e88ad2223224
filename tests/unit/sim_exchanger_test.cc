// sim/physics/exchanger.h: effectiveness-NTU worked examples, the design
// point reproduced, and the energy balance across the exchanger.
#include <gtest/gtest.h>

#include "heat/sim/physics/exchanger.h"
#include "heat/sim/physics/rng.h"

namespace heat::sim::physics {
namespace {

TEST(SimExchangerTest, BalancedFlowsAtNtuOneGiveEffectivenessOneHalf) {
  // C = 10 m³/h × 1.163 = 11.63 kW/K on both sides, UA = C: ε = 1/(1+1).
  ExchangeResult r = Counterflow(11.63, 90, 10, 50, 10);
  EXPECT_NEAR(r.effectiveness, 0.5, 1e-12);
  EXPECT_NEAR(r.q_kw, 0.5 * 11.63 * 40, 1e-9);  // 232.6 kW
  EXPECT_NEAR(r.hot_out_c, 70, 1e-9);
  EXPECT_NEAR(r.cold_out_c, 70, 1e-9);
}

TEST(SimExchangerTest, UnbalancedWorkedExampleMatchesTheFormula) {
  // Ch = 11.63, Cc = 23.26 kW/K; Cr = 0.5; UA = 23.26 -> NTU = 2.
  // ε = (1 − e^−1) / (1 − 0.5 e^−1) = 0.632121 / 0.816060 = 0.774600.
  ExchangeResult r = Counterflow(23.26, 110, 10, 50, 20);
  EXPECT_NEAR(r.effectiveness, 0.774600, 1e-6);
  EXPECT_NEAR(r.hot_out_c, 110 - 0.774600 * 60, 1e-4);  // 63.52 °C
}

TEST(SimExchangerTest, DesignUaReproducesTheDesignPoint_110_60_To_50_75) {
  double q = 2500;  // kW: 50,000 m² × 50 W/m²
  auto ua = DesignUa(110, 60, 50, 75, q);
  ASSERT_TRUE(ua.ok()) << ua.status().ToString();
  EXPECT_NEAR(*ua, 2500 / 19.9555, 0.05);  // LMTD of 35 K and 10 K
  double f1 = q / (kWaterKwPerM3hK * 50), f2 = q / (kWaterKwPerM3hK * 25);
  ExchangeResult r = Counterflow(*ua, 110, f1, 50, f2);
  EXPECT_NEAR(r.hot_out_c, 60, 0.01);
  EXPECT_NEAR(r.cold_out_c, 75, 0.01);
  EXPECT_NEAR(r.q_kw, q, q * 1e-4);
}

TEST(SimExchangerTest, HeatGivenEqualsHeatTakenForRandomInputs) {
  Rng rng(7);
  for (int i = 0; i < 1000; ++i) {
    double th = rng.Uniform(60, 130), tc = rng.Uniform(20, 70);
    double fh = rng.Uniform(0.1, 200), fc = rng.Uniform(0.1, 400), ua = rng.Uniform(1, 500);
    ExchangeResult r = Counterflow(ua, th, fh, tc, fc);
    double given = fh * kWaterKwPerM3hK * (th - r.hot_out_c);
    double taken = fc * kWaterKwPerM3hK * (r.cold_out_c - tc);
    EXPECT_NEAR(given, r.q_kw, 1e-9 * (1 + r.q_kw));
    EXPECT_NEAR(taken, r.q_kw, 1e-9 * (1 + r.q_kw));
    EXPECT_GE(r.effectiveness, 0);
    EXPECT_LE(r.effectiveness, 1);
  }
}

TEST(SimExchangerTest, NoFlowOrColderHotSideExchangesNothing) {
  EXPECT_EQ(Counterflow(100, 110, 0, 50, 10).q_kw, 0);
  EXPECT_EQ(Counterflow(100, 110, 10, 50, 0).q_kw, 0);
  ExchangeResult r = Counterflow(100, 40, 10, 50, 10);
  EXPECT_EQ(r.q_kw, 0);
  EXPECT_EQ(r.hot_out_c, 40);
  EXPECT_EQ(r.cold_out_c, 50);
}

TEST(SimExchangerTest, DesignUaRefusesTemperaturesOutOfOrder) {
  auto ua = DesignUa(60, 110, 50, 75, 100);
  ASSERT_FALSE(ua.ok());
  EXPECT_EQ(ua.status().message(),
            "exchanger design: need hot_in > hot_out > cold_in, cold_out > cold_in, "
            "hot_in > cold_out and a positive load");
}

}  // namespace
}  // namespace heat::sim::physics
