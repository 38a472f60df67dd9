#include "amoc/xmpp/registration.hpp"

#include <gtest/gtest.h>

#include "amoc/xmpp/stanzas.hpp"
#include "xml_shape.hpp"

using namespace amoc::xmpp;
namespace st = amoc::xmpp::stanzas;
using amoc::xmpp::test::built_shape;
using amoc::xmpp::test::shape;

namespace {

// XEP-0077 Example 2: the legacy form, as ejabberd sends it (username, password).
const stanza xep_form{
  "<iq type='result' id='reg1'><query xmlns='jabber:iq:register'>"
  "<instructions>Choose a username and password for use with this service.</instructions>"
  "<username/><password/><email/></query></iq>"};
// XEP-0077 Example 4: already registered.
const stanza xep_registered{
  "<iq type='result' id='reg1'><query xmlns='jabber:iq:register'><registered/>"
  "<username>juliet</username><password>R0m30</password><email>juliet@capulet.com</email>"
  "</query></iq>"};
// XEP-0077 Example 5 (abridged): a data form besides the legacy fields, and OOB.
const stanza xep_data_form{
  "<iq type='result' id='reg3'><query xmlns='jabber:iq:register'>"
  "<instructions>Use the enclosed form.</instructions><username/>"
  "<x xmlns='jabber:x:data' type='form'><field type='hidden' var='FORM_TYPE'>"
  "<value>jabber:iq:register</value></field><field type='text-single' label='Given Name' "
  "var='first'><required/></field></x>"
  "<x xmlns='jabber:x:oob'><url>http://www.shakespeare.lit/contests.php</url></x>"
  "</query></iq>"};
// XEP-0077 Examples 8 and 9: the username is taken; a required field is missing.
const stanza xep_conflict{
  "<iq type='error' id='reg2'><query xmlns='jabber:iq:register'><username>bill</username>"
  "<password>m1cro$oft</password></query><error type='cancel'>"
  "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"};
const stanza xep_not_acceptable{
  "<iq type='error' id='reg2'><query xmlns='jabber:iq:register'><username>bill</username>"
  "</query><error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
  "</error></iq>"};
const stanza registered_ok{"<iq type='result' id='reg2'/>"};

std::string context(const auto& result) {
  return result ? std::string{"accepted"} : result.error();
}

}  // namespace

TEST(registration_builders, form_register_remove) {
  EXPECT_EQ(built_shape(st::registration_form().xml()),
            shape("<iq type='get'><query xmlns='jabber:iq:register'/></iq>"));
  EXPECT_EQ(built_shape(st::register_account("bill", "Calliope", "shakespeare.lit").xml()),
            shape("<iq type='set' to='shakespeare.lit'><query xmlns='jabber:iq:register'>"
                  "<username>bill</username><password>Calliope</password></query></iq>"));
  EXPECT_EQ(built_shape(st::remove_account().xml()),
            shape("<iq type='set'><query xmlns='jabber:iq:register'><remove/></query></iq>"));
  EXPECT_THROW((void)st::register_account("", "x"), std::invalid_argument);
}

TEST(registration_readers, forms) {
  auto f = read_registration_form(xep_form);
  ASSERT_TRUE(f) << f.error();
  EXPECT_FALSE(f->registered);
  EXPECT_EQ(f->instructions, "Choose a username and password for use with this service.");
  EXPECT_EQ(f->fields, (std::vector<std::string>{"username", "password", "email"}));
  EXPECT_FALSE(f->form);
  EXPECT_TRUE(read_registration_form(xep_registered)->registered);
  auto d = read_registration_form(xep_data_form);
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(d->fields, (std::vector<std::string>{"username"}));  // not the OOB <x/>
  ASSERT_TRUE(d->form);
  EXPECT_EQ(d->form->form_type, "jabber:iq:register");
  EXPECT_TRUE(d->form->has("first"));
  EXPECT_NE(context(read_registration_form(xep_conflict)).find("error conflict"),
            std::string::npos);
  EXPECT_NE(context(read_registration_form(registered_ok)).find("no iq result with <query"),
            std::string::npos);
  EXPECT_NE(
    context(read_registration_form(
              stanza{"<iq type='result'><query xmlns='jabber:iq:register'><x xmlns='jabber:x:data'>"
                     "<field><value>1</value></field></x></query></iq>"}))
      .find("field without a var"),
    std::string::npos);
}

TEST(registration_readers, failures_by_condition) {
  EXPECT_EQ(registration_failure(registered_ok).condition, "");
  EXPECT_EQ(registration_failure(xep_conflict).condition, "conflict");
  EXPECT_EQ(registration_failure(xep_conflict).type, "cancel");
  EXPECT_EQ(registration_failure(xep_not_acceptable).condition, "not-acceptable");
  EXPECT_EQ(registration_failure(stanza{"<message/>"}).condition, "undefined-condition");
  EXPECT_EQ(registration_failure(stanza{"<iq type='error'/>"}).condition, "undefined-condition");
  EXPECT_EQ(registration_condition_meaning("conflict"), "the username is taken");
  EXPECT_NE(registration_condition_meaning("not-acceptable"), "");
  EXPECT_EQ(registration_condition_meaning("gone"), "");
}

TEST(registration_predicates, failed_answers_to_a_request) {
  const stanza request{"<iq type='set' id='reg2'><query xmlns='jabber:iq:register'>"
                       "<username>bill</username></query></iq>"};
  EXPECT_TRUE(is::registration_failed(request)(xep_conflict));
  EXPECT_TRUE(is::registration_failed(request, "conflict")(xep_conflict));
  EXPECT_FALSE(is::registration_failed(request, "conflict")(xep_not_acceptable));
  EXPECT_FALSE(is::registration_failed(request)(registered_ok));
  const stanza other{"<iq type='set' id='reg9'/>"};
  EXPECT_FALSE(is::registration_failed(other)(xep_conflict));
}
