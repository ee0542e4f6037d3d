// Documents generated from the key registry: the Markdown key tables of scenarios/README.md and
// the JSON Schema in scenarios/schema.json. Tests compare the committed files with these.
#include <fmt/format.h>

#include <cstdio>
#include <utility>

#include "models/registry.hpp"

namespace pitstop::models {
namespace {

// ---- Markdown -------------------------------------------------------------------------------

std::string code_list(const std::vector<std::string>& words, const char* last_sep) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? last_sep : ", ";
    out += "`" + words[i] + "`";
  }
  return out;
}

std::string type_text(const KeyInfo& k) {
  switch (k.type) {
    case KeyType::kString:
      return "text";
    case KeyType::kName:
      return "name";
    case KeyType::kDate:
      return "date";
    case KeyType::kNumber:
      return "number";
    case KeyType::kInteger:
      return "integer";
    case KeyType::kIntegerOrUnlimited:
      return "integer or `unlimited`";
    case KeyType::kChoice:
      return code_list(k.choices, " or ");
    case KeyType::kNumberList:
      return "list of numbers";
    case KeyType::kList:
      return "list";
    case KeyType::kMap:
      return "map";
    case KeyType::kNamedMap:
      return "map of names";
    case KeyType::kDistribution:
      return "distribution";
    case KeyType::kBoolean:
      return "boolean";
    case KeyType::kChanges:
      return "map of key paths";
  }
  return "";
}

std::string default_text(const KeyInfo& k) {
  if (k.required && !k.required_unless.empty()) {
    return "**required** unless `" + k.required_unless + "` is given";
  }
  if (k.required) return "**required**";
  if (!k.default_value.empty()) return "`" + k.default_value + "`";
  return k.default_doc.empty() ? "" : k.default_doc;
}

std::string allowed_text(const KeyInfo& k) {
  std::string out = range_text(k);
  if (k.type == KeyType::kNumberList) {
    std::string items = k.count > 0 ? fmt::format("{} items", k.count) : "≥ 1 item";
    out = out.empty() ? items : items + ", each " + out;
  } else if ((k.type == KeyType::kList || k.type == KeyType::kNamedMap) && k.count > 0) {
    const bool one = k.count == 1;
    const char* what =
        k.type == KeyType::kList ? (one ? "item" : "items") : (one ? "entry" : "entries");
    out = fmt::format("≥ {} {}", k.count, what);
  } else if (!k.one_of.empty()) {
    out = "exactly one of " + code_list(k.one_of, ", ");
  }
  return out;
}

std::string cell(std::string text) {
  std::string out;
  for (char c : text)
    out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

void key_table(std::string& out, const std::string& title, const std::string& section) {
  out += "### " + title + "\n\n";
  out += "| Key | Type | Unit | Default | Allowed | Description |\n";
  out += "|-----|------|------|---------|---------|-------------|\n";
  for (const auto& k : keys()) {
    const auto dot = k.pattern.find_first_of(".[");
    const std::string head = k.pattern.substr(0, dot);
    const bool own =
        head == "arrivals" || head == "services" || head == "population" || head == "demand";
    const std::string sec = own ? head : "";
    if (sec != section) continue;
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", k.pattern, cell(type_text(k)),
                       cell(k.unit), cell(default_text(k)), cell(allowed_text(k)), cell(k.doc));
  }
  out += "\n";
}

// ---- JSON -----------------------------------------------------------------------------------

/// A minimal ordered JSON value, enough to print the schema deterministically.
struct Json {
  enum class Kind { kObject, kArray, kString, kRaw } kind = Kind::kObject;
  std::vector<std::pair<std::string, Json>> members;
  std::vector<Json> elements;
  std::string text;

  static Json str(std::string s) { return Json{Kind::kString, {}, {}, std::move(s)}; }
  static Json raw(std::string s) { return Json{Kind::kRaw, {}, {}, std::move(s)}; }
  static Json num(double v) { return raw(fmt::format("{}", v)); }
  static Json array(std::vector<Json> items) {
    return Json{Kind::kArray, {}, std::move(items), {}};
  }
  static Json strings(const std::vector<std::string>& items) {
    std::vector<Json> out;
    for (const auto& s : items)
      out.push_back(str(s));
    return array(std::move(out));
  }
  Json& set(std::string key, Json value) {
    members.emplace_back(std::move(key), std::move(value));
    return *this;
  }
};

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

