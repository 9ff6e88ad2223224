// forecast/model.h — the forecast model of one site (a heat source or a
// station): heat load and supply temperature for the coming hours (FC-1..4).
//
// Two stages, both learnt online, hour after hour, from the site's own
// history, so the same code fits a year of history and follows the season:
//
//  1. A regression of the quantity on the features of the hour
//     (forecast/features.h) by weighted least squares with a little ridge,
//     kept as normal equations that each observed hour updates (optionally
//     forgetting old hours with a half-life) and that are solved again every
//     refit_every_h hours.
//  2. A correction of the regression's recent error, one small regression
//     per lead time (1..horizon) of the error at that lead on the errors
//     before the origin (the last four hours, 6 and 12 hours before, the
//     same hour yesterday, the means of the last day and week), learnt from
//     the model's own past errors with forgetting (FC-4). The error that is
//     left at each lead, as an exponentially weighted variance, gives the
//     forecast band.
//
// Bad data does not enter the fit: an unknown value, a value that repeats
// exactly for four hours or more (a frozen meter), a value more than eight
// median absolute deviations from the median of the last 72 good ones, and
// a value whose error is far outside the recent error spread (the last two
// unless six hours in a row say so: then the site has changed and the
// model follows). Pure.
#pragma once

#include <deque>
#include <vector>

#include <Eigen/Dense>

#include "heat/core/status.h"
#include "heat/forecast/features.h"

namespace heat::forecast {

struct ModelOptions {
  int horizon_h = 168;
  double half_life_h = 0;                // regression memory; 0: keeps everything
  double resid_half_life_h = 24 * 45.0;  // memory of the error corrections
  double ridge = 1e-5;                   // relative to the mean diagonal
  int refit_every_h = 24;
  int min_history_h = 168;               // observed hours before a forecast
};

struct Point {
  double value = kNaN;
  double lo = kNaN, hi = kNaN;  // the 80 % band from the errors so far
};

// One forecast quantity of a site.
class Target {
 public:
  explicit Target(const ModelOptions& o);

  // The hour's features and its measured value (NaN: unknown or bad).
  void Observe(const FeatureVec& x, double y);
  bool ready() const { return fitted_ && good_hours_ >= opt_.min_history_h; }
  int good_hours() const { return good_hours_; }
  // Leads 1..xs.size() from the origin that follows the last observed hour.
  std::vector<Point> Forecast(const std::vector<FeatureVec>& xs) const;
  // The root-mean-square error the model expects at each lead so far.
  double ExpectedRmse(int lead) const;

 private:
  static constexpr int kZ = 10;  // the last: the target's hour of the latest known day
  using Z = Eigen::Matrix<double, kZ, 1>;
  using ZZ = Eigen::Matrix<double, kZ, kZ>;

  double Predict(const FeatureVec& x) const;
  bool Believable(double y);
  bool Plausible(double resid);
  void UpdateRegression(const FeatureVec& x, double y);
  void UpdateCorrections(double resid);
  Z ErrorsBefore() const;  // z at the origin after the last observed hour
  // The error at the target's hour of the latest day known at its origin.
  double SameHourKnown(int lead, int back) const;
  void Refit();

  ModelOptions opt_;
  Eigen::MatrixXd a_;
  Eigen::VectorXd b_, beta_;
  bool fitted_ = false;
  int good_hours_ = 0, since_refit_ = 0, outliers_in_row_ = 0, same_in_row_ = 0, jumps_in_row_ = 0;
  std::deque<double> recent_;            // the last good values
  double last_y_ = kNaN, abs_err_ = kNaN;
  std::deque<double> resid_;             // newest last, NaN where unknown
  std::deque<Z> z_;                      // z of recent origins, newest last
  std::vector<ZZ> ra_;                   // per lead
  std::vector<Z> rb_, coef_;
  std::vector<double> err_var_;
};

struct Observation {
  HourInput in;
  double load = kNaN;    // kW (or any unit: the forecast keeps it)
  double supply = kNaN;  // °C
};

struct Forecast {
  std::vector<Point> load, supply;  // supply empty when never measured
};

// A site: the outdoor temperature state and the two targets.
class Model {
 public:
  explicit Model(const ModelOptions& o) : opt_(o), load_(o), supply_(o) {}
  void Observe(const Observation& h);
  // coming[0] is the hour after the last observed one. Every coming hour
  // needs a temperature (fill gaps first: forecast/weather_fill.h).
  // kNotFound while there is too little good history.
  Result<Forecast> Predict(const std::vector<HourInput>& coming) const;
  const Target& load() const { return load_; }
  const Target& supply() const { return supply_; }

 private:
  ModelOptions opt_;
  TempState temp_;
  Target load_, supply_;
};

}  // namespace heat::forecast
