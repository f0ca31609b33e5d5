// harness/kinds/theory_source.cpp -- see theory_source.hpp.
#include "harness/kinds/theory_source.hpp"

namespace collapse::harness::kinds {

formula::formula formula_at(const entries& th, const std::string& key) {
  const std::string text = th.text(key);
  try {
    return formula::formula::parse(text);
  } catch (const collapse::domain_error& e) {
    throw suite_error(th.where(key), key, "\"" + text + "\"", "a formula (docs/formulas.md)", e.what());
  }
}

namespace {
/// The point of formula::evaluate_* for `f`: the symbols of `f` from `at`, the spectrum when `f` has primitives.
formula::point point_of(const formula::formula& f, const entries& c, const formula_point& at) {
  formula::point p;
  for (const auto& name : f.symbols()) {
    auto it = at.values.find(name);
    if (it == at.values.end())
      c.fail(name, "(missing)", "a value: the formula uses " + name, "this kind gives a formula the values " + at.offered);
    p.values[name] = it->second;
  }
  if (f.uses_spectrum()) p.spectrum = at.spectrum;
  return p;
}
}  // namespace

rational formula_value(const formula::formula& f, const entries& c, const formula_point& at) {
  const formula::point p = point_of(f, c, at);
  return at_case(c, "formula", [&] {
    if (auto q = formula::exact_value(f, p)) return *q;
    return parse_exact("value", formula::evaluate_certified(f, p, 30).value).value;
  });
}

bool formula_is_exact(const formula::formula& f, const entries& c, const formula_point& at) {
  const formula::point p = point_of(f, c, at);
  return at_case(c, "formula", [&] { return formula::exact_value(f, p).has_value(); });
}

std::string theory_source::describe() const { return formula ? "the formula " + formula->text() : quantity; }

theory_source read_theory(const entries& th, const std::vector<std::string>& quantities, bool quantity_optional) {
  theory_source t;
  if (th.has("formula")) {
    if (th.has("quantity")) th.fail("quantity", th.text("quantity"), "either quantity or formula, not both");
    t.formula = formula_at(th, "formula");
  } else {
    t.quantity = th.choice("quantity", quantities, quantity_optional);
  }
  return t;
}

}  // namespace collapse::harness::kinds