void print(std::string& out, const Json& j, int indent) {
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  const std::string end_pad(static_cast<std::size_t>(indent), ' ');
  switch (j.kind) {
    case Json::Kind::kString:
      out += quote(j.text);
      return;
    case Json::Kind::kRaw:
      out += j.text;
      return;
    case Json::Kind::kArray: {
      bool flat = true;
      for (const auto& e : j.elements)
        flat = flat && e.kind != Json::Kind::kObject;
      out += "[";
      for (std::size_t i = 0; i < j.elements.size(); ++i) {
        out += i == 0 ? "" : ",";
        out += flat ? (i == 0 ? "" : " ") : "\n" + pad;
        print(out, j.elements[i], indent + 2);
      }
      out += flat || j.elements.empty() ? "]" : "\n" + end_pad + "]";
      return;
    }
    case Json::Kind::kObject:
      out += "{";
      for (std::size_t i = 0; i < j.members.size(); ++i) {
        out += (i == 0 ? "\n" : ",\n") + pad + quote(j.members[i].first) + ": ";
        print(out, j.members[i].second, indent + 2);
      }
      out += j.members.empty() ? "}" : "\n" + end_pad + "}";
      return;
  }
}

std::string description(const KeyInfo& k) {
  std::string d = k.doc;
  if (!k.unit.empty()) d += " Unit: " + k.unit + ".";
  if (!k.default_value.empty()) d += " Default: " + k.default_value + ".";
  return d;
}

void add_range(Json& j, const KeyInfo& k) {
  if (k.min) j.set(k.min_exclusive ? "exclusiveMinimum" : "minimum", Json::num(*k.min));
  if (k.max) j.set(k.max_exclusive ? "exclusiveMaximum" : "maximum", Json::num(*k.max));
}

Json schema_of(const KeyInfo& k, bool strict);

// In a partial file (one with `extends`) any key may be `~`, which removes the inherited value.
Json nullable(Json j) {
  Json out;
  out.members.push_back(std::move(j.members.front()));  // the description stays on top
  j.members.erase(j.members.begin());
  out.set("anyOf", Json::array({std::move(j), Json().set("type", Json::str("null"))}));
  return out;
}

// A map's properties from the registry children of `k`; `strict` adds required keys.
Json object_schema(const KeyInfo& k, bool strict) {
  Json j;
  j.set("type", Json::str("object"));
  Json props;
  std::vector<std::string> required;
  std::vector<Json> conditions;  // "required unless": {if: not required [other], then: …}
  for (const KeyInfo* c : children_of(k.pattern)) {
    Json child = schema_of(*c, strict);
    const std::string name = leaf_name(c->pattern);
    props.set(name, strict ? std::move(child) : nullable(std::move(child)));
    if (c->required && c->required_unless.empty()) required.push_back(name);
    if (c->required && !c->required_unless.empty()) {
      Json absent = Json().set("not", Json().set("required", Json::strings({c->required_unless})));
      conditions.push_back(Json()
                               .set("if", std::move(absent))
                               .set("then", Json().set("required", Json::strings({name}))));
    }
  }
  // An item of a named list in a file that `extends` another may be `{name: x, remove: true}`.
  const bool named_item = k.pattern.ends_with("[*]") && find_key(k.pattern + ".name") != nullptr;
  if (!strict && named_item) props.set("remove", Json().set("const", Json::raw("true")));
  j.set("properties", std::move(props));
  if (strict && !required.empty()) j.set("required", Json::strings(required));
  if (strict && !conditions.empty()) j.set("allOf", Json::array(std::move(conditions)));
  j.set("additionalProperties", Json::raw("false"));
  if (strict && !k.one_of.empty()) {
    std::vector<Json> options;
    for (const auto& o : k.one_of)
      options.push_back(Json().set("required", Json::strings({o})));
    j.set("oneOf", Json::array(std::move(options)));
  }
  if (k.type == KeyType::kDistribution) {
    std::vector<Json> rules;
    for (const auto& d : distributions()) {
      std::vector<std::string> allowed = {"dist"};
      allowed.insert(allowed.end(), d.params.begin(), d.params.end());
      Json cond =
          Json().set("properties", Json().set("dist", Json().set("const", Json::str(d.name))));
      Json then = Json().set("propertyNames", Json().set("enum", Json::strings(allowed)));
      if (strict) then.set("required", Json::strings(d.params));
      rules.push_back(Json().set("if", std::move(cond)).set("then", std::move(then)));
    }
    j.set("allOf", Json::array(std::move(rules)));
  }
  return j;
}

