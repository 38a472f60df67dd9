#include "amoc/error.hpp"

#include <gtest/gtest.h>

#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>

using namespace amoc;

TEST(error, renders_code_and_context) {
  EXPECT_EQ(render(make_error(ec::invalid_config, "interarrival: bad")),
            "invalid_config: interarrival: bad");
  EXPECT_EQ(render(make_error(exit::graceful_stop)), "graceful_stop");
  EXPECT_EQ(render(caf::error{}), "none");
}

TEST(error, maps_exit_reasons) {
  for (auto reason : all_exit_reasons)
    EXPECT_EQ(exit_reason_of(make_error(reason, "x")), reason) << to_string(reason);
  EXPECT_EQ(exit_reason_of(caf::exit_reason::kill), exit::forced_stop);
  EXPECT_EQ(exit_reason_of(caf::exit_reason::remote_link_unreachable), exit::node_lost);
  EXPECT_EQ(exit_reason_of(make_error(ec::timeout)), exit::scenario_error);
}

TEST(error, keeps_category_and_code) {
  auto err = make_error(exit::forced_stop, "removed");
  EXPECT_EQ(err.category(), exit_category);
  EXPECT_EQ(err.code(), static_cast<std::uint8_t>(exit::forced_stop));
  EXPECT_EQ(context_of(err), "removed");
}

TEST(error, registers_renderers_with_caf) {
  caf::actor_system_config cfg;
  add_error_categories(cfg);
  auto& renderers = cfg.error_renderers;
  ASSERT_TRUE(renderers.count(ec_category));
  ASSERT_TRUE(renderers.count(exit_category));
  EXPECT_EQ(renderers[exit_category](static_cast<std::uint8_t>(exit::node_lost), exit_category,
                                     caf::make_message(std::string{"worker-2"})),
            "node_lost: worker-2");
}
