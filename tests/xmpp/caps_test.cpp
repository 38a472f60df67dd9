#include "amoc/xmpp/caps.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "xml_shape.hpp"

using namespace amoc::xmpp;
namespace st = amoc::xmpp::stanzas;
using amoc::xmpp::test::built_shape;
using amoc::xmpp::test::shape;

namespace {

// XEP-0115 §5.2, the simple example: Exodus' identity and features (given out
// of order: they are sorted) hash to QgayPKawpkPSDYmwT/WM94uAlu0=.
const capabilities exodus{
  "http://code.google.com/p/exodus",
  {"client", "pc", "Exodus 0.9.1"},
  {"http://jabber.org/protocol/muc", "http://jabber.org/protocol/disco#info",
   "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/caps"}};

// What ejabberd 23.01 and Prosody 0.12 (mod_pep) send a client whose presence
// carries caps: a disco#info get for node#ver, from the server or the bare JID.
const stanza ejabberd_disco_get{
  "<iq xml:lang='en' to='user_1@localhost/amoc' from='localhost' type='get' id='caps1'>"
  "<query xmlns='http://jabber.org/protocol/disco#info' "
  "node='http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0='/></iq>"};
const stanza prosody_disco_get{
  "<iq type='get' id='disco' to='user_1@localhost/amoc' from='user_1@localhost'>"
  "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>"};

}  // namespace

TEST(caps, verification_string_as_xep_0115_computes_it) {
  EXPECT_EQ(exodus.ver(), "QgayPKawpkPSDYmwT/WM94uAlu0=");
  auto twice = exodus;
  twice.features.push_back("http://jabber.org/protocol/muc");  // duplicates count once
  EXPECT_EQ(twice.ver(), exodus.ver());
}

TEST(caps, presence_and_disco_answer) {
  EXPECT_EQ(built_shape(st::presence_with_caps(exodus).xml()),
            shape("<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
                  "node='http://code.google.com/p/exodus' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/>"
                  "</presence>"));
  const auto answer = st::disco_info_result(ejabberd_disco_get, exodus);
  EXPECT_EQ(answer.id(), "caps1");
  EXPECT_EQ(built_shape(answer.xml()),
            shape("<iq type='result' to='localhost'>"
                  "<query xmlns='http://jabber.org/protocol/disco#info' "
                  "node='http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0='>"
                  "<identity category='client' type='pc' name='Exodus 0.9.1'/>"
                  "<feature var='http://jabber.org/protocol/caps'/>"
                  "<feature var='http://jabber.org/protocol/disco#info'/>"
                  "<feature var='http://jabber.org/protocol/disco#items'/>"
                  "<feature var='http://jabber.org/protocol/muc'/></query></iq>"));
  const auto plain = st::disco_info_result(prosody_disco_get, exodus);
  EXPECT_EQ(plain.to(), "user_1@localhost");
  EXPECT_EQ(plain.child("query").attribute("node").value(), std::string{});
  EXPECT_THROW((void)st::disco_info_result(stanza{"<iq type='get'><query xmlns='"
                                                  "http://jabber.org/protocol/disco#info'/></iq>"},
                                           exodus),
               std::invalid_argument);
}

TEST(caps, disco_info_requests) {
  EXPECT_TRUE(is::disco_info_request()(ejabberd_disco_get));
  EXPECT_TRUE(is::disco_info_request()(prosody_disco_get));
  EXPECT_FALSE(is::disco_info_request()(st::disco_info_result(prosody_disco_get, exodus)));
  EXPECT_FALSE(is::disco_info_request()(
    stanza{"<iq type='get' id='1'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>"}));
}
