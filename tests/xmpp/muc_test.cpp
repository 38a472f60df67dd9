#include "amoc/xmpp/muc.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "amoc/xmpp/namespaces.hpp"
#include "xml_shape.hpp"

using namespace amoc::xmpp;
namespace st = amoc::xmpp::stanzas;
using amoc::xmpp::test::built_shape;
using amoc::xmpp::test::shape;

namespace {

// Captured from Prosody (its spec/scansion/muc_create_destroy.scs
// transcript): the first occupant's self-presence in a new room, with 201
// and 110, after an unrelated vcard <x/>.
const stanza prosody_created{R"(<presence from="garden@conference.localhost/romeo">
    <x xmlns="vcard-temp:x:update"><photo/></x>
    <x xmlns="http://jabber.org/protocol/muc#user">
      <status code="201"/>
      <item affiliation="owner" jid="romeo@localhost/mK0dD6Ha" role="moderator"/>
      <status code="110"/>
    </x>
  </presence>)"};
// Prosody: another occupant as seen by Romeo (no real JID shown to a non-moderator).
const stanza prosody_other{R"(<presence from="garden@conference.localhost/juliet">
    <x xmlns="http://jabber.org/protocol/muc#user">
      <item affiliation="none" jid="juliet@localhost/lVwkim_k" role="participant"/>
    </x></presence>)"};
// Prosody: the subject sent on entry, empty.
const stanza prosody_subject{
  R"(<message from="garden@conference.localhost" type="groupchat"><subject/></message>)"};
// Prosody: a groupchat message reflected to every occupant.
const stanza prosody_groupchat{R"(<message type="groupchat" id="jm1"
    from="garden@conference.localhost/juliet"><body>/me jumps out from behind a tree</body>
  </message>)"};
// Prosody: the room destroyed, as each occupant learns it.
const stanza prosody_destroyed{R"(<presence from="garden@conference.localhost/juliet"
    type="unavailable"><x xmlns="http://jabber.org/protocol/muc#user">
      <destroy><reason>We refuse to live in this fantasy!</reason></destroy>
      <item affiliation="none" jid="juliet@localhost/lVwkim_k" role="none"/>
      <status code="110"/></x></presence>)"};
// XEP-0045 Example 21: the nickname is taken.
const stanza xep_nick_conflict{
  "<presence from='coven@chat.shakespeare.lit/thirdwitch' id='n13mt3l' "
  "to='hag66@shakespeare.lit/pda' type='error'><x xmlns='http://jabber.org/protocol/muc'/>"
  "<error by='coven@chat.shakespeare.lit' type='cancel'>"
  "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>"};
// XEP-0045 Example 25: a members-only room refuses a non-member.
const stanza xep_members_only{
  "<presence from='coven@chat.shakespeare.lit/thirdwitch' id='n13mt3l' "
  "to='hag66@shakespeare.lit/pda' type='error'><x xmlns='http://jabber.org/protocol/muc'/>"
  "<error by='coven@chat.shakespeare.lit' type='auth'>"
  "<registration-required xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>"};
// XEP-0045 Example 160 (abridged): the configuration form a new room's owner gets.
const stanza xep_config_form{
  "<iq from='coven@chat.shakespeare.lit' id='create1' to='crone1@shakespeare.lit/desktop' "
  "type='result'><query xmlns='http://jabber.org/protocol/muc#owner'>"
  "<x xmlns='jabber:x:data' type='form'><title>Configuration for \"coven\" Room</title>"
  "<field type='hidden' var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value>"
  "</field><field label='Natural-Language Room Name' type='text-single' "
  "var='muc#roomconfig_roomname'/><field label='Make Room Persistent?' type='boolean' "
  "var='muc#roomconfig_persistentroom'><value>0</value></field>"
  "<field label='Maximum Number of Occupants' type='list-single' var='muc#roomconfig_maxusers'>"
  "<value>20</value><option label='10'><value>10</value></option></field></x></query></iq>"};

std::string error_of(auto build) {
  try {
    (void)build();
    return {};
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

}  // namespace

TEST(muc_builders, join_with_history_and_password) {
  EXPECT_EQ(built_shape(st::muc_join("garden@conference.localhost", "romeo").xml()),
            shape("<presence to='garden@conference.localhost/romeo'>"
                  "<x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x>"
                  "</presence>"));
  EXPECT_EQ(shape(st::muc_join("garden@conference.localhost", "romeo", std::nullopt).xml()),
            shape("<presence to='garden@conference.localhost/romeo'>"
                  "<x xmlns='http://jabber.org/protocol/muc'/></presence>"));
  // XEP-0045 Example 27: entering a password-protected room.
  EXPECT_EQ(
    shape(
      st::muc_join("coven@chat.shakespeare.lit", "thirdwitch", std::nullopt, "cauldronburn").xml()),
    shape("<presence to='coven@chat.shakespeare.lit/thirdwitch'>"
          "<x xmlns='http://jabber.org/protocol/muc'>"
          "<password>cauldronburn</password></x></presence>"));
  EXPECT_NE(error_of([] { return st::muc_join("room@muc/x", "nick"); }).find("must be bare"),
            std::string::npos);
  EXPECT_NE(error_of([] { return st::muc_join("room@muc", ""); }).find("empty MUC nickname"),
            std::string::npos);
}

TEST(muc_builders, leave_groupchat_subject) {
  EXPECT_EQ(shape(st::muc_leave("garden@conference.localhost", "romeo", "gone").xml()),
            shape("<presence to='garden@conference.localhost/romeo' type='unavailable'>"
                  "<status>gone</status></presence>"));
  EXPECT_EQ(shape(st::groupchat("garden@conference.localhost", "hi", "g1").xml()),
            shape("<message to='garden@conference.localhost' type='groupchat' id='g1'>"
                  "<body>hi</body></message>"));
  const auto subject = st::muc_subject("garden@conference.localhost", "Fire & Ice");
  EXPECT_EQ(built_shape(subject.xml()),
            shape("<message to='garden@conference.localhost' type='groupchat'>"
                  "<subject>Fire &amp; Ice</subject></message>"));
  EXPECT_FALSE(subject.id().empty());
}

TEST(muc_builders, owner_configuration_and_destroy) {
  EXPECT_EQ(built_shape(st::muc_config_get("coven@chat.shakespeare.lit").xml()),
            shape("<iq type='get' to='coven@chat.shakespeare.lit'>"
                  "<query xmlns='http://jabber.org/protocol/muc#owner'/></iq>"));
  // As Prosody's transcript sends it to accept a new room's defaults.
  EXPECT_EQ(built_shape(st::muc_instant_room("garden@conference.localhost").xml()),
            shape(R"(<iq to="garden@conference.localhost" type="set">
                <query xmlns="http://jabber.org/protocol/muc#owner">
                  <x type="submit" xmlns="jabber:x:data"/></query></iq>)"));
  st::muc_room_config config;
  config.persistent = true;
  config.members_only = false;
  config.max_users = 20;
  config.password = "s3cret";
  config.extra = {{"muc#roomconfig_whois", {"anyone"}}};
  EXPECT_EQ(built_shape(st::muc_config_submit("coven@chat.shakespeare.lit", config).xml()),
            shape("<iq type='set' to='coven@chat.shakespeare.lit'>"
                  "<query xmlns='http://jabber.org/protocol/muc#owner'>"
                  "<x xmlns='jabber:x:data' type='submit'>"
                  "<field var='FORM_TYPE' type='hidden'>"
                  "<value>http://jabber.org/protocol/muc#roomconfig</value></field>"
                  "<field var='muc#roomconfig_persistentroom'><value>1</value></field>"
                  "<field var='muc#roomconfig_membersonly'><value>0</value></field>"
                  "<field var='muc#roomconfig_maxusers'><value>20</value></field>"
                  "<field var='muc#roomconfig_passwordprotectedroom'><value>1</value></field>"
                  "<field var='muc#roomconfig_roomsecret'><value>s3cret</value></field>"
                  "<field var='muc#roomconfig_whois'><value>anyone</value></field>"
                  "</x></query></iq>"));
  EXPECT_EQ(
    built_shape(
      st::muc_destroy("garden@conference.localhost", "We refuse to live in this fantasy!").xml()),
    shape(R"(<iq to="garden@conference.localhost" type="set">
                <query xmlns="http://jabber.org/protocol/muc#owner"><destroy>
                <reason>We refuse to live in this fantasy!</reason></destroy></query></iq>)"));
  EXPECT_EQ(built_shape(st::muc_destroy("a@muc", {}, "b@muc").xml()),
            shape("<iq to='a@muc' type='set'><query xmlns='http://jabber.org/protocol/muc#owner'>"
                  "<destroy jid='b@muc'/></query></iq>"));
  EXPECT_THROW((void)st::muc_config_get("a@muc/nick"), std::invalid_argument);
  EXPECT_THROW((void)st::muc_config_submit("a@muc", {{"", {"x"}}}), std::invalid_argument);
}

TEST(muc_predicates, presences_by_room_nick_and_status_codes) {
  const auto room = "garden@conference.localhost";
  EXPECT_TRUE(is::muc_presence(room)(prosody_created));
  EXPECT_TRUE(is::muc_presence(room, "romeo", {110, 201})(prosody_created));
  EXPECT_TRUE(is::muc_presence(room, {}, {201})(prosody_created));
  EXPECT_FALSE(is::muc_presence(room, "juliet")(prosody_created));
  EXPECT_FALSE(is::muc_presence(room, "romeo", {110, 170})(prosody_created));
  EXPECT_FALSE(is::muc_presence("hall@conference.localhost")(prosody_created));
  EXPECT_TRUE(is::muc_presence(room, "juliet")(prosody_other));
  EXPECT_FALSE(is::muc_presence(room, "juliet", {110})(prosody_other));
  EXPECT_TRUE(is::muc_presence(room, "juliet", {110})(prosody_destroyed));
  // Not MUC presences: an error, a plain presence, a message.
  EXPECT_FALSE(is::muc_presence("coven@chat.shakespeare.lit")(xep_nick_conflict));
  EXPECT_FALSE(is::muc_presence(room)(stanza{"<presence from='garden@conference.localhost/x'/>"}));
  EXPECT_FALSE(is::muc_presence(room)(prosody_groupchat));
  // A status code that is not a number matches no code list.
  EXPECT_FALSE(is::muc_presence(room, {}, {110})(stanza{
    "<presence from='garden@conference.localhost/x'><x "
    "xmlns='http://jabber.org/protocol/muc#user'><status code='1x0'/><item/></x></presence>"}));
  EXPECT_THROW((void)is::muc_presence("room@/"), std::invalid_argument);
}

TEST(muc_predicates, groupchat_subject_and_errors) {
  const auto room = "garden@conference.localhost";
  EXPECT_TRUE(is::groupchat_from(room, "juliet")(prosody_groupchat));
  EXPECT_FALSE(is::groupchat_from(room, "romeo")(prosody_groupchat));
  EXPECT_FALSE(is::groupchat_from(room, "juliet")(prosody_subject));
  EXPECT_THROW((void)is::groupchat_from(room, ""), std::invalid_argument);
  EXPECT_TRUE(is::muc_subject(room)(prosody_subject));
  EXPECT_FALSE(is::muc_subject(room)(prosody_groupchat));
  EXPECT_FALSE(is::muc_subject("hall@conference.localhost")(prosody_subject));
  const auto coven = "coven@chat.shakespeare.lit";
  EXPECT_TRUE(is::muc_error(coven)(xep_nick_conflict));
  EXPECT_TRUE(is::muc_error(coven, "conflict")(xep_nick_conflict));
  EXPECT_FALSE(is::muc_error(coven, "conflict")(xep_members_only));
  EXPECT_TRUE(is::muc_error(coven, "registration-required")(xep_members_only));
  EXPECT_FALSE(is::muc_error(room)(xep_nick_conflict));
  EXPECT_FALSE(is::muc_error(room)(prosody_created));
}

TEST(muc_readers, occupant_from_presence) {
  auto created = read_muc_presence(prosody_created);
  ASSERT_TRUE(created) << created.error();
  EXPECT_EQ(created->room, "garden@conference.localhost");
  EXPECT_EQ(created->nick, "romeo");
  EXPECT_TRUE(created->available);
  EXPECT_EQ(created->affiliation, "owner");
  EXPECT_EQ(created->role, "moderator");
  EXPECT_EQ(created->jid, "romeo@localhost/mK0dD6Ha");
  EXPECT_EQ(created->status_codes, (std::vector<int>{201, 110}));
  EXPECT_TRUE(created->has_status(201));
  EXPECT_FALSE(created->has_status(100));
  auto gone = read_muc_presence(prosody_destroyed);
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->available);
  EXPECT_EQ(gone->role, "none");
}

TEST(muc_readers, malformed_presences_give_errors_naming_the_problem) {
  auto context = [](const stanza& s) {
    auto r = read_muc_presence(s);
    return r ? std::string{"accepted"} : r.error();
  };
  EXPECT_NE(context(prosody_groupchat).find("not a <presence/>"), std::string::npos);
  EXPECT_NE(context(stanza{"<presence from='garden@conference.localhost'><x "
                           "xmlns='http://jabber.org/protocol/muc#user'><item/></x></presence>"})
              .find("room@service/nick"),
            std::string::npos);
  EXPECT_NE(context(stanza{"<presence from='r@muc/n'/>"}).find("no <x"), std::string::npos);
  EXPECT_NE(context(stanza{"<presence from='r@muc/n'><x "
                           "xmlns='http://jabber.org/protocol/muc#user'/></presence>"})
              .find("<item/>"),
            std::string::npos);
  EXPECT_NE(context(stanza{"<presence from='r@muc/n'><x xmlns='http://jabber.org/protocol/"
                           "muc#user'><item/><status code=''/></x></presence>"})
              .find("status code"),
            std::string::npos);
  EXPECT_NE(context(stanza{"<presence from='r@muc/n'"}).find("not well-formed"), std::string::npos);
}

TEST(muc_readers, configuration_form) {
  const auto query = xep_config_form.child("query", ns::muc_owner);
  auto form = read_data_form(query.child("x"));
  ASSERT_TRUE(form) << form.error();
  EXPECT_EQ(form->type, "form");
  EXPECT_EQ(form->form_type, ns::muc_roomconfig);
  EXPECT_EQ(form->value("muc#roomconfig_maxusers"), "20");
  EXPECT_EQ(form->value("muc#roomconfig_persistentroom"), "0");
  EXPECT_TRUE(form->has("muc#roomconfig_roomname"));
  EXPECT_EQ(form->value("muc#roomconfig_roomname"), "");
  EXPECT_FALSE(form->has("muc#roomconfig_membersonly"));
  EXPECT_FALSE(read_data_form(query));  // the query, not the form
  EXPECT_FALSE(read_data_form(pugi::xml_node{}));
}
