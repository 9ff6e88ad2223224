#include "heat/ctl/forecast_svg.h"

#include "heat/core/escape.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace heat::ctl {
namespace {

constexpr double kWidth = 960, kHeight = 440;
constexpr double kLeft = 80, kRight = 24, kTop = 66, kBottom = 80;
constexpr const char* kBandColour = "#9ecae1";
constexpr const char* kForecastColour = "#08519c";
constexpr const char* kActualColour = "#d95f02";

std::string Escape(const std::string& s) { return EscapeMarkup(s); }

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::abs(v) < 1e-9 ? 0.0 : v);
  return buf;
}

// Where values go on the page.
struct Scale {
  size_t n = 1;
  double y0 = 0, y1 = 1;
  double X(size_t i) const {
    double w = kWidth - kLeft - kRight;
    return n < 2 ? kLeft + w / 2 : kLeft + w * static_cast<double>(i) / static_cast<double>(n - 1);
  }
  double Y(double v) const { return kHeight - kBottom - (kHeight - kTop - kBottom) * (v - y0) / (y1 - y0); }
};

std::string Point(const Scale& s, size_t i, double v) { return Num(s.X(i)) + "," + Num(s.Y(v)); }

void Band(std::ostream& out, const Chart& c, const Scale& s) {
  std::string pts;
  for (size_t i = 0; i < c.hours.size(); ++i) pts += (i ? " " : "") + Point(s, i, c.hours[i].hi);
  for (size_t i = c.hours.size(); i-- > 0;) pts += " " + Point(s, i, c.hours[i].lo);
  out << "<polygon class=\"band\" fill=\"" << kBandColour << "\" fill-opacity=\"0.6\" stroke=\"none\" points=\""
      << pts << "\"/>\n";
}

void Lines(std::ostream& out, const Chart& c, const Scale& s) {
  std::string pts;
  for (size_t i = 0; i < c.hours.size(); ++i) pts += (i ? " " : "") + Point(s, i, c.hours[i].load);
  out << "<polyline class=\"forecast\" fill=\"none\" stroke=\"" << kForecastColour
      << "\" stroke-width=\"2\" points=\"" << pts << "\"/>\n";
  // The actual, one polyline per run of known hours.
  for (size_t i = 0; i < c.hours.size();) {
    if (std::isnan(c.hours[i].actual)) { ++i; continue; }
    std::string run;
    for (; i < c.hours.size() && !std::isnan(c.hours[i].actual); ++i)
      run += (run.empty() ? "" : " ") + Point(s, i, c.hours[i].actual);
    out << "<polyline class=\"actual\" fill=\"none\" stroke=\"" << kActualColour
        << "\" stroke-width=\"2\" points=\"" << run << "\"/>\n";
  }
}

void YAxis(std::ostream& out, const Scale& s, const std::vector<double>& ticks) {
  for (double t : ticks) {
    out << "<line stroke=\"#ddd\" x1=\"" << Num(kLeft) << "\" x2=\"" << Num(kWidth - kRight) << "\" y1=\""
        << Num(s.Y(t)) << "\" y2=\"" << Num(s.Y(t)) << "\"/>\n";
    out << "<text text-anchor=\"end\" x=\"" << Num(kLeft - 6) << "\" y=\"" << Num(s.Y(t) + 4) << "\">" << Label(t)
        << "</text>\n";
  }
  out << "<text text-anchor=\"middle\" transform=\"translate(18," << Num((kTop + kHeight - kBottom) / 2)
      << ") rotate(-90)\">kW</text>\n";
}

