// Solve() (hydraulics.h): EPANET's hydsolve loop over the pieces of gga.h,
// with the junction-head equations solved by Eigen's sparse LDLᵀ. The
// sparsity pattern (one entry per junction and per pair of junctions
// joined by a link) is ordered and analysed once; each trial refills the
// values and factorises again.
#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>
#include <algorithm>
#include <cmath>

#include "heat/analysis/gga.h"
#include "heat/analysis/hydraulics.h"

namespace heat::analysis {
namespace {

using SpMat = Eigen::SparseMatrix<double>;

template <typename T>
int FindId(const std::vector<T>& v, std::string_view id) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

// The matrix of the junction heads, lower triangle, with the position of
// every diagonal and every link's off-diagonal entry in its value array.
class HeadMatrix {
 public:
  explicit HeadMatrix(const gga::Model& m) : a_(m.njuncs, m.njuncs) {
    std::vector<Eigen::Triplet<double>> t;
    for (int r = 0; r < m.njuncs; ++r) t.emplace_back(r, r, 1.0);
    for (const gga::MLink& l : m.links) {
      int i = m.row[l.n1], j = m.row[l.n2];
      if (i >= 0 && j >= 0) t.emplace_back(std::max(i, j), std::min(i, j), 1.0);
    }
    a_.setFromTriplets(t.begin(), t.end());
    a_.makeCompressed();
    diag_.resize(m.njuncs);
    for (int r = 0; r < m.njuncs; ++r) diag_[r] = Position(r, r);
    for (const gga::MLink& l : m.links) {
      int i = m.row[l.n1], j = m.row[l.n2];
      link_.push_back(i >= 0 && j >= 0 ? Position(std::max(i, j), std::min(i, j)) : -1);
    }
    ldlt_.analyzePattern(a_);
  }

  // Factorises the trial's matrix; -1, or the row whose pivot is not
  // positive (the network is singular there).
  int Factorize(const gga::System& sys) {
    double* v = a_.valuePtr();
    std::fill(v, v + a_.nonZeros(), 0.0);
    for (size_t r = 0; r < diag_.size(); ++r) v[diag_[r]] += sys.aii[r];
    for (size_t k = 0; k < link_.size(); ++k) {
      if (link_[k] >= 0) v[link_[k]] += sys.aij[k];
    }
    ldlt_.factorize(a_);
    const auto& d = ldlt_.vectorD();
    for (Eigen::Index i = 0; i < d.size(); ++i) {
      if (!(d[i] > 0.0)) return ldlt_.permutationPinv().indices()[i];
    }
    return ldlt_.info() == Eigen::Success ? -1 : 0;
  }

  Eigen::VectorXd Solve(const std::vector<double>& f) {
    return ldlt_.solve(Eigen::Map<const Eigen::VectorXd>(f.data(), f.size()));
  }

 private:
  int Position(int r, int c) const {
    const int* inner = a_.innerIndexPtr();
    const int* begin = inner + a_.outerIndexPtr()[c];
    const int* end = inner + a_.outerIndexPtr()[c + 1];
    return static_cast<int>(std::lower_bound(begin, end, r) - inner);
  }

