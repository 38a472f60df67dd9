#include "amoc/xmpp/mam.hpp"

#include "amoc/xmpp/namespaces.hpp"
#include "builder_kit.hpp"

namespace amoc::xmpp {

namespace stanzas {

using namespace detail;

stanza mam_query(std::string_view query_id, const mam_filter& f) {
  require(f.after.empty() || (f.before.empty() && !f.last_page),
          "mam_query: 'after' and 'before' exclude each other (XEP-0059 §2)");
  xml_writer w{estimate(320, {query_id, f.with, f.after, f.before, f.to})};
  open_iq(w, "set", f.to, {}).end_open();
  w.open("query").attr("xmlns", ns::mam).attr_if("queryid", query_id);
  const bool has_form = !f.with.empty() || f.start || f.end;
  const bool has_rsm = f.max != 0 || !f.after.empty() || !f.before.empty() || f.last_page;
  if (!has_form && !has_rsm)
    return w.end_empty().close("iq").to_stanza();
  w.end_open();
  if (has_form) {
    // XEP-0313 §4.1: filters travel in a data form (XEP-0004) of FORM_TYPE urn:xmpp:mam:2.
    w.open("x").attr("xmlns", ns::data_forms).attr("type", "submit").end_open();
    write_form_field(w, "FORM_TYPE", ns::mam, true);
    if (!f.with.empty())
      write_form_field(w, "with", f.with);
    if (f.start)
      write_form_field(w, "start", xep0082_datetime(*f.start));
    if (f.end)
      write_form_field(w, "end", xep0082_datetime(*f.end));
    w.close("x");
  }
  if (has_rsm) {
    w.open("set").attr("xmlns", ns::rsm).end_open();
    if (f.max != 0)
      w.text_element("max", std::to_string(f.max));
    if (!f.after.empty())
      w.text_element("after", f.after);
    if (!f.before.empty())
      w.text_element("before", f.before);
    else if (f.last_page)
      w.raw("<before/>");
    w.close("set");
  }
  return w.close("query").close("iq").to_stanza();
}

stanza mam_query(std::string_view query_id, std::string_view with, std::uint32_t max,
                 std::string_view after, std::string_view to) {
  return mam_query(query_id, mam_filter{.with = with, .max = max, .after = after, .to = to});
}

std::string mam_datetime(time_point t) { return xep0082_datetime(t); }

}  // namespace stanzas

read_result<archived_message> read_mam_message(const stanza& s) {
  if (s.name() != "message")
    return detail::malformed("MAM result: not a <message/>", s);
  const auto result = s.child("result", ns::mam);
  if (!result)
    return detail::malformed("MAM result: no <result xmlns='urn:xmpp:mam:2'/>", s);
  archived_message out;
  out.query_id = result.attribute("queryid").value();
  out.archive_id = result.attribute("id").value();
  if (out.archive_id.empty())
    return detail::malformed("MAM result: <result/> without an id (XEP-0313 §4.2)", s);
  const auto forwarded = find_child(result, "forwarded", ns::forward);
  const auto message = forwarded.child("message");
  if (!message)
    return detail::malformed("MAM result: no <forwarded><message/> (XEP-0297)", s);
  if (const auto delay = find_child(forwarded, "delay", ns::delay)) {
    out.stamp = detail::parse_xep0082_datetime(delay.attribute("stamp").value());
    if (!out.stamp)
      return detail::malformed(
        "MAM result: the delay stamp is not an XEP-0082 DateTime in 1678..2261", s);
  }
  out.message = stanza{detail::to_xml(message), s.received_at()};
  return out;
}

read_result<mam_end> read_mam_fin(const stanza& s) {
  if (s.name() == "iq" && s.type() == "error")
    return detail::error_reply("MAM query", s);
  const auto fin = s.child("fin", ns::mam);
  if (s.name() != "iq" || s.type() != "result" || !fin)
    return detail::malformed("MAM query end: no iq result with <fin xmlns='urn:xmpp:mam:2'/>", s);
  mam_end out;
  const std::string_view complete = fin.attribute("complete").value();
  out.complete = complete == "true" || complete == "1";
  auto page = read_rsm_page(fin);
  if (!page)
    return read_error{page.error()};
  out.page = std::move(*page);
  return out;
}

}  // namespace amoc::xmpp
