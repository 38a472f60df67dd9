#pragma once

/// `amoc::phase_error<Phase>`: a protocol client's failure naming the phase it
/// happened in, so a load test counts failures per phase (`<protocol>.failures.<phase>`)
/// and a user that ends on one says where: "xmpp sasl: not-authorized". Each
/// client defines its `phase` enum with `to_string(phase)` and
/// `protocol_of(phase)` beside it (found by argument-dependent lookup).

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace amoc {

/// "<protocol> <phase>: <condition>", with " (<detail>)" when there is one.
[[nodiscard]] std::string describe_phase_failure(std::string_view protocol, std::string_view phase,
                                                 std::string_view condition,
                                                 std::string_view detail);

/// A failure in phase `p`. It is an exception type: uncaught, it ends the user
/// with reason `scenario_error` and this message.
template <class Phase>
class phase_error : public std::runtime_error {
public:
  /// `condition` is short and machine-friendly ("timeout", "not-authorized",
  /// "connection-closed"); `detail` says more for humans.
  phase_error(Phase p, std::string condition, std::string_view detail = {})
      : std::runtime_error(describe_phase_failure(protocol_of(p), to_string(p), condition, detail)),
        phase_(p), condition_(std::move(condition)) {}

  [[nodiscard]] Phase phase() const noexcept { return phase_; }
  [[nodiscard]] const std::string& condition() const noexcept { return condition_; }

private:
  Phase phase_;
  std::string condition_;
};

}  // namespace amoc
