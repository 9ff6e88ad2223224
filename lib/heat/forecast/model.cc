#include "heat/forecast/model.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace heat::forecast {
namespace {

constexpr double kBandZ = 1.2816;       // the 10th and 90th percentile of a normal error
constexpr int kFrozenRepeats = 3;       // a fourth equal value in a row is frozen
constexpr double kOutlierErrors = 8.0;  // times the mean absolute error
constexpr int kOutliersToAccept = 6;    // hours in a row that make a new normal
constexpr double kOutlierMads = 8.0;    // median absolute deviations of the last 72 values
constexpr double kErrorHalfLifeH = 24 * 14.0;  // memory of the error spread by lead
constexpr double kCorrectionRidge = 1e-3;

double Decay(double half_life_h) { return half_life_h > 0 ? std::pow(0.5, 1.0 / half_life_h) : 1.0; }

Eigen::Map<const Eigen::VectorXd> AsVector(const FeatureVec& x) {
  return Eigen::Map<const Eigen::VectorXd>(x.data(), kFeatures);
}

}  // namespace

Target::Target(const ModelOptions& o)
    : opt_(o),
      a_(Eigen::MatrixXd::Zero(kFeatures, kFeatures)),
      b_(Eigen::VectorXd::Zero(kFeatures)),
      beta_(Eigen::VectorXd::Zero(kFeatures)),
      ra_(static_cast<size_t>(o.horizon_h), ZZ::Zero()),
      rb_(static_cast<size_t>(o.horizon_h), Z::Zero()),
      coef_(static_cast<size_t>(o.horizon_h), Z::Zero()),
      err_var_(static_cast<size_t>(o.horizon_h), kNaN) {
  z_.push_back(Z::Zero());
}

double Target::Predict(const FeatureVec& x) const { return beta_.dot(AsVector(x)); }

void Target::Observe(const FeatureVec& x, double y) {
  same_in_row_ = (!std::isnan(y) && y == last_y_) ? same_in_row_ + 1 : 0;
  last_y_ = y;
  if (same_in_row_ >= kFrozenRepeats || !Believable(y)) y = kNaN;
  double resid = kNaN;
  if (!std::isnan(y)) {
    double r = fitted_ ? y - Predict(x) : kNaN;
    if (!fitted_ || Plausible(r)) {
      UpdateRegression(x, y);
      resid = r;
    }
  }
  UpdateCorrections(resid);
  ++since_refit_;
  if (since_refit_ >= opt_.refit_every_h || (!fitted_ && good_hours_ >= 24)) Refit();
}

// A value far from the median of the recent ones, by the median absolute
// deviation (a Hampel filter), is a bad value whatever the model knows yet
// (a spike in the first hours would stay in the fit for good), unless it
// keeps coming. The first day of values (and of a new normal) only sets
// the median.
bool Target::Believable(double y) {
  if (std::isnan(y)) return false;
  bool judged = recent_.size() >= 24;  // until then nothing is known to judge by
  if (judged) {
    std::vector<double> v(recent_.begin(), recent_.end());
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    double med = v[v.size() / 2];
    for (double& x : v) x = std::abs(x - med);
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    double mad = std::max({v[v.size() / 2], 0.02 * std::abs(med), 1e-9});
    if (std::abs(y - med) > kOutlierMads * mad && ++jumps_in_row_ < kOutliersToAccept) return false;
    if (jumps_in_row_ >= kOutliersToAccept) recent_.clear(), judged = false;  // a new normal, judged anew
  }
  jumps_in_row_ = 0;
  recent_.push_back(y);
  if (recent_.size() > 72) recent_.pop_front();
  return judged;
}

// A residual far outside the recent spread is a bad value, unless it keeps
// coming: then the site has changed and the spread must follow.
bool Target::Plausible(double resid) {
  double mag = std::abs(resid);
  if (std::isnan(abs_err_)) abs_err_ = mag;
  if (good_hours_ > opt_.min_history_h && mag > kOutlierErrors * abs_err_ &&
      ++outliers_in_row_ < kOutliersToAccept)
    return false;
  outliers_in_row_ = 0;
  abs_err_ += (mag - abs_err_) / 168.0;
  return true;
}

void Target::UpdateRegression(const FeatureVec& x, double y) {
  double lambda = Decay(opt_.half_life_h);
  auto v = AsVector(x);
  if (lambda < 1.0) {
    a_ *= lambda;
    b_ *= lambda;
  }
  a_.selfadjointView<Eigen::Lower>().rankUpdate(v);
  b_ += y * v;
  ++good_hours_;
}

