#include "amoc/xmpp/data_form.hpp"

#include <algorithm>

#include "amoc/xmpp/namespaces.hpp"
#include "builder_kit.hpp"

namespace amoc::xmpp {

using detail::xml_writer;

std::string_view data_form::value(std::string_view var) const {
  for (const auto& f : fields)
    if (f.var == var)
      return f.values.empty() ? std::string_view{} : std::string_view{f.values.front()};
  return {};
}

bool data_form::has(std::string_view var) const {
  return std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return f.var == var; });
}

std::string submit_form_xml(std::string_view form_type, const std::vector<form_field>& fields) {
  xml_writer w{96 + 64 * fields.size()};
  w.open("x").attr("xmlns", ns::data_forms).attr("type", "submit").end_open();
  if (!form_type.empty())
    detail::write_form_field(w, "FORM_TYPE", form_type, true);
  for (const auto& f : fields) {
    detail::require(!f.var.empty(), "data form field without a var (XEP-0004 §3.2)");
    w.open("field").attr("var", f.var).attr_if("type", f.type);
    if (f.values.empty()) {
      w.end_empty();
      continue;
    }
    w.end_open();
    for (const auto& v : f.values)
      w.text_element("value", v);
    w.close("field");
  }
  return w.close("x").take();
}

read_result<data_form> read_data_form(pugi::xml_node x) {
  if (!x || std::string_view{x.name()} != "x" || x.attribute("xmlns").value() != ns::data_forms)
    return read_error{"not a data form (<x xmlns='jabber:x:data'/>)"};
  data_form form;
  form.type = x.attribute("type").value();
  for (auto f : x.children("field")) {
    form_field field{f.attribute("var").value(), {}, f.attribute("type").value()};
    // Fixed fields are labels without a var (XEP-0004 §3.3); any other needs one.
    if (field.var.empty()) {
      if (field.type == "fixed")
        continue;
      return read_error{"data form field without a var (XEP-0004 §3.2)"};
    }
    for (auto v : f.children("value"))
      field.values.emplace_back(v.text().get());
    if (field.var == "FORM_TYPE")
      form.form_type = field.values.empty() ? std::string{} : field.values.front();
    else
      form.fields.push_back(std::move(field));
  }
  return form;
}

}  // namespace amoc::xmpp
