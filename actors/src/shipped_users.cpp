#include "shipped_users.hpp"

namespace amoc::detail {

void shipped_users::receive(bool next_run, users::block b) {
  std::lock_guard lock{mutex_};
  auto& target = next_run ? next_ : current_;
  if (!target)
    target = std::make_shared<users::table>(b.source, b.header);
  if (b.columns.size() == b.header.size()) {
    full_rows_ += b.ids.count;
    if (b.ids.count > 0)
      full_ids_ += (full_ids_.empty() ? "" : ", ") + to_string(b.ids);
  } else {
    username_rows_ += b.ids.count;
  }
  target->add(std::move(b));
}

void shipped_users::begin_run() {
  std::lock_guard lock{mutex_};
  current_ = std::move(next_);
  next_ = nullptr;
}

std::shared_ptr<const users::table> shipped_users::current() const {
  std::lock_guard lock{mutex_};
  return current_;
}

std::string shipped_users::take_news() {
  std::lock_guard lock{mutex_};
  if (full_rows_ == 0 && username_rows_ == 0)
    return {};
  auto text = "rows of " + std::to_string(full_rows_) + " users (" + full_ids_ + "), usernames of "
              + std::to_string(username_rows_);
  full_rows_ = username_rows_ = 0;
  full_ids_.clear();
  return text;
}

}  // namespace amoc::detail