void Target::UpdateCorrections(double resid) {
  bool learn = !std::isnan(resid) && good_hours_ >= opt_.min_history_h;
  if (learn) {
    double lambda = Decay(opt_.resid_half_life_h);
    double w = 1.0 - Decay(kErrorHalfLifeH);
    for (int h = 1; h <= opt_.horizon_h && h <= static_cast<int>(z_.size()); ++h) {
      size_t i = static_cast<size_t>(h - 1);
      Z z = z_[z_.size() - static_cast<size_t>(h)];
      z[kZ - 1] = SameHourKnown(h, 0);
      double err = resid - coef_[i].dot(z);
      err_var_[i] = std::isnan(err_var_[i]) ? err * err : err_var_[i] + w * (err * err - err_var_[i]);
      ra_[i] = lambda * ra_[i] + z * z.transpose();
      rb_[i] = lambda * rb_[i] + resid * z;
    }
  }
  resid_.push_back(resid);
  if (resid_.size() > 168) resid_.pop_front();
  z_.push_back(ErrorsBefore());
  if (z_.size() > static_cast<size_t>(opt_.horizon_h)) z_.pop_front();
}

double Target::SameHourKnown(int lead, int back) const {
  // The target lies `back` hours before the hour after the newest error
  // (0 while that hour is being learnt; 1 - lead at an origin); its hour
  // k days earlier was known at the origin when 24 k >= lead.
  int days = (lead + 23) / 24;
  long idx = static_cast<long>(resid_.size()) - back - 24L * days;
  if (idx < 0 || idx >= static_cast<long>(resid_.size())) return 0.0;
  double r = resid_[static_cast<size_t>(idx)];
  return std::isnan(r) ? 0.0 : r;
}

Target::Z Target::ErrorsBefore() const {
  auto at = [&](size_t back) {  // back = 1: the last hour
    if (resid_.size() < back) return 0.0;
    double r = resid_[resid_.size() - back];
    return std::isnan(r) ? 0.0 : r;
  };
  auto mean = [&](size_t n) {
    double s = 0;
    int k = 0;
    for (size_t i = 1; i <= n && i <= resid_.size(); ++i) {
      double r = resid_[resid_.size() - i];
      if (!std::isnan(r)) s += r, ++k;
    }
    return k ? s / k : 0.0;
  };
  Z z;
  z << at(1), at(2), at(3), at(4), at(6), at(12), at(24), mean(24), mean(168), 0.0;
  return z;
}

void Target::Refit() {
  since_refit_ = 0;
  if (good_hours_ < 24) return;
  double d = a_.diagonal().mean();
  Eigen::MatrixXd a = a_.selfadjointView<Eigen::Lower>();
  a.diagonal().array() += opt_.ridge * d + 1e-12;
  beta_ = a.ldlt().solve(b_);
  fitted_ = true;
  for (size_t i = 0; i < ra_.size(); ++i) {
    double dz = ra_[i].diagonal().mean();
    if (dz <= 0) continue;
    ZZ m = ra_[i];
    m.diagonal().array() += kCorrectionRidge * dz;
    coef_[i] = m.ldlt().solve(rb_[i]);
  }
}

double Target::ExpectedRmse(int lead) const {
  if (lead < 1 || lead > opt_.horizon_h) return kNaN;
  double v = err_var_[static_cast<size_t>(lead - 1)];
  return std::isnan(v) ? 1.25 * abs_err_ : std::sqrt(v);
}

std::vector<Point> Target::Forecast(const std::vector<FeatureVec>& xs) const {
  std::vector<Point> out;
  out.reserve(xs.size());
  Z z = z_.back();
  for (size_t i = 0; i < xs.size(); ++i) {
    int lead = static_cast<int>(i) + 1;
    double v = Predict(xs[i]);
    if (lead <= opt_.horizon_h) {
      z[kZ - 1] = SameHourKnown(lead, 1 - lead);
      v += coef_[i].dot(z);
    }
    double sd = ExpectedRmse(std::min(lead, opt_.horizon_h));
    out.push_back(Point{v, v - kBandZ * sd, v + kBandZ * sd});
  }
  return out;
}

void Model::Observe(const Observation& h) {
  temp_.Step(h.in.w.temp_c);
  bool known = temp_.known() && !std::isnan(h.in.w.temp_c);
  FeatureVec x = known ? Features(h.in, temp_) : FeatureVec{};
  load_.Observe(x, known ? h.load : kNaN);
  supply_.Observe(x, known ? h.supply : kNaN);
}

Result<Forecast> Model::Predict(const std::vector<HourInput>& coming) const {
  if (!load_.ready())
    return Status::NotFound("not enough history: " + std::to_string(load_.good_hours()) + " good hours of the " +
                            std::to_string(opt_.min_history_h) + " needed");
  TempState s = temp_;
  std::vector<FeatureVec> xs;
  xs.reserve(coming.size());
  for (size_t i = 0; i < coming.size(); ++i) {
    if (std::isnan(coming[i].w.temp_c))
      return Status::Usage("coming hour " + std::to_string(i + 1) + " has no outdoor temperature");
    s.Step(coming[i].w.temp_c);
    xs.push_back(Features(coming[i], s));
  }
  Forecast f;
  f.load = load_.Forecast(xs);
  if (supply_.ready()) f.supply = supply_.Forecast(xs);
  return f;
}

}  // namespace heat::forecast
