#pragma once

// Code two scenarios of the folder share: built into each plugin of it.
namespace with_common {

/// How many steps a user of either scenario counts.
int steps_per_user();

}  // namespace with_common
