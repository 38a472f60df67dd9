#include "amoc/xmpp/pubsub.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>

#include "xml_shape.hpp"

using namespace amoc::xmpp;
namespace st = amoc::xmpp::stanzas;
using amoc::xmpp::test::built_shape;
using amoc::xmpp::test::shape;

namespace {

const char* const atom_entry = "<entry xmlns='http://www.w3.org/2005/Atom'>"
                               "<title>Soliloquy</title></entry>";

// Captured from Prosody (spec/scansion/pubsub_basic.scs): the notification a subscriber gets.
const stanza prosody_event{R"(<message type="headline" from="pubsub.localhost">
    <event xmlns="http://jabber.org/protocol/pubsub#event">
      <items node="princely_musings">
        <item id="current" publisher="admin@localhost">
          <entry xmlns="http://www.w3.org/2005/Atom"><title>Soliloquy</title></entry>
        </item></items></event></message>)"};
// Prosody (spec/scansion/pep_publish_subscribe.scs): a PEP notification from
// the publisher's bare JID, and a publish result naming the item id the service chose.
const stanza prosody_pep_event{
  "<message type='headline' from='pep-test-tqvqu_pv@localhost'>"
  "<event xmlns='http://jabber.org/protocol/pubsub#event'>"
  "<items node='http://jabber.org/protocol/tune'><item id='current' "
  "publisher='pep-test-tqvqu_pv@localhost'><tune xmlns='http://jabber.org/protocol/tune'>"
  "<title>Beautiful Cedars</title></tune></item></items></event></message>"};
const stanza prosody_publish_result{
  "<iq type='result' id='8'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
  "<publish node='http://jabber.org/protocol/mood'><item id='5f1ed9b7-0e8a'/></publish>"
  "</pubsub></iq>"};
// Prosody: a publish result without payload (the request named the item).
const stanza prosody_empty_result{"<iq type=\"result\" id='pub1'/>"};
// XEP-0060 Example 78 (retraction notification) and Example 80 (items result).
const stanza xep_retract{
  "<message from='pubsub.shakespeare.lit' to='bernardo@denmark.lit' id='foo'>"
  "<event xmlns='http://jabber.org/protocol/pubsub#event'>"
  "<items node='princely_musings'><retract id='ae890ac52d0df67ed7cfdf51b644e901'/></items>"
  "</event></message>"};
const stanza xep_items{
  "<iq type='result' from='pubsub.shakespeare.lit' to='francisco@denmark.lit/barracks' "
  "id='items1'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
  "<items node='princely_musings'><item id='368866411b877c30064a5f62b917cffe'>"
  "<entry xmlns='http://www.w3.org/2005/Atom'><title>The Uses of This World</title></entry>"
  "</item><item id='3300659945416e274474e469a1f0154c'/></items></pubsub></iq>"};
// XEP-0060 Example 44 (node does not exist) as both servers send it.
const stanza xep_item_not_found{
  "<iq type='error' from='pubsub.shakespeare.lit' id='pub1'><error type='cancel'>"
  "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"};

std::string context(const auto& result) {
  return result ? std::string{"accepted"} : result.error();
}

}  // namespace

