// http::result: the response or the error, readable through a const reference.

#include <gtest/gtest.h>

#include "amoc/http/error.hpp"

using amoc::http::phase;
using amoc::http::response;
using amoc::http::result;

namespace {

unsigned status_of(const result& r) { return r.value().status; }

}  // namespace

TEST(HttpResult, AResponseIsReadableThroughAConstReference) {
  response ok;
  ok.status = 204;
  const result r{ok};
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(status_of(r), 204u);
  EXPECT_EQ(r->status, 204u);
  EXPECT_EQ((*r).status, 204u);
}

TEST(HttpResult, ValueOfAnErrorThrowsTheErrorEvenWhenConst) {
  const result r{amoc::http::error{phase::connect, "connection-refused"}};
  EXPECT_FALSE(r);
  try {
    (void)status_of(r);
    FAIL() << "value() of an error returned";
  } catch (const amoc::http::error& e) {
    EXPECT_EQ(e.phase(), phase::connect);
    EXPECT_EQ(e.condition(), "connection-refused");
  }
}

TEST(HttpResult, AnRvalueResultMovesItsResponseOut) {
  response big;
  big.body.assign(1000, 'x');
  result r{std::move(big)};
  const response taken = std::move(r).value();
  EXPECT_EQ(taken.body.size(), 1000u);
}
