// heatd-forecast — heat-load and supply-temperature forecasts for every
// heat source and station, issued every hour; `heatd-forecast backtest`
// judges the model on a history file. See heatd-forecast(8).
#include "heat/forecastd/daemon.h"

int main(int argc, char** argv) { return heat::forecastd::ForecastMain(argc, argv); }
