#pragma once

// Files of apps/amoc/rest/src/assets, embedded at build time (see
// apps/amoc/rest/CMakeLists.txt): the gateway serves them with no file access.

#include <string_view>

namespace amoc::rest::assets {

extern const std::string_view dashboard_html;
extern const std::string_view api_docs_html;
extern const std::string_view openapi_json;

// Swagger UI, the API explorer of api_docs.html (third_party/swagger-ui), and
// the licences it comes with.
extern const std::string_view swagger_ui_bundle_js;
extern const std::string_view swagger_ui_css;
extern const std::string_view LICENSE;
extern const std::string_view NOTICE;
extern const std::string_view swagger_ui_bundle_js_LICENSE_txt;

}  // namespace amoc::rest::assets
