#pragma once

/// `amoc run --csv FILE`: a run's time series as CSV (RFC 4180 quoting, line
/// feeds between lines), one row per sampling interval and metric, for
/// spreadsheets, pandas or gnuplot:
///
///   t_s,interval_s,metric,kind,count,rate,value,min_ms,mean_ms,p50_ms,p90_ms,p95_ms,p99_ms,p999_ms,max_ms
///   1,1,users.started,counter,30,30,,,,,,,,,
///   1,1,users.running,gauge,,,30,,,,,,,,
///   1,1,xmpp.ttd,histogram,120,120,,0.41,2.1,1.9,3.2,3.8,5.1,7.9,8.2
///
///   t_s         end of the interval, seconds since the users started
///   interval_s  its length (the last one may be shorter; the first, a sample
///               as the users start, may be 0 long: its rates are 0)
///   counter     count: added in the interval; rate: count per second of it
///   gauge       value: at the end of the interval (empty before the gauge existed)
///   histogram   count and rate of the samples in the interval; min, mean and
///               percentiles in milliseconds (empty when it had none)
///
/// Rows go by interval, then counters, gauges and histograms, each by name.
/// Cells that do not apply to a kind are empty.

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace amoc {

/// The header line of `series_csv`, without its line end.
[[nodiscard]] const std::string& series_csv_header();

/// The CSV of the `series` of a result document (amoc/result_json.hpp):
/// the header and a row per interval and metric, each line ending in a line feed.
[[nodiscard]] std::string series_csv(const nlohmann::json& result);

}  // namespace amoc
