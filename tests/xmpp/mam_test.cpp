#include "amoc/xmpp/mam.hpp"

#include <gtest/gtest.h>

#include "amoc/xmpp/predicates.hpp"
#include "xml_shape.hpp"

using namespace amoc::xmpp;
namespace st = amoc::xmpp::stanzas;
using namespace std::chrono_literals;
using amoc::xmpp::test::built_shape;
using amoc::xmpp::test::shape;

namespace {

// Captured from Prosody (spec/scansion/mam_extended.scs), with the captured
// archive id and stamp filled in.
const stanza prosody_result{R"(<message to="extmamtester@localhost/res">
    <result xmlns="urn:xmpp:mam:2" queryid="q1" id="ad8bd2b4-1c09-4b4c-9c94-0b3ab1e7d85d">
      <forwarded xmlns="urn:xmpp:forward:0">
        <delay stamp="2019-08-31T13:45:32Z" xmlns="urn:xmpp:delay"/>
        <message to="someone@localhost" xmlns="jabber:client" type="chat" xml:lang="en"
                 id="chat01" from="extmamtester@localhost/res"><body>Hello</body></message>
      </forwarded></result></message>)"};
const stanza prosody_fin{R"(<iq type="result" id="mamquery1" to="extmamtester@localhost/res">
    <fin xmlns="urn:xmpp:mam:2" complete="true"></fin></iq>)"};
// XEP-0313 Example 6 (a result with a fractional stamp offset) and Example 14
// (the end of a page, with RSM first/last/count as ejabberd sends them).
const stanza xep_result{
  "<message id='aeb213' to='juliet@capulet.lit/chamber'>"
  "<result xmlns='urn:xmpp:mam:2' queryid='f27' id='28482-98726-73623'>"
  "<forwarded xmlns='urn:xmpp:forward:0'>"
  "<delay xmlns='urn:xmpp:delay' stamp='2010-07-10T23:08:25.250+02:00'/>"
  "<message xmlns='jabber:client' from='witch@shakespeare.lit' to='macbeth@shakespeare.lit'>"
  "<body>Hail to thee</body></message></forwarded></result></message>"};
const stanza xep_fin{
  "<iq type='result' id='juliet1'><fin xmlns='urn:xmpp:mam:2'>"
  "<set xmlns='http://jabber.org/protocol/rsm'><first index='0'>28482-98726-73623</first>"
  "<last>09af3-cc343-b409f</last><count>20</count></set></fin></iq>"};
// XEP-0313 §6.1 / ejabberd: an `after` id the archive does not know.
const stanza xep_item_not_found{
  "<iq type='error' id='q29302'><error type='cancel'>"
  "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"};

// Captured from ejabberd 23.01 (Debian 12, scripts/xmpp-server, mnesia
// archive): page 2 of a query with start/end and <max>2</max>. The archive id
// is a microsecond timestamp, repeated inside the message as <archived/> and
// <stanza-id/>; the delay comes after the message and has microseconds.
const stanza ejabberd_result{
  "<message to='user_1@localhost/smoke' from='user_1@localhost'><result id='1796580024320532' "
  "queryid='p1' xmlns='urn:xmpp:mam:2'><forwarded xmlns='urn:xmpp:forward:0'><message "
  "xml:lang='en' to='user_2@localhost' from='user_1@localhost/smoke' type='chat' id='m2' "
  "xmlns='jabber:client'><archived by='user_1@localhost' id='1796580024320532' "
  "xmlns='urn:xmpp:mam:tmp'/><stanza-id by='user_1@localhost' id='1796580024320532' "
  "xmlns='urn:xmpp:sid:0'/><body>mam #2</body></message><delay from='localhost' "
  "stamp='2026-12-06T18:00:24.320532Z' xmlns='urn:xmpp:delay'/></forwarded></result></message>"};
// ...and its end: complete='false' spelled out, RSM count/first/last, no index.
const stanza ejabberd_fin{
  "<iq xml:lang='en' to='user_1@localhost/smoke' from='user_1@localhost' type='result' "
  "id='smoke3'><fin complete='false' xmlns='urn:xmpp:mam:2'><set "
  "xmlns='http://jabber.org/protocol/rsm'><count>5</count><first>1796580024320532</first>"
  "<last>1796580024320664</last></set></fin></iq>"};
// Captured from Prosody 0.12 (Debian 12, scripts/xmpp-server): the same page.
// Opaque archive ids, stamps to the second, the delay before the message.
const stanza prosody_page_result{
  "<message to='user_1@localhost/smoke'><result id='xNZX4iI52y6TW8DPb0WcZFV0' queryid='p1' "
  "xmlns='urn:xmpp:mam:2'><forwarded xmlns='urn:xmpp:forward:0'><delay "
  "stamp='2026-12-06T18:00:48Z' xmlns='urn:xmpp:delay'/><message from='user_1@localhost/smoke' "
  "id='m2' type='chat' xml:lang='en' to='user_2@localhost' xmlns='jabber:client'><body>mam "
  "#2</body></message></forwarded></result></message>"};
// ...its end: a page that is not the last has no `complete` at all.
const stanza prosody_page_fin{
  "<iq type='result' to='user_1@localhost/smoke' id='smoke3'><fin xmlns='urn:xmpp:mam:2'><set "
  "xmlns='http://jabber.org/protocol/rsm'><first>xNZX4iI52y6TW8DPb0WcZFV0</first><count>5</count>"
  "<last>2HFF4cU4WdZ-5jTRxL5xFti6</last></set></fin></iq>"};
// Prosody on an `after` id its archive does not know (ejabberd ignores such an
// id when it is not a number and answers from the start of the window).
const stanza prosody_unknown_after{
  "<iq type='error' to='user_1@localhost/smoke' id='smoke5'><error type='modify'><item-not-found "
  "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"};

std::string context(const auto& result) {
  return result ? std::string{"accepted"} : result.error();
}

}  // namespace