TEST(pubsub_builders, as_the_servers_expect_them) {
  // The requests of Prosody's pubsub_basic transcript.
  EXPECT_EQ(built_shape(st::pubsub_create("pubsub.localhost", "princely_musings").xml()),
            shape(R"(<iq type="set" to="pubsub.localhost">
              <pubsub xmlns="http://jabber.org/protocol/pubsub">
              <create node="princely_musings"/></pubsub></iq>)"));
  EXPECT_EQ(built_shape(st::pubsub_subscribe("pubsub.localhost", "princely_musings",
                                             "juliet@localhost/balcony")
                          .xml()),
            shape(R"(<iq type="set" to="pubsub.localhost">
              <pubsub xmlns="http://jabber.org/protocol/pubsub">
              <subscribe node="princely_musings" jid="juliet@localhost/balcony"/></pubsub></iq>)"));
  EXPECT_EQ(built_shape(st::pubsub_unsubscribe("pubsub.localhost", "princely_musings",
                                               "juliet@localhost/balcony")
                          .xml()),
            shape(R"(<iq type="set" to="pubsub.localhost">
              <pubsub xmlns="http://jabber.org/protocol/pubsub">
              <unsubscribe node="princely_musings" jid="juliet@localhost/balcony"/>
              </pubsub></iq>)"));
  EXPECT_EQ(
    built_shape(
      st::pubsub_publish("pubsub.localhost", "princely_musings", "current", atom_entry).xml()),
    shape(R"(<iq type="set" to="pubsub.localhost">
              <pubsub xmlns="http://jabber.org/protocol/pubsub">
              <publish node="princely_musings"><item id="current">
              <entry xmlns="http://www.w3.org/2005/Atom"><title>Soliloquy</title></entry>
              </item></publish></pubsub></iq>)"));
  EXPECT_EQ(built_shape(st::pubsub_delete("pubsub.localhost", "princely_musings").xml()),
            shape(R"(<iq type="set" to="pubsub.localhost">
              <pubsub xmlns="http://jabber.org/protocol/pubsub#owner">
              <delete node="princely_musings"/></pubsub></iq>)"));
}

TEST(pubsub_builders, configure_items_pep_and_bad_arguments) {
  EXPECT_EQ(
    built_shape(st::pubsub_create("ps.localhost", "n1",
                                  {{"pubsub#max_items", {"10"}}, {"pubsub#notify_retract", {"0"}}})
                  .xml()),
    shape("<iq type='set' to='ps.localhost'>"
          "<pubsub xmlns='http://jabber.org/protocol/pubsub'><create node='n1'/>"
          "<configure><x xmlns='jabber:x:data' type='submit'>"
          "<field var='FORM_TYPE' type='hidden'>"
          "<value>http://jabber.org/protocol/pubsub#node_config</value></field>"
          "<field var='pubsub#max_items'><value>10</value></field>"
          "<field var='pubsub#notify_retract'><value>0</value></field>"
          "</x></configure></pubsub></iq>"));
  EXPECT_EQ(built_shape(st::pubsub_items("ps.localhost", "n1", 2).xml()),
            shape("<iq type='get' to='ps.localhost'><pubsub "
                  "xmlns='http://jabber.org/protocol/pubsub'><items node='n1' max_items='2'/>"
                  "</pubsub></iq>"));
  EXPECT_EQ(built_shape(st::pubsub_items("ps.localhost", "n1").xml()),
            shape("<iq type='get' to='ps.localhost'><pubsub "
                  "xmlns='http://jabber.org/protocol/pubsub'><items node='n1'/></pubsub></iq>"));
  // XEP-0163 Example 1 (abridged): PEP publishes go to the user's own account, no `to`.
  const auto pep = st::pep_publish("http://jabber.org/protocol/tune", {},
                                   "<tune xmlns='http://jabber.org/protocol/tune'/>");
  EXPECT_EQ(pep.to(), "");
  EXPECT_EQ(built_shape(pep.xml()),
            shape("<iq type='set'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                  "<publish node='http://jabber.org/protocol/tune'><item>"
                  "<tune xmlns='http://jabber.org/protocol/tune'/></item></publish></pubsub>"
                  "</iq>"));
  EXPECT_EQ(built_shape(st::pubsub_publish("ps", "n", "i&1", {}).xml()),
            shape("<iq type='set' to='ps'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                  "<publish node='n'><item id='i&amp;1'/></publish></pubsub></iq>"));
  EXPECT_THROW((void)st::pubsub_create("ps", ""), std::invalid_argument);
  EXPECT_THROW((void)st::pubsub_subscribe("ps", "n", ""), std::invalid_argument);
  EXPECT_THROW((void)st::pubsub_create("ps", "n", {{"", {}}}), std::invalid_argument);
}

TEST(pubsub_readers, event_notifications) {
  auto e = read_pubsub_event(prosody_event);
  ASSERT_TRUE(e) << e.error();
  EXPECT_EQ(e->from, "pubsub.localhost");
  EXPECT_EQ(e->node, "princely_musings");
  ASSERT_EQ(e->items.size(), 1u);
  EXPECT_EQ(e->items[0].id, "current");
  EXPECT_EQ(shape(e->items[0].payload_xml), shape(atom_entry));
  EXPECT_TRUE(e->retracted.empty());
  auto pep = read_pubsub_event(prosody_pep_event);
  ASSERT_TRUE(pep);
  EXPECT_EQ(pep->from, "pep-test-tqvqu_pv@localhost");
  EXPECT_EQ(pep->items.at(0).payload_xml.find("<tune"), 0u);
  auto r = read_pubsub_event(xep_retract);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->items.empty());
  EXPECT_EQ(r->retracted, (std::vector<std::string>{"ae890ac52d0df67ed7cfdf51b644e901"}));
  EXPECT_NE(context(read_pubsub_event(xep_items)).find("no <message><event"), std::string::npos);
  EXPECT_NE(context(read_pubsub_event(stanza{"<message><event "
                                             "xmlns='http://jabber.org/protocol/pubsub#event'>"
                                             "<items/></event></message>"}))
              .find("no <items node="),
            std::string::npos);
}

TEST(pubsub_readers, publish_results_and_items) {
  EXPECT_EQ(read_published_item_id(prosody_publish_result).value(), "5f1ed9b7-0e8a");
  EXPECT_EQ(read_published_item_id(prosody_empty_result).value(), "");
  EXPECT_NE(context(read_published_item_id(xep_item_not_found)).find("error item-not-found"),
            std::string::npos);
  EXPECT_NE(context(read_published_item_id(prosody_event)).find("not an iq result"),
            std::string::npos);
  auto items = read_pubsub_items(xep_items);
  ASSERT_TRUE(items) << items.error();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].id, "368866411b877c30064a5f62b917cffe");
  EXPECT_NE((*items)[0].payload_xml.find("The Uses of This World"), std::string::npos);
  EXPECT_EQ((*items)[1].payload_xml, "");
  EXPECT_NE(context(read_pubsub_items(prosody_empty_result)).find("no <pubsub><items/>"),
            std::string::npos);
}

TEST(pubsub_predicates, events_by_service_and_node) {
  EXPECT_TRUE(is::pubsub_event()(prosody_event));
  EXPECT_TRUE(is::pubsub_event("pubsub.localhost")(prosody_event));
  EXPECT_TRUE(is::pubsub_event("pubsub.localhost", "princely_musings")(prosody_event));
  EXPECT_FALSE(is::pubsub_event("pubsub.localhost", "other")(prosody_event));
  EXPECT_FALSE(is::pubsub_event("pubsub.example")(prosody_event));
  EXPECT_TRUE(is::pubsub_event("pep-test-tqvqu_pv@localhost",
                               "http://jabber.org/protocol/tune")(prosody_pep_event));
  EXPECT_FALSE(is::pubsub_event()(xep_retract));  // no published item
  EXPECT_FALSE(is::pubsub_event()(xep_items));
  EXPECT_FALSE(is::pubsub_event()(stanza{"<message><event"}));
}

namespace {

// ejabberd 23.01, captured in this repository's tests (scripts/xmpp-server): the
// owner's subscription list, and a notification whose payload is amoc's send stamp.
const stanza ejabberd_subscriptions{
  "<iq xml:lang='en' to='user_1@localhost/smoke' from='pubsub.localhost' type='result' "
  "id='smoke6'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'>"
  "<subscriptions node='n1'><subscription subscription='subscribed' subid='7048DA021F969' "
  "jid='user_2@localhost/smoke'/></subscriptions></pubsub></iq>"};
// Prosody 0.12: the same list, without a node or subid.
const stanza prosody_subscriptions{
  "<iq type='result' from='pubsub.localhost' id='smoke6' to='user_1@localhost/smoke'>"
  "<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><subscriptions>"
  "<subscription node='n1' subscription='subscribed' jid='user_2@localhost/smoke'/>"
  "<subscription node='n1' subscription='pending' jid='user_3@localhost'/>"
  "</subscriptions></pubsub></iq>"};
const stanza ejabberd_stamped_event{
  "<message to='user_2@localhost/amoc' from='pubsub.localhost' type='headline'>"
  "<event xmlns='http://jabber.org/protocol/pubsub#event'><items node='amoc_user_1'>"
  "<item id='3'><sent xmlns='urn:amoc:ttd' us='1765000000123456'/></item>"
  "<item id='4'><entry xmlns='urn:example'><sent xmlns='urn:amoc:ttd' us='1765000000200000'/>"
  "</entry></item><item id='5'><sent xmlns='urn:amoc:ttd' us='soon'/></item>"
  "</items></event></message>"};

}  // namespace

TEST(pubsub_builders, subscriptions_and_timestamp_payload) {
  EXPECT_EQ(built_shape(st::pubsub_subscriptions("pubsub.localhost", "n1").xml()),
            shape("<iq type='get' to='pubsub.localhost'>"
                  "<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'>"
                  "<subscriptions node='n1'/></pubsub></iq>"));
  EXPECT_THROW((void)st::pubsub_subscriptions("ps", ""), std::invalid_argument);
  const auto at =
    std::chrono::system_clock::time_point{std::chrono::microseconds{1765000000123456}};
  EXPECT_EQ(st::timestamp_payload(at), "<sent xmlns='urn:amoc:ttd' us='1765000000123456'/>");
  // The payload as a service returns it in an items result reads back as the same time.
  auto items = read_pubsub_items(
    stanza{"<iq type='result'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items "
           "node='n'><item id='1'>"
           + st::timestamp_payload(at) + "</item></items></pubsub></iq>"});
  ASSERT_TRUE(items) << items.error();
  EXPECT_EQ(items->at(0).sent, at);
}

TEST(pubsub_readers, subscriptions_of_a_node) {
  auto e = read_pubsub_subscriptions(ejabberd_subscriptions);
  ASSERT_TRUE(e) << e.error();
  ASSERT_EQ(e->size(), 1u);
  EXPECT_EQ((*e)[0].jid, "user_2@localhost/smoke");
  EXPECT_EQ((*e)[0].subscription, "subscribed");
  EXPECT_EQ((*e)[0].subid, "7048DA021F969");
  auto p = read_pubsub_subscriptions(prosody_subscriptions);
  ASSERT_TRUE(p) << p.error();
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ((*p)[1].subscription, "pending");
  EXPECT_EQ((*p)[1].subid, "");
  EXPECT_NE(context(read_pubsub_subscriptions(xep_item_not_found)).find("error item-not-found"),
            std::string::npos);
  EXPECT_NE(context(read_pubsub_subscriptions(xep_items)).find("no iq result with <pubsub"),
            std::string::npos);
}

TEST(pubsub_readers, send_stamps_in_payloads) {
  auto e = read_pubsub_event(ejabberd_stamped_event);
  ASSERT_TRUE(e) << e.error();
  ASSERT_EQ(e->items.size(), 3u);
  using us = std::chrono::microseconds;
  ASSERT_TRUE(e->items[0].sent);
  EXPECT_EQ(std::chrono::duration_cast<us>(e->items[0].sent->time_since_epoch()).count(),
            1765000000123456);
  ASSERT_TRUE(e->items[1].sent);  // a stamp inside another payload counts too
  EXPECT_EQ(std::chrono::duration_cast<us>(e->items[1].sent->time_since_epoch()).count(),
            1765000000200000);
  EXPECT_FALSE(e->items[2].sent);                                    // not a number
  EXPECT_FALSE(read_pubsub_event(prosody_event)->items.at(0).sent);  // no stamp at all
}
