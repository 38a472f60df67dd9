# The scenario plugin SDK of this build tree (build/sdk/): what
# `amoc scenarios build` needs to compile a scenario against this amoc.
#   amoc-sdk.cmake       headers, compiler, flags and ABI tag (generated here)
#   project/             the CMake project that builds a folder of scenarios
# An installed amoc (issue 10) ships the same two files with install paths.

# The tag the loader checks: plugins must be built by the same amoc version,
# compiler and sanitizers as the binary that loads them.
string(REGEX MATCH "^[0-9]+" _amoc_compiler_major "${CMAKE_CXX_COMPILER_VERSION}")
if(AMOC_SANITIZE)
  set(_amoc_flavour asan+ubsan)
else()
  set(_amoc_flavour plain)
endif()
set(AMOC_PLUGIN_ABI
    "amoc ${PROJECT_VERSION} ${CMAKE_CXX_COMPILER_ID}-${_amoc_compiler_major} ${_amoc_flavour}")
set(AMOC_SDK_DIR ${PROJECT_BINARY_DIR}/sdk)

# Plugins compile with the flags amoc compiles with (so an ASan amoc gets ASan
# plugins) and see the scenario-facing headers only.
function(amoc_write_sdk)
  get_directory_property(AMOC_SDK_COMPILE_OPTIONS DIRECTORY ${PROJECT_SOURCE_DIR} COMPILE_OPTIONS)
  get_directory_property(AMOC_SDK_LINK_OPTIONS DIRECTORY ${PROJECT_SOURCE_DIR} LINK_OPTIONS)
  set(AMOC_SDK_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/libamoc/include ${PROJECT_SOURCE_DIR}/xmpp/include)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/plugins/amoc-sdk.cmake.in
                 ${AMOC_SDK_DIR}/amoc-sdk.cmake @ONLY)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/plugins/project/CMakeLists.txt
                 ${AMOC_SDK_DIR}/project/CMakeLists.txt COPYONLY)
endfunction()
amoc_write_sdk()
