#include "amoc/xmpp/roster.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "xml_shape.hpp"

using namespace amoc::xmpp;
namespace st = amoc::xmpp::stanzas;
using amoc::xmpp::test::built_shape;
using amoc::xmpp::test::shape;

namespace {

// Captured from Prosody (spec/scansion/pep_publish_subscribe.scs): the pushes
// of a subscription handshake, pending then mutual, and the presences.
const stanza prosody_push_pending{
  "<iq type='set' id='lx11'><query ver='1' xmlns='jabber:iq:roster'>"
  "<item ask='subscribe' jid='pep-test-tqvqu_pv@localhost' subscription='none'/></query></iq>"};
const stanza prosody_push_both{
  "<iq type='set' id='lx17'><query ver='4' xmlns='jabber:iq:roster'>"
  "<item jid='pep-test-tqvqu_pv@localhost' subscription='both'/></query></iq>"};
const stanza prosody_subscribe{
  "<presence type='subscribe' from='pep-test-wjebo4kg@localhost' "
  "to='pep-test-tqvqu_pv@localhost'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
  "ver='PDH7CGVPRERS2WUqBD18PHGEzaY=' node='http://code.matthewwild.co.uk/verse/'/></presence>"};
const stanza prosody_subscribed{"<presence type='subscribed' from='pep-test-tqvqu_pv@localhost' "
                                "to='pep-test-wjebo4kg@localhost'/>"};
// Prosody (spec/scansion/basic_roster.scs): an empty versioned roster.
const stanza prosody_empty_roster{
  R"(<iq type="result" id="roster1"><query ver='1' xmlns="jabber:iq:roster"/></iq>)"};
// RFC 6121 Example 2.1.4 (as ejabberd sends it): a roster with groups and names.
const stanza rfc_roster{
  "<iq id='bv1bs71f' to='juliet@example.com/chamber' type='result'>"
  "<query xmlns='jabber:iq:roster' ver='ver11'>"
  "<item jid='romeo@example.net' name='Romeo' subscription='both'><group>Friends</group></item>"
  "<item jid='mercutio@example.com' name='Mercutio' subscription='from'/>"
  "<item jid='benvolio@example.net' name='Benvolio'/></query></iq>"};

std::string context(const auto& result) {
  return result ? std::string{"accepted"} : result.error();
}

}  // namespace

TEST(roster_builders, roster_and_subscriptions) {
  EXPECT_EQ(built_shape(st::roster_get().xml()),
            shape("<iq type='get'><query xmlns='jabber:iq:roster'/></iq>"));
  EXPECT_EQ(built_shape(st::roster_add("nurse@localhost", "Nurse", {"Friends"}).xml()),
            shape("<iq type='set'><query xmlns='jabber:iq:roster'><item jid='nurse@localhost' "
                  "name='Nurse'><group>Friends</group></item></query></iq>"));
  EXPECT_EQ(built_shape(st::roster_remove("nurse@localhost").xml()),
            shape("<iq type='set'><query xmlns='jabber:iq:roster'><item jid='nurse@localhost' "
                  "subscription='remove'/></query></iq>"));
  for (const char* type : {"subscribe", "subscribed", "unsubscribe", "unsubscribed"}) {
    const auto s = std::string_view{type} == "subscribe"     ? st::subscribe("b@localhost")
                   : std::string_view{type} == "subscribed"  ? st::subscribed("b@localhost")
                   : std::string_view{type} == "unsubscribe" ? st::unsubscribe("b@localhost")
                                                             : st::unsubscribed("b@localhost");
    EXPECT_EQ(built_shape(s.xml()),
              shape(std::string{"<presence to='b@localhost' type='"} + type + "'/>"));
    EXPECT_FALSE(s.id().empty()) << type;  // RFC 6121 §3.1.1: should carry an id
  }
  EXPECT_THROW((void)st::roster_add(""), std::invalid_argument);
}

TEST(roster_readers, results_and_pushes) {
  auto r = read_roster(rfc_roster);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->ver, "ver11");
  ASSERT_EQ(r->items.size(), 3u);
  EXPECT_EQ(r->items[0].jid, "romeo@example.net");
  EXPECT_EQ(r->items[0].name, "Romeo");
  EXPECT_EQ(r->items[0].subscription, "both");
  EXPECT_EQ(r->items[0].groups, (std::vector<std::string>{"Friends"}));
  EXPECT_EQ(r->items[2].subscription, "none");  // absent means none (RFC 6121 §2.1.2.5)
  auto empty = read_roster(prosody_empty_roster);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->items.empty());
  auto pending = read_roster(prosody_push_pending);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->items.at(0).ask, "subscribe");
  EXPECT_EQ(pending->items.at(0).subscription, "none");
  EXPECT_EQ(read_roster(prosody_push_both)->items.at(0).subscription, "both");
}

TEST(roster_readers, malformed_rosters_give_errors_naming_the_problem) {
  EXPECT_NE(context(read_roster(prosody_subscribe)).find("no iq with <query"), std::string::npos);
  EXPECT_NE(context(read_roster(stanza{"<iq type='set'><query xmlns='jabber:iq:roster'>"
                                       "<item name='x'/></query></iq>"}))
              .find("an item without a jid"),
            std::string::npos);
  EXPECT_NE(context(read_roster(stanza{"<iq type='set'><query xmlns='jabber:iq:roster'>"
                                       "<item jid='a@b' subscription='all'/></query></iq>"}))
              .find("subscription 'all'"),
            std::string::npos);
  EXPECT_NE(context(read_roster(stanza{"<iq type='error' id='r'><error type='cancel'>"
                                       "<not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-"
                                       "stanzas'/></error></iq>"}))
              .find("error not-allowed"),
            std::string::npos);
}

TEST(roster_predicates, pushes_and_subscription_presences) {
  EXPECT_TRUE(is::roster_push_for("pep-test-tqvqu_pv@localhost")(prosody_push_pending));
  EXPECT_TRUE(is::roster_push_for("PEP-test-tqvqu_pv@localhost")(prosody_push_both));
  EXPECT_FALSE(is::roster_push_for("other@localhost")(prosody_push_both));
  EXPECT_FALSE(is::roster_push_for("romeo@example.net")(rfc_roster));  // a result, not a push
  EXPECT_TRUE(is::roster_push_for("b@localhost")(
    stanza{"<iq type='set' id='p' from='a@localhost'><query xmlns='jabber:iq:roster'>"
           "<item jid='b@localhost'/></query></iq>"}));
  EXPECT_FALSE(is::roster_push_for("b@localhost")(
    stanza{"<iq type='set' id='p' from='mallory@localhost/x'><query xmlns='jabber:iq:roster'>"
           "<item jid='b@localhost'/></query></iq>"}));
  EXPECT_TRUE(is::subscription("subscribe", "pep-test-wjebo4kg@localhost")(prosody_subscribe));
  EXPECT_FALSE(is::subscription("subscribed", "pep-test-wjebo4kg@localhost")(prosody_subscribe));
  EXPECT_FALSE(is::subscription("subscribe", "someone@localhost")(prosody_subscribe));
  EXPECT_TRUE(is::subscription("subscribed", "pep-test-tqvqu_pv@localhost")(prosody_subscribed));
  EXPECT_THROW((void)is::subscription("probe", "a@b"), std::invalid_argument);
  EXPECT_THROW((void)is::subscription("subscribe", "a@b/"), std::invalid_argument);
}
