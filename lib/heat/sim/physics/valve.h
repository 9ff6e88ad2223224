// sim/physics/valve.h — an electric control valve (DEV-3) on the primary
// side of a station: Kvs, linear or equal-percentage characteristic,
// authority, an actuator with a stroke time, position feedback, a local
// forced-manual switch, a stroke check, and faults (stuck, slow, drifting
// feedback).
//
// Not thread-safe; one station's model owns its valve. All times are
// simulated seconds advanced by Step(dt); nothing reads a clock.
#pragma once

namespace heat::sim::physics {

enum class Characteristic { kLinear, kEqualPercentage };

struct ValveParams {
  double kvs_m3h = 100;            // flow at 1 bar across the fully open valve
  Characteristic characteristic = Characteristic::kEqualPercentage;
  double rangeability = 50;        // equal-percentage: kv(0+) = kvs / rangeability
  double authority = 0.5;          // Δp(valve open) / Δp(branch) at design, (0, 1]
  double stroke_time_s = 120;      // 0 -> 100 % at full speed
};

enum class ValveFault { kNone, kStuck, kSlow, kDriftingFeedback };

// The answer to a command: accepted (forced manual refuses) and the value
// the valve reports as applied. A stuck valve acknowledges its new setpoint
// but does not move: only its feedback tells.
struct ValveAck {
  bool accepted = false;
  double applied_pct = 0;
};

enum class StrokeCheck { kIdle, kClosing, kOpening, kReturning, kPassed, kFailed };

class Valve {
 public:
  explicit Valve(const ValveParams& p, double position_pct = 50);

  ValveAck Command(double setpoint_pct);  // clamped to [0, 100]
  // Local forced manual: commands are refused and the valve goes to
  // manual_pct, as a person at the control box set it.
  void SetForcedManual(bool on, double manual_pct);
  void SetFault(ValveFault f) { fault_ = f; }
  // Runs the valve fully closed, fully open and back; passes when each end
  // is reached within 1.5 stroke times. Refused (false) in forced manual.
  bool StartStrokeCheck();

  void Step(double dt_s);

  // Flow through the branch (valve + fixed resistance of exchanger and
  // pipes) at the available differential pressure dp_kpa, with the branch
  // designed so that the open valve takes `authority` of it: relative
  // flow 1/sqrt((1-a) + a/k²) where k = kv/kvs at the current position.
  double FlowM3h(double dp_kpa) const;
  double RelativeKv() const;  // kv/kvs at the true position, in [0, 1]

  double position_pct() const { return position_; }    // true position
  double feedback_pct() const;                           // what the 4-20 mA says
  double setpoint_pct() const { return setpoint_; }
  bool forced_manual() const { return manual_; }
  StrokeCheck stroke_check() const { return check_; }
  double stroke_check_s() const { return check_s_; }      // time of the last check
  const ValveParams& params() const { return p_; }

 private:
  void MoveToward(double target, double dt_s);
  void StepStrokeCheck(double dt_s);

  ValveParams p_;
  double position_;
  double setpoint_;
  bool manual_ = false;
  ValveFault fault_ = ValveFault::kNone;
  double drift_pct_ = 0;        // feedback error accumulated while drifting
  StrokeCheck check_ = StrokeCheck::kIdle;
  double check_s_ = 0;          // time in the current check
  double check_leg_s_ = 0;      // time in the current leg
  double check_return_ = 0;     // position to return to
};

}  // namespace heat::sim::physics
