#include "console/erlang_term.hpp"

#include <gtest/gtest.h>

#include "amoc/error.hpp"

namespace amoc::console {
namespace {

TEST(ErlangTerm, ReadsAtomsStringsIntegersListsAndTuples) {
  auto t = parse_term(R"([{nodes, ['a@h', b@h]}, {comment, "two words"}, {n, -12}])");
  ASSERT_TRUE(t) << render(t.error());
  ASSERT_TRUE(t->is(term::kind::list));
  ASSERT_EQ(t->items.size(), 3u);
  const auto& nodes = t->items[0];
  ASSERT_TRUE(nodes.is(term::kind::tuple));
  EXPECT_TRUE(nodes.items[0].is_atom("nodes"));
  ASSERT_EQ(nodes.items[1].items.size(), 2u);
  EXPECT_TRUE(nodes.items[1].items[0].is_atom("a@h"));
  EXPECT_TRUE(nodes.items[1].items[1].is_atom("b@h"));
  EXPECT_TRUE(t->items[1].items[1].is(term::kind::string));
  EXPECT_EQ(t->items[1].items[1].text, "two words");
  EXPECT_EQ(t->items[2].items[1].integer, -12);
}

TEST(ErlangTerm, EmptyListsAndEscapes) {
  auto t = parse_term(R"({[], "say \"hi\"", 'it''s'})");
  EXPECT_FALSE(t) << "two quoted atoms side by side are not one term";
  t = parse_term(R"({[], "say \"hi\""})");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->items[0].items.empty());
  EXPECT_EQ(t->items[1].text, "say \"hi\"");
}

TEST(ErlangTerm, ErrorsSayWhatWasExpectedWhere) {
  auto t = parse_term("[a, b");
  ASSERT_FALSE(t);
  EXPECT_EQ(context_of(t.error()), "expected ',' or ']' at column 6, found the end of the line");
  t = parse_term("{force, True}");
  ASSERT_FALSE(t);
  EXPECT_NE(context_of(t.error()).find("variables such as True are not supported"),
            std::string::npos);
  t = parse_term("1.5");
  ASSERT_FALSE(t);
  EXPECT_NE(context_of(t.error()).find("floats are not supported"), std::string::npos);
  EXPECT_FALSE(parse_term("\"open"));
  EXPECT_FALSE(parse_term("99999999999999999999"));
}

TEST(ErlangTerm, ParsesCalls) {
  auto call = parse_call("amoc_local:do(my_scenario, 1, 10).");
  ASSERT_TRUE(call) << render(call.error());
  EXPECT_EQ(call->module, "amoc_local");
  EXPECT_EQ(call->function, "do");
  ASSERT_EQ(call->args.size(), 3u);
  EXPECT_TRUE(call->args[0].is_atom("my_scenario"));
  EXPECT_EQ(call->args[2].integer, 10);
  call = parse_call("q().");
  ASSERT_TRUE(call);
  EXPECT_EQ(call->module, "");
  EXPECT_EQ(call->function, "q");
  EXPECT_TRUE(call->args.empty());
  EXPECT_TRUE(parse_call("  amoc_dist:add( 50 )  ")) << "the final dot is optional";
  EXPECT_FALSE(parse_call("amoc_local:add(10). extra"));
  EXPECT_FALSE(parse_call("amoc_local:add(10"));
}

TEST(ErlangTerm, TellsCallsFromConsoleCommands) {
  EXPECT_TRUE(looks_like_call("amoc_local:add(10)."));
  EXPECT_TRUE(looks_like_call("q()."));
  EXPECT_FALSE(looks_like_call("local add 10"));
  EXPECT_FALSE(looks_like_call("status"));
  EXPECT_FALSE(looks_like_call("config set comment (x)"));
}

}  // namespace
}  // namespace amoc::console