  SpMat a_;
  std::vector<int> diag_, link_;
  Eigen::SimplicialLDLT<SpMat, Eigen::Lower> ldlt_;
};

struct Balance {
  double max_flow_change = 0;
};

// New flows from the new heads (newflows): returns sum|dQ| / sum|Q|.
double NewFlows(const gga::Model& m, gga::State& s, Balance& bal) {
  double qsum = 0, dqsum = 0;
  bal.max_flow_change = 0;
  std::fill(s.demand.begin(), s.demand.end(), 0.0);
  for (size_t k = 0; k < m.links.size(); ++k) {
    const gga::MLink& l = m.links[k];
    double dq = s.coeff[k].y - s.coeff[k].p * (s.head[l.n1] - s.head[l.n2]);
    dq *= s.relax;
    bool const_power = l.type == gga::Type::kPump &&
                       m.pumps[l.pump].type == PumpModel::Type::kConstPower;
    if (const_power && dq > s.flow[k]) dq = s.flow[k] / 2.0;  // keep its flow positive
    s.flow[k] -= dq;
    qsum += std::fabs(s.flow[k]);
    dqsum += std::fabs(dq);
    bal.max_flow_change = std::max(bal.max_flow_change, std::fabs(dq));
    if (s.status[k] > LinkState::kClosed) {
      if (m.row[l.n1] < 0) s.demand[l.n1] -= s.flow[k];
      if (m.row[l.n2] < 0) s.demand[l.n2] += s.flow[k];
    }
  }
  return qsum > m.options.accuracy ? dqsum / qsum : dqsum;
}

// The largest difference between a link's head loss and its end heads.
double MaxHeadError(const gga::Model& m, gga::State& s) {
  gga::LinkCoeffs(m, s);
  double worst = 0;
  for (size_t k = 0; k < m.links.size(); ++k) {
    if (s.status[k] <= LinkState::kClosed || s.coeff[k].p == 0.0) continue;
    const gga::MLink& l = m.links[k];
    double dh = s.head[l.n1] - s.head[l.n2];
    worst = std::max(worst, std::fabs(dh - s.coeff[k].y / s.coeff[k].p));
  }
  return worst;
}

bool Converged(const gga::Model& m, gga::State& s, double relerr, const Balance& bal) {
  const SolveOptions& o = m.options;
  if (relerr > o.accuracy) return false;
  if (o.head_error_limit > 0 && MaxHeadError(m, s) > o.head_error_limit) return false;
  return !(o.flow_change_limit > 0 && bal.max_flow_change > o.flow_change_limit);
}

struct Outcome {
  int trials = 0;
  double relerr = 0;
  bool converged = false;
  int singular_node = -1;  // the equations had no solution there
};

// One trial: coefficients, equations, heads, flows. false: singular at *row.
bool Trial(const gga::Model& m, gga::State& s, gga::System& sys, HeadMatrix& a,
           double* relerr, Balance& bal, int* row) {
  gga::LinkCoeffs(m, s);
  gga::Assemble(m, s, sys);
  *row = a.Factorize(sys);
  if (*row >= 0) return false;
  Eigen::VectorXd h = a.Solve(sys.f);
  for (int r = 0; r < m.njuncs; ++r) s.head[m.junction[r]] = h[r];
  *relerr = NewFlows(m, s, bal);
  return true;
}

// EPANET's hydsolve: status checks every check_frequency trials up to
// max_check, control valves every trial, and on convergence a last full
// check that sends the iterations on if any status changed.
Outcome Iterate(const gga::Model& m, gga::State& s) {
  const SolveOptions& o = m.options;
  HeadMatrix a(m);
  gga::System sys;
  Balance bal;
  Outcome out;
  int next_check = o.check_frequency;
  for (int iter = 1; iter <= o.max_trials;) {
    int row = -1;
    if (!Trial(m, s, sys, a, &out.relerr, bal, &row)) {
      out.singular_node = row >= 0 && row < m.njuncs ? m.junction[row] : -1;
      if (out.singular_node < 0) return out;
      if (gga::BadValve(m, s, out.singular_node)) continue;
      return out;
    }
    out.trials = iter;
    out.singular_node = -1;
    s.relax = 1.0;
    bool valve_change = false;
    if (o.damp_limit <= 0) {
      valve_change = gga::ValveStatus(m, s);
    } else if (out.relerr <= o.damp_limit) {
      s.relax = 0.6;
      valve_change = gga::ValveStatus(m, s);
    }
    if (Converged(m, s, out.relerr, bal)) {
      bool link_change = gga::LinkStatus(m, s);
      if (!valve_change && !link_change) return out.converged = true, out;
      next_check = iter + o.check_frequency;
    } else if (iter <= o.max_check && iter == next_check) {
      gga::LinkStatus(m, s);
      next_check += o.check_frequency;
    }
    ++iter;
  }
  return out;
}

Solution ToSi(const Network& net, const gga::Model& m, const gga::State& s, const Outcome& out) {
  Solution sol;
  sol.trials = out.trials;
  sol.relative_change = out.relerr;
  for (size_t i = 0; i < net.nodes.size(); ++i) {
    sol.head_m.push_back(s.head[i] * kMPerFt);
    sol.demand_m3s.push_back(m.row[i] >= 0 ? net.nodes[i].demand_m3s : s.demand[i] * kM3sPerCfs);
  }
  for (size_t k = 0; k < net.links.size(); ++k) {
    const Link& l = net.links[k];
    sol.flow_m3s.push_back(s.flow[k] * kM3sPerCfs);
    sol.headloss_m.push_back(sol.head_m[l.from] - sol.head_m[l.to]);
    sol.status.push_back(s.status[k]);
  }
  return sol;
}

Status CheckOptions(const SolveOptions& o) {
  if (!(o.accuracy > 0) || o.max_trials < 1 || o.check_frequency < 1 || o.max_check < 0 ||
      !(o.damp_limit >= 0) || !(o.head_error_limit >= 0) || !(o.flow_change_limit >= 0)) {
    return Status::Usage("solve options: accuracy must be positive, trials and check "
                         "frequency at least 1, limits not negative");
  }
  return Status::Ok();
}

}  // namespace

int Network::FindNode(std::string_view id) const { return FindId(nodes, id); }
int Network::FindLink(std::string_view id) const { return FindId(links, id); }
int Network::FindCurve(std::string_view id) const { return FindId(curves, id); }

Result<Solution> Solve(const Network& net, const SolveOptions& options) {
  HEAT_TRY(CheckOptions(options));
  HEAT_TRY(Validate(net));
  HEAT_ASSIGN(gga::Model m, gga::BuildModel(net, options));
  gga::State s = gga::InitialState(m);
  Outcome out = Iterate(m, s);
  if (out.trials == 0 || out.singular_node >= 0) {
    std::string at = out.singular_node >= 0 ? " at junction " + net.nodes[out.singular_node].id : "";
    return Status::Failure("the equations are singular" + at +
                           ": a part of the network is cut off by closed links or valves");
  }
  if (!out.converged) {
    return Status::Failure("the network did not converge in " +
                           std::to_string(options.max_trials) + " trials (relative flow change " +
                           gga::Num(out.relerr) + ", accuracy " + gga::Num(options.accuracy) + ")");
  }
  return ToSi(net, m, s, out);
}

const char* LinkStateName(LinkState s) {
  switch (s) {
    case LinkState::kXHead: return "XHEAD";
    case LinkState::kTempClosed: return "TEMPCLOSED";
    case LinkState::kClosed: return "CLOSED";
    case LinkState::kOpen: return "OPEN";
    case LinkState::kActive: return "ACTIVE";
    case LinkState::kXFcv: return "XFCV";
    case LinkState::kXPressure: return "XPRESSURE";
  }
  return "?";
}

const char* ValveTypeName(ValveType t) {
  switch (t) {
    case ValveType::kPRV: return "PRV";
    case ValveType::kPSV: return "PSV";
    case ValveType::kPBV: return "PBV";
    case ValveType::kFCV: return "FCV";
    case ValveType::kTCV: return "TCV";
    case ValveType::kGPV: return "GPV";
  }
  return "?";
}

}  // namespace heat::analysis
