# What `cmake --install build --prefix P` puts under P, for harnesses that
# link amoc (docs/library.md) and for `amoc scenarios build` run from P:
#   bin/amoc
#   lib/libamoc_*.so                        the libraries (shared, RPATH $ORIGIN/../lib)
#   include/amoc/...                        public headers (core, its sub-libraries, actors, xmpp, rest)
#   lib/cmake/amoc/                         amocConfig.cmake, version file, targets, FindCAF
#   lib/pkgconfig/amoc.pc                   the same for pkg-config users
#   share/amoc/sdk/                         the plugin SDK against the installed headers
#   share/amoc/configs/examples/            example run files
#   share/man/man1/amoc.1                   the man page (amoc help --man)

include(CMakePackageConfigHelpers)

set(AMOC_LIBRARIES amoc_core amoc_outputs amoc_actors amoc_runtime amoc_http amoc_xmpp amoc_plugins
                   amoc_web amoc_rest)
set(AMOC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/amoc)
set(AMOC_SDK_INSTALL_DIR ${CMAKE_INSTALL_DATADIR}/amoc/sdk)

foreach(lib ${AMOC_LIBRARIES})
  # The export names drop the prefix: amoc_core becomes amoc::core.
  string(REPLACE "amoc_" "" export_name ${lib})
  # 0.x: every minor version may change the ABI, so it is part of the soname.
  set_target_properties(${lib} PROPERTIES EXPORT_NAME ${export_name}
                        SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
  target_include_directories(${lib} INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${lib} PUBLIC cxx_std_20)
endforeach()

install(TARGETS ${AMOC_LIBRARIES} EXPORT amocTargets LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS amoc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_BINARY_DIR}/apps/amoc.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# Every library's public headers (scripts/check-layout keeps the folders honest).
foreach(dir libamoc/include libamoc/http/include libamoc/outputs/include libamoc/plugins/include
            libamoc/web/include actors/include xmpp/include apps/amoc/rest/include)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/amoc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/configs/examples
        DESTINATION ${CMAKE_INSTALL_DATADIR}/amoc/configs)

# The CMake package: targets, their dependencies, and FindCAF.cmake since
# Debian's CAF ships no config of its own.
install(EXPORT amocTargets NAMESPACE amoc:: DESTINATION ${AMOC_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/amocConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/package/amocConfig.cmake
                              INSTALL_DESTINATION ${AMOC_CMAKE_DIR})
# Until 1.0 a minor version may break the API: only the same minor matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/amocConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/amocConfig.cmake
              ${PROJECT_BINARY_DIR}/package/amocConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindCAF.cmake
        DESTINATION ${AMOC_CMAKE_DIR})

# pkg-config: the prefix is found relative to the .pc file, so the package
# works wherever it is unpacked.
file(RELATIVE_PATH AMOC_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/amoc.pc.in ${PROJECT_BINARY_DIR}/package/amoc.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/amoc.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The plugin SDK with install paths: headers found relative to the SDK itself.
file(RELATIVE_PATH AMOC_SDK_TO_INCLUDE /prefix/${AMOC_SDK_INSTALL_DIR}
     /prefix/${CMAKE_INSTALL_INCLUDEDIR})
amoc_write_sdk(${PROJECT_BINARY_DIR}/package/sdk "\${CMAKE_CURRENT_LIST_DIR}/${AMOC_SDK_TO_INCLUDE}" "")
install(DIRECTORY ${PROJECT_BINARY_DIR}/package/sdk/ DESTINATION ${AMOC_SDK_INSTALL_DIR})
# An installed libamoc_plugins finds that SDK relative to its own file.
file(RELATIVE_PATH AMOC_SDK_FROM_LIBDIR /prefix/${CMAKE_INSTALL_LIBDIR} /prefix/${AMOC_SDK_INSTALL_DIR})
target_compile_definitions(amoc_plugins PRIVATE AMOC_SDK_FROM_LIBDIR="${AMOC_SDK_FROM_LIBDIR}")
# The amoc binary, for loading an uploaded plugin in a child process first.
file(RELATIVE_PATH AMOC_BIN_FROM_LIBDIR /prefix/${CMAKE_INSTALL_LIBDIR} /prefix/${CMAKE_INSTALL_BINDIR})
target_compile_definitions(amoc_plugins PRIVATE AMOC_BIN_FROM_LIBDIR="${AMOC_BIN_FROM_LIBDIR}")
