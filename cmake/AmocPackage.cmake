# `cpack -G DEB` in the build folder: amoc_VERSION_ARCH.deb with everything
# `cmake --install` puts under /usr (binary, libraries, headers, CMake and
# pkg-config packages, plugin SDK). tests/apps/deb_test.sh installs it into a
# fresh Debian 12 chroot.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME amoc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "amoc developers")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# A release package: no debug info (a RelWithDebInfo build's is most of its size).
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# Debian 12's runtime libraries of CAF 0.17, OpenSSL 3, pugixml and libedit (what the
# binary and libraries link; scripts/ansible's prepare.yml installs the same).
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libcaf-core0.17, libcaf-io0.17, libssl3, libpugixml1v5, libedit2, libstdc++6 (>= 12), libc6")
# Building scenario plugins (`amoc scenarios build`) and harnesses needs a
# compiler and the development headers amoc's headers include.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "g++ (>= 4:12), cmake (>= 3.25), ninja-build, pkg-config, libcaf-dev, libboost-dev, nlohmann-json3-dev, libpugixml-dev, libssl-dev")
include(CPack)
