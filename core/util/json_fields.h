#pragma once
// Reading a config object key by key. An absent key keeps the field as it is (its default,
// or what a preset applied just before set), so a config file need only name what it
// changes; a present key must convert to the field's type or nlohmann throws naming it.

#include <nlohmann/json.hpp>

namespace can {

template <class T>
void read_if_present(const nlohmann::json& j, const char* key, T& field) {
  if (j.contains(key)) j.at(key).get_to(field);
}

}  // namespace can
