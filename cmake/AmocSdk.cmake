# The scenario plugin SDK of this build tree (build/sdk/): what
# `amoc scenarios build` needs to compile a scenario against this amoc.
#   amoc-sdk.cmake       headers, compiler, flags and ABI tag (generated here)
#   project/             the CMake project that builds a folder of scenarios
# An installed amoc ships the same two files with install paths
# (share/amoc/sdk, written by cmake/AmocInstall.cmake).

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

# amoc_write_sdk(DIR INCLUDE_DIRS LAUNCHER) writes the SDK into DIR. Plugins
# compile with the flags amoc compiles with (so an ASan amoc gets ASan
# plugins) and see the scenario-facing headers only. The installed SDK
# (cmake/AmocInstall.cmake) passes include folders relative to itself, which
# the plugin build evaluates, and no launcher (ccache may be missing there).
function(amoc_write_sdk dir include_dirs launcher)
  get_directory_property(AMOC_SDK_COMPILE_OPTIONS DIRECTORY ${PROJECT_SOURCE_DIR} COMPILE_OPTIONS)
  get_directory_property(AMOC_SDK_LINK_OPTIONS DIRECTORY ${PROJECT_SOURCE_DIR} LINK_OPTIONS)
  set(AMOC_SDK_INCLUDE_DIRS "${include_dirs}")
  set(AMOC_SDK_COMPILER_LAUNCHER "${launcher}")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/plugins/amoc-sdk.cmake.in ${dir}/amoc-sdk.cmake
                 @ONLY)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/plugins/project/CMakeLists.txt
                 ${dir}/project/CMakeLists.txt COPYONLY)
endfunction()
amoc_write_sdk(${AMOC_SDK_DIR}
               "${PROJECT_SOURCE_DIR}/libamoc/include;${PROJECT_SOURCE_DIR}/libamoc/http/include;${PROJECT_SOURCE_DIR}/xmpp/include"
               "${CMAKE_CXX_COMPILER_LAUNCHER}")
