#pragma once

/// Data forms (XEP-0004) as the other families use them: MUC room
/// configuration, PubSub node configuration, MAM filters. Fields are
/// var/value pairs; a form is written as a submission and read from any
/// received `<x xmlns='jabber:x:data'/>`.
///
///   auto config = stanzas::muc_config_submit(room, {{"muc#roomconfig_persistentroom", {"1"}}});

#include <string>
#include <string_view>
#include <vector>

#include "amoc/xmpp/read_result.hpp"
#include <pugixml.hpp>

namespace amoc::xmpp {

/// One field of a data form (XEP-0004 §3.2).
struct form_field {
  std::string var;                  ///< the field's name, e.g. "muc#roomconfig_maxusers"
  std::vector<std::string> values;  ///< its values (one for most types, several for list-multi)
  std::string type = {};            ///< boolean, text-single, hidden, ...; "" when not given
};

/// A received data form: its type, FORM_TYPE and fields.
struct data_form {
  std::string type;                ///< form, submit, cancel or result
  std::string form_type;           ///< the hidden FORM_TYPE field's value, "" when absent
  std::vector<form_field> fields;  ///< every field but FORM_TYPE, in document order

  /// The first value of field `var`; "" when the field or its value is missing.
  [[nodiscard]] std::string_view value(std::string_view var) const;
  /// Whether the form has a field `var`.
  [[nodiscard]] bool has(std::string_view var) const;
};

/// `<x xmlns='jabber:x:data' type='submit'>` with a hidden FORM_TYPE (left
/// out when empty) and `fields`, escaped. Throws `std::invalid_argument` on a
/// field without a var.
[[nodiscard]] std::string submit_form_xml(std::string_view form_type,
                                          const std::vector<form_field>& fields);

/// Reads a `<x xmlns='jabber:x:data'/>` element; an error names what is
/// missing (no form, a field without var).
[[nodiscard]] read_result<data_form> read_data_form(pugi::xml_node x);

}  // namespace amoc::xmpp
