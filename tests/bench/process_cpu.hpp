#pragma once

// The CPU time benchmarks report: this process's user+sys seconds so far
// (/proc/self/stat fields 14 and 15), so two readings bracket a window.

#include <unistd.h>

#include <fstream>
#include <string>

namespace amoc::bench {

inline double cpu_seconds() {
  std::ifstream stat{"/proc/self/stat"};
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 1; i <= 15 && stat >> field; ++i) {
    if (i == 14)
      utime = std::stoull(field);
    if (i == 15)
      stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace amoc::bench
