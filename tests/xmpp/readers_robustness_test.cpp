// Every reader and predicate of the stanza families against damaged stanzas:
// each captured stanza cut short at every byte, and with each attribute and
// each element taken out in turn. None may crash (the sanitizer build checks
// memory too); a reader either reads a value or says why not.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "amoc/xmpp/stanzas.hpp"

using namespace amoc::xmpp;

namespace {

const std::vector<std::string> originals = {
  // MUC self-presence (Prosody), a room error (XEP-0045), a subject (Prosody).
  "<presence from='garden@conference.localhost/romeo'><x "
  "xmlns='http://jabber.org/protocol/muc#user'><status code='201'/><item affiliation='owner' "
  "jid='romeo@localhost/mK0dD6Ha' role='moderator'/><status code='110'/></x></presence>",
  "<presence from='coven@chat.shakespeare.lit/thirdwitch' type='error'><error type='cancel'>"
  "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>",
  "<message from='garden@conference.localhost' type='groupchat'><subject>s</subject></message>",
  // A MAM result and fin (XEP-0313).
  "<message><result xmlns='urn:xmpp:mam:2' queryid='f27' id='28482'><forwarded "
  "xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2010-07-10T23:08:25Z'/>"
  "<message xmlns='jabber:client' from='witch@shakespeare.lit'><body>Hail</body></message>"
  "</forwarded></result></message>",
  "<iq type='result' id='j1'><fin xmlns='urn:xmpp:mam:2' complete='true'><set "
  "xmlns='http://jabber.org/protocol/rsm'><first index='0'>a</first><last>b</last>"
  "<count>20</count></set></fin></iq>",
  // A PubSub event, publish result and items result (Prosody, XEP-0060).
  "<message from='pubsub.localhost'><event xmlns='http://jabber.org/protocol/pubsub#event'>"
  "<items node='n'><item id='i'><entry xmlns='urn:e'/></item><retract id='r'/></items>"
  "</event></message>",
  "<iq type='result' id='8'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish "
  "node='m'><item id='5f'/></publish></pubsub></iq>",
  "<iq type='result' id='i1'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items "
  "node='n'><item id='1'><e xmlns='urn:e'/></item></items></pubsub></iq>",
  // A roster push (Prosody) and a registration form with a data form (XEP-0077).
  "<iq type='set' id='p'><query ver='1' xmlns='jabber:iq:roster'><item ask='subscribe' "
  "jid='b@localhost' subscription='none'><group>g</group></item></query></iq>",
  "<iq type='result' id='r'><query xmlns='jabber:iq:register'><instructions>i</instructions>"
  "<username/><x xmlns='jabber:x:data' type='form'><field var='FORM_TYPE' type='hidden'>"
  "<value>jabber:iq:register</value></field><field var='first'/></x></query></iq>",
};

// `root` and its descendant elements, breadth first.
std::vector<pugi::xml_node> elements(pugi::xml_node root) {
  std::vector<pugi::xml_node> out{root};
  for (std::size_t i = 0; i < out.size(); ++i)
    for (auto c : out[i].children())
      if (c.type() == pugi::node_element)
        out.push_back(c);
  return out;
}

// `xml` cut short at every byte, then with each attribute and each element
// (but the root) removed, one at a time.
std::vector<std::string> damaged_copies(const std::string& xml) {
  std::vector<std::string> out;
  for (std::size_t cut = 0; cut < xml.size(); ++cut)
    out.push_back(xml.substr(0, cut));
  const stanza original{xml};
  const auto count = elements(original.root()).size();
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t attributes = 0;
    for ([[maybe_unused]] auto a : elements(original.root())[i].attributes())
      ++attributes;
    for (std::size_t a = 0; a < attributes; ++a) {
      stanza copy{xml};
      auto node = elements(copy.edit())[i];
      auto attr = node.first_attribute();
      for (std::size_t k = 0; k < a; ++k)
        attr = attr.next_attribute();
      node.remove_attribute(attr);
      out.push_back(copy.xml());
    }
    if (i > 0) {
      stanza copy{xml};
      auto node = elements(copy.edit())[i];
      node.parent().remove_child(node);
      out.push_back(copy.xml());
    }
  }
  return out;
}

// A reader's result: a value, or a non-empty reason.
template <class T>
bool answered(const read_result<T>& r) {
  return r.has_value() || !r.error().empty();
}

}  // namespace

TEST(readers_robustness, damaged_stanzas_give_values_or_reasons_never_crashes) {
  const std::vector<predicate> predicates = {
    is::muc_presence("garden@conference.localhost", "romeo", {110}),
    is::groupchat_from("garden@conference.localhost", "romeo"),
    is::muc_subject("garden@conference.localhost"),
    is::muc_error("coven@chat.shakespeare.lit", "conflict"),
    is::mam_result("f27"),
    is::mam_fin(),
    is::pubsub_event("pubsub.localhost", "n"),
    is::roster_push_for("b@localhost"),
    is::subscription("subscribe", "a@localhost"),
    is::registration_failed(stanza{"<iq id='r'/>"}, "conflict"),
  };
  std::size_t inputs = 0, read = 0;
  for (const auto& xml : originals) {
    for (const auto& damaged : damaged_copies(xml)) {
      ++inputs;
      const stanza s{damaged};
      for (const auto& p : predicates)
        (void)p(s);
      EXPECT_TRUE(answered(read_muc_presence(s))) << damaged;
      EXPECT_TRUE(answered(read_mam_message(s))) << damaged;
      EXPECT_TRUE(answered(read_mam_fin(s))) << damaged;
      EXPECT_TRUE(answered(read_pubsub_event(s))) << damaged;
      EXPECT_TRUE(answered(read_published_item_id(s))) << damaged;
      EXPECT_TRUE(answered(read_pubsub_items(s))) << damaged;
      EXPECT_TRUE(answered(read_roster(s))) << damaged;
      EXPECT_TRUE(answered(read_registration_form(s))) << damaged;
      (void)registration_failure(s);
      read += read_muc_presence(s).has_value() + read_mam_message(s).has_value()
              + read_pubsub_event(s).has_value() + read_roster(s).has_value();
    }
  }
  // Damage that leaves the stanza readable exists (an optional attribute
  // gone), so some inputs are read and many are refused.
  EXPECT_GT(inputs, 1500u);
  EXPECT_GT(read, 0u);
}