Json schema_of(const KeyInfo& k, bool strict) {
  Json j;
  j.set("description", Json::str(description(k)));
  switch (k.type) {
    case KeyType::kString:
      j.set("type", Json::str("string"));
      break;
    case KeyType::kName:
      j.set("type", Json::str("string")).set("pattern", Json::str("^[A-Za-z0-9_-]+$"));
      break;
    case KeyType::kDate:
      j.set("type", Json::str("string")).set("pattern", Json::str("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"));
      break;
    case KeyType::kNumber:
    case KeyType::kInteger:
      j.set("type", Json::str(k.type == KeyType::kNumber ? "number" : "integer"));
      add_range(j, k);
      break;
    case KeyType::kIntegerOrUnlimited: {
      Json num;
      num.set("type", Json::str("integer"));
      add_range(num, k);
      j.set("anyOf", Json::array({Json().set("const", Json::str("unlimited")), std::move(num)}));
      break;
    }
    case KeyType::kChoice:
      j.set("enum", Json::strings(k.choices));
      break;
    case KeyType::kNumberList: {
      Json item;
      item.set("type", Json::str("number"));
      add_range(item, k);
      j.set("type", Json::str("array")).set("items", std::move(item));
      j.set("minItems", Json::num(k.count > 0 ? static_cast<double>(k.count) : 1.0));
      if (k.count > 0) j.set("maxItems", Json::num(static_cast<double>(k.count)));
      break;
    }
    case KeyType::kList:
      j.set("type", Json::str("array"))
          .set("items", schema_of(*find_key(k.pattern + "[*]"), strict));
      if (strict && k.count > 0) j.set("minItems", Json::num(static_cast<double>(k.count)));
      break;
    case KeyType::kNamedMap: {
      j.set("type", Json::str("object"));
      j.set("propertyNames", Json()
                                 .set("pattern", Json::str("^[A-Za-z0-9_-]+$"))
                                 .set("not", Json().set("const", Json::str("exit"))));
      j.set("additionalProperties", schema_of(*find_key(k.pattern + ".*"), strict));
      if (strict && k.count > 0) j.set("minProperties", Json::num(static_cast<double>(k.count)));
      break;
    }
    case KeyType::kMap:
    case KeyType::kDistribution:
      for (auto& m : object_schema(k, strict).members)
        j.set(m.first, std::move(m.second));
      break;
    case KeyType::kBoolean:
      j.set("type", Json::str("boolean"));
      break;
    case KeyType::kChanges:
      j.set("type", Json::str("object"));
      j.set("propertyNames",
            Json().set("pattern", Json::str("^[A-Za-z0-9_+-]+(\\.[A-Za-z0-9_+-]+)*$")));
      break;
  }
  return j;
}

}  // namespace

std::string reference_markdown() {
  std::string out =
      "<!-- Generated from models/registry.cpp by reference_markdown(); do not edit by hand. "
      "-->\n\n";
  key_table(out, "Scenario (top level)", "");
  key_table(out, "Arrivals", "arrivals");
  key_table(out, "Services", "services");
  key_table(out, "Population", "population");
  key_table(out, "Demand", "demand");
  out += "### Distributions\n\n";
  out += "| `dist` | Parameters | Mean | Variance | Notes |\n";
  out += "|--------|------------|------|----------|-------|\n";
  for (const auto& d : distributions()) {
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", d.name, code_list(d.params, ", "),
                       cell(d.mean), cell(d.variance), cell(d.doc));
  }
  return out;
}

std::string json_schema() {
  KeyInfo top{.pattern = "", .type = KeyType::kMap};
  Json root;
  root.set("$schema", Json::str("http://json-schema.org/draft-07/schema#"));
  root.set("title", Json::str("pitstop scenario"));
  root.set("description",
           Json::str("Generated from models/registry.cpp by json_schema(); see "
                     "scenarios/README.md. A file with `extends` may leave out required keys."));
  root.set("if", Json().set("required", Json::strings({"extends"})));
  root.set("then", Json().set("$ref", Json::str("#/definitions/partial")));
  root.set("else", Json().set("$ref", Json::str("#/definitions/scenario")));
  root.set(
      "definitions",
      Json().set("scenario", object_schema(top, true)).set("partial", object_schema(top, false)));
  std::string out;
  print(out, root, 0);
  return out + "\n";
}

}  // namespace pitstop::models
