#pragma once

// Files of apps/amoc/rest/src/assets, embedded at build time (see
// libamoc/CMakeLists.txt): the gateway serves them with no file access.

#include <string_view>

namespace amoc::rest::assets {

extern const std::string_view dashboard_html;
extern const std::string_view api_docs_html;
extern const std::string_view openapi_json;

}  // namespace amoc::rest::assets
