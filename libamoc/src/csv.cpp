// The RFC 4180 state machine: one byte at a time, one field buffer, so a
// chunk boundary may fall anywhere (inside a quote, between CR and LF).

#include "amoc/csv.hpp"

namespace amoc::csv {

// Fields are copied into strings the record keeps from row to row, so a file
// of rows with the same columns allocates nothing per row.
void reader::end_field() {
  if (fields_ < current_.fields.size())
    current_.fields[fields_].assign(field_);
  else
    current_.fields.push_back(field_);
  ++fields_;
  field_.clear();
}

bool reader::end_record(const record_sink& sink) {
  end_field();
  current_.fields.resize(fields_);
  const bool go_on = sink(current_);
  fields_ = 0;
  current_.quoted_ = false;
  record_bytes_ = 0;
  state_ = state::field_start;
  ++line_;
  current_.line = line_;
  stopped_ = !go_on;
  return go_on;
}

std::optional<problem> reader::feed(std::string_view bytes, const record_sink& sink) {
  for (const char c : bytes) {
    if (stopped_)
      return std::nullopt;
    if (++record_bytes_ > max_record_bytes_)
      return problem{current_.line, "a row longer than " + std::to_string(max_record_bytes_ >> 10)
                                      + " KiB (is a quote left open?)"};
    switch (state_) {
    case state::after_cr:
      if (c != '\n')
        return at_line("a carriage return without a line feed after it (lines must end in "
                       "CRLF or LF)");
      end_record(sink);
      break;
    case state::field_start:
      if (c == '"') {
        state_ = state::quoted;
        quote_line_ = line_;
        current_.quoted_ = true;
        break;
      }
      state_ = state::unquoted;
      [[fallthrough]];
    case state::unquoted:
      if (c == ',') {
        end_field();
        state_ = state::field_start;
      } else if (c == '\n') {
        end_record(sink);
      } else if (c == '\r') {
        state_ = state::after_cr;
      } else if (c == '"') {
        return at_line("a quote inside an unquoted field (quote the whole field and double "
                       "the quotes in it: \"a\"\"b\")");
      } else {
        field_.push_back(c);
      }
      break;
    case state::quoted:
      if (c == '"')
        state_ = state::quote_in_quoted;
      else {
        if (c == '\n')
          ++line_;  // the record still starts on its first line
        field_.push_back(c);
      }
      break;
    case state::quote_in_quoted:
      if (c == '"') {  // "" inside quotes is one quote
        field_.push_back('"');
        state_ = state::quoted;
      } else if (c == ',') {
        end_field();
        state_ = state::field_start;
      } else if (c == '\n') {
        end_record(sink);
      } else if (c == '\r') {
        state_ = state::after_cr;
      } else {
        return at_line("text after the closing quote of a field (a quote inside a quoted "
                       "field is written \"\")");
      }
      break;
    }
  }
  return std::nullopt;
}

std::optional<problem> reader::finish(const record_sink& sink) {
  if (stopped_)
    return std::nullopt;
  switch (state_) {
  case state::quoted:
    return problem{quote_line_, "a quoted field opened on line " + std::to_string(quote_line_)
                                  + " is never closed"};
  case state::field_start:
    // The input ended with a line break (or is empty): no last record.
    if (fields_ == 0)
      return std::nullopt;
    break;
  default: break;
  }
  end_record(sink);
  return std::nullopt;
}

parsed parse(std::string_view text) {
  parsed out;
  reader r;
  auto keep = [&](const record& rec) {
    out.records.push_back(rec);
    return true;
  };
  out.error = r.feed(text, keep);
  if (!out.error)
    out.error = r.finish(keep);
  return out;
}

}  // namespace amoc::csv