// Ticks every few hours, at most about a dozen, each with its time and,
// on the first and where the day changes, the day below it.
void XAxis(std::ostream& out, const Chart& c, const Scale& s) {
  size_t step = 48;
  for (size_t k : {1, 2, 3, 6, 12, 24})
    if (c.hours.size() / k <= 12) { step = k; break; }
  double base = kHeight - kBottom;
  std::string last_day;
  for (size_t i = 0; i < c.hours.size(); i += step) {
    const ChartHour& h = c.hours[i];
    out << "<line stroke=\"#333\" x1=\"" << Num(s.X(i)) << "\" x2=\"" << Num(s.X(i)) << "\" y1=\"" << Num(base)
        << "\" y2=\"" << Num(base + 5) << "\"/>\n";
    out << "<text text-anchor=\"middle\" x=\"" << Num(s.X(i)) << "\" y=\"" << Num(base + 18) << "\">"
        << Escape(h.time) << "</text>\n";
    if (h.day != last_day)
      out << "<text text-anchor=\"middle\" x=\"" << Num(s.X(i)) << "\" y=\"" << Num(base + 32) << "\">"
          << Escape(h.day) << "</text>\n";
    last_day = h.day;
  }
  out << "<line stroke=\"#333\" x1=\"" << Num(kLeft) << "\" x2=\"" << Num(kWidth - kRight) << "\" y1=\""
      << Num(base) << "\" y2=\"" << Num(base) << "\"/>\n";
  out << "<line stroke=\"#333\" x1=\"" << Num(kLeft) << "\" x2=\"" << Num(kLeft) << "\" y1=\"" << Num(kTop)
      << "\" y2=\"" << Num(base) << "\"/>\n";
  out << "<text text-anchor=\"middle\" x=\"" << Num((kLeft + kWidth - kRight) / 2) << "\" y=\"" << Num(base + 56)
      << "\">" << Escape(c.x_axis) << "</text>\n";
}

void Legend(std::ostream& out) {
  double x = kWidth - kRight - 300, y = 46;
  out << "<g class=\"legend\">\n"
      << "<rect x=\"" << Num(x) << "\" y=\"" << Num(y - 9) << "\" width=\"18\" height=\"10\" fill=\"" << kBandColour
      << "\" fill-opacity=\"0.6\"/>\n"
      << "<text x=\"" << Num(x + 24) << "\" y=\"" << Num(y) << "\">band</text>\n"
      << "<line x1=\"" << Num(x + 80) << "\" x2=\"" << Num(x + 98) << "\" y1=\"" << Num(y - 4) << "\" y2=\""
      << Num(y - 4) << "\" stroke=\"" << kForecastColour << "\" stroke-width=\"2\"/>\n"
      << "<text x=\"" << Num(x + 104) << "\" y=\"" << Num(y) << "\">forecast kW</text>\n"
      << "<line x1=\"" << Num(x + 200) << "\" x2=\"" << Num(x + 218) << "\" y1=\"" << Num(y - 4) << "\" y2=\""
      << Num(y - 4) << "\" stroke=\"" << kActualColour << "\" stroke-width=\"2\"/>\n"
      << "<text x=\"" << Num(x + 224) << "\" y=\"" << Num(y) << "\">actual kW</text>\n"
      << "</g>\n";
}

// The value range shown: every band, forecast and actual value, widened
// to round ticks (a flat series gets a range of its own).
std::vector<double> Range(const Chart& c) {
  double lo = INFINITY, hi = -INFINITY;
  for (const ChartHour& h : c.hours) {
    for (double v : {h.lo, h.hi, h.load, h.actual})
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi - lo < 1e-9) lo -= 1, hi += 1;
  return NiceTicks(lo, hi, 6);
}

}  // namespace

std::vector<double> NiceTicks(double lo, double hi, int want) {
  double raw = (hi - lo) / std::max(1, want);
  if (!(raw > 0) || !std::isfinite(raw)) return {lo, hi};
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag * 10;
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * mag) { step = m * mag; break; }
  std::vector<double> ticks;
  double first = std::floor(lo / step);
  for (double k = first; k * step < hi + step * 0.999; k += 1) ticks.push_back(k * step);
  return ticks;
}

std::string ForecastSvg(const Chart& c) {
  std::vector<double> ticks = Range(c);
  Scale s{std::max<size_t>(c.hours.size(), 1), ticks.front(), ticks.back()};
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" viewBox=\"0 0 " << kWidth << " " << kHeight << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<title>" << Escape(c.title) << "</title>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << Num(kLeft) << "\" y=\"22\" font-size=\"15\">" << Escape(c.title) << "</text>\n";
  YAxis(out, s, ticks);
  if (!c.hours.empty()) Band(out, c, s);
  XAxis(out, c, s);
  if (!c.hours.empty()) Lines(out, c, s);
  Legend(out);
  out << "</svg>\n";
  return out.str();
}

}  // namespace heat::ctl