TEST(mam_builders, query_with_form_and_rsm) {
  const auto start = std::chrono::system_clock::time_point{1'278'803'305s};  // 2010-07-10T23:08:25Z
  EXPECT_EQ(built_shape(st::mam_query("f27", {.with = "juliet@capulet.lit",
                                              .start = start,
                                              .end = start + 1h + 500ms,
                                              .max = 10,
                                              .after = "09af3-cc343-b409f"})
                          .xml()),
            shape("<iq type='set'><query xmlns='urn:xmpp:mam:2' queryid='f27'>"
                  "<x xmlns='jabber:x:data' type='submit'>"
                  "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value></field>"
                  "<field var='with'><value>juliet@capulet.lit</value></field>"
                  "<field var='start'><value>2010-07-10T23:08:25Z</value></field>"
                  "<field var='end'><value>2010-07-11T00:08:25.500000Z</value></field></x>"
                  "<set xmlns='http://jabber.org/protocol/rsm'><max>10</max>"
                  "<after>09af3-cc343-b409f</after></set></query></iq>"));
  EXPECT_EQ(built_shape(st::mam_query("q", {.max = 5, .last_page = true}).xml()),
            shape("<iq type='set'><query xmlns='urn:xmpp:mam:2' queryid='q'>"
                  "<set xmlns='http://jabber.org/protocol/rsm'><max>5</max><before/></set>"
                  "</query></iq>"));
  EXPECT_EQ(built_shape(st::mam_query("q", {.before = "b1", .to = "hall@muc"}).xml()),
            shape("<iq type='set' to='hall@muc'><query xmlns='urn:xmpp:mam:2' queryid='q'>"
                  "<set xmlns='http://jabber.org/protocol/rsm'><before>b1</before></set>"
                  "</query></iq>"));
}

TEST(mam_readers, result_messages_from_prosody_and_the_xep) {
  auto m = read_mam_message(prosody_result);
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->query_id, "q1");
  EXPECT_EQ(m->archive_id, "ad8bd2b4-1c09-4b4c-9c94-0b3ab1e7d85d");
  EXPECT_EQ(m->message.body(), "Hello");
  EXPECT_EQ(m->message.id(), "chat01");
  EXPECT_EQ(m->message.type(), "chat");
  EXPECT_TRUE(is::chat()(m->message));
  EXPECT_EQ(m->stamp, std::chrono::system_clock::time_point{1'567'259'132s});
  auto x = read_mam_message(xep_result);
  ASSERT_TRUE(x) << x.error();
  EXPECT_EQ(x->message.from(), "witch@shakespeare.lit");
  // 23:08:25.250 at +02:00 is 21:08:25.250 UTC.
  EXPECT_EQ(x->stamp, std::chrono::system_clock::time_point{1'278'796'105'250ms});
  EXPECT_TRUE(is::mam_result("f27")(xep_result));
}

TEST(mam_readers, malformed_results_give_errors_naming_the_problem) {
  EXPECT_NE(context(read_mam_message(prosody_fin)).find("not a <message/>"), std::string::npos);
  EXPECT_NE(
    context(read_mam_message(stanza{"<message><body>x</body></message>"})).find("no <result"),
    std::string::npos);
  EXPECT_NE(context(read_mam_message(stanza{"<message><result xmlns='urn:xmpp:mam:2' "
                                            "queryid='q'/></message>"}))
              .find("without an id"),
            std::string::npos);
  EXPECT_NE(context(read_mam_message(stanza{"<message><result xmlns='urn:xmpp:mam:2' "
                                            "id='1'><forwarded xmlns='urn:xmpp:forward:0'/>"
                                            "</result></message>"}))
              .find("<forwarded><message/>"),
            std::string::npos);
  for (const char* bad :
       {"yesterday", "2010-07-10T23:08:25", "2010-13-10T23:08:25Z", "2010-07-10T23:08:25.Z",
        "2010-07-10T23:08:25+2:00", "", "9999-12-31T23:59:59Z", "1000-01-01T00:00:00Z"}) {
    const stanza s{std::string{"<message><result xmlns='urn:xmpp:mam:2' id='1'>"
                               "<forwarded xmlns='urn:xmpp:forward:0'>"
                               "<delay xmlns='urn:xmpp:delay' stamp='"}
                   + bad + "'/><message/></forwarded></result></message>"};
    EXPECT_NE(context(read_mam_message(s)).find("not an XEP-0082 DateTime"), std::string::npos)
      << bad;
  }
  EXPECT_NE(context(read_mam_message(stanza{"<message><result"})).find("not well-formed"),
            std::string::npos);
}

TEST(mam_readers, fin_with_and_without_rsm) {
  auto p = read_mam_fin(prosody_fin);
  ASSERT_TRUE(p) << p.error();
  EXPECT_TRUE(p->complete);
  EXPECT_EQ(p->page.first, "");
  EXPECT_FALSE(p->page.count);
  auto x = read_mam_fin(xep_fin);
  ASSERT_TRUE(x) << x.error();
  EXPECT_FALSE(x->complete);
  EXPECT_EQ(x->page.first, "28482-98726-73623");
  EXPECT_EQ(x->page.last, "09af3-cc343-b409f");
  EXPECT_EQ(x->page.first_index, 0u);
  EXPECT_EQ(x->page.count, 20u);
  EXPECT_NE(context(read_mam_fin(xep_item_not_found)).find("error item-not-found"),
            std::string::npos);
  EXPECT_NE(context(read_mam_fin(prosody_result)).find("no iq result with <fin"),
            std::string::npos);
  EXPECT_NE(context(read_mam_fin(stanza{"<iq type='result'><fin xmlns='urn:xmpp:mam:2'>"
                                        "<set xmlns='http://jabber.org/protocol/rsm'>"
                                        "<count>many</count></set></fin></iq>"}))
              .find("<count>many</count> is not a number"),
            std::string::npos);
  EXPECT_NE(context(read_mam_fin(stanza{"<iq type='result'><fin xmlns='urn:xmpp:mam:2'>"
                                        "<set xmlns='http://jabber.org/protocol/rsm'>"
                                        "<first index='-1'>a</first></set></fin></iq>"}))
              .find("index='-1'"),
            std::string::npos);
}

TEST(read_result, value_throws_an_xmpp_error_naming_the_problem) {
  EXPECT_EQ(read_mam_message(prosody_result).value().archive_id,
            "ad8bd2b4-1c09-4b4c-9c94-0b3ab1e7d85d");
  try {
    (void)read_mam_message(prosody_fin).value();
    FAIL() << "no exception";
  } catch (const amoc::xmpp::error& e) {
    EXPECT_EQ(e.phase(), phase::receive);
    EXPECT_EQ(e.condition(), "bad-stanza");
    EXPECT_NE(std::string{e.what()}.find("MAM result: not a <message/>"), std::string::npos);
  }
}

TEST(mam_readers, pages_captured_from_ejabberd) {
  auto m = read_mam_message(ejabberd_result);
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->query_id, "p1");
  EXPECT_EQ(m->archive_id, "1796580024320532");
  EXPECT_EQ(m->message.body(), "mam #2");
  EXPECT_EQ(m->message.from(), "user_1@localhost/smoke");
  EXPECT_EQ(m->stamp, std::chrono::system_clock::time_point{1'796'580'024'320'532us});
  EXPECT_TRUE(is::mam_result("p1")(ejabberd_result));
  EXPECT_FALSE(is::mam_result("p0")(ejabberd_result));
  auto end = read_mam_fin(ejabberd_fin);
  ASSERT_TRUE(end) << end.error();
  EXPECT_FALSE(end->complete);
  EXPECT_EQ(end->page.first, "1796580024320532");
  EXPECT_EQ(end->page.last, "1796580024320664");
  EXPECT_EQ(end->page.count, 5u);
  EXPECT_FALSE(end->page.first_index);
}

TEST(mam_readers, pages_captured_from_prosody) {
  auto m = read_mam_message(prosody_page_result);
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->archive_id, "xNZX4iI52y6TW8DPb0WcZFV0");
  EXPECT_EQ(m->message.body(), "mam #2");
  EXPECT_EQ(m->stamp, std::chrono::system_clock::time_point{1'796'580'048s});
  auto end = read_mam_fin(prosody_page_fin);
  ASSERT_TRUE(end) << end.error();
  EXPECT_FALSE(end->complete) << "no complete attribute: more pages follow";
  EXPECT_EQ(end->page.last, "2HFF4cU4WdZ-5jTRxL5xFti6");
  EXPECT_EQ(end->page.count, 5u);
  EXPECT_NE(context(read_mam_fin(prosody_unknown_after)).find("error item-not-found"),
            std::string::npos);
}

TEST(mam_builders, datetime_as_start_and_end_carry_it) {
  const auto t = std::chrono::system_clock::time_point{1'796'580'024s};
  EXPECT_EQ(st::mam_datetime(t), "2026-12-06T18:00:24Z");
  EXPECT_EQ(st::mam_datetime(t + 320'532us), "2026-12-06T18:00:24.320532Z");
  // What the reader gives back from a stamp, the builder writes again.
  EXPECT_EQ(st::mam_datetime(*read_mam_message(ejabberd_result)->stamp),
            "2026-12-06T18:00:24.320532Z");
}
