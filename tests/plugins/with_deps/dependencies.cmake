# The contract: find what the scenarios need, append it to AMOC_SCENARIO_LIBRARIES.
find_package(ZLIB REQUIRED)
list(APPEND AMOC_SCENARIO_LIBRARIES ZLIB::ZLIB)
