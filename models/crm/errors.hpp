#pragma once
// Bad input in a CRM export, a mapping or a price list: a message naming the file, the column
// or key, and what was expected. The command line turns it into exit code 2.
#include <stdexcept>

namespace salesim::crm {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace salesim::crm
