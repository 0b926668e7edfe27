"""The arithmetic of ``metric`` rules: a formula and a condition over a file's counts.

Vale evaluates them as Tengo expressions: numbers, variables, ``+ - * / %``,
parentheses, comparisons, ``&&``, ``||``, ``!`` and the ``math`` module
(``math.sqrt(x)``, ``math.pow(x, y)``, ...). Kurt parses the same expressions
with Python's ``ast`` and evaluates only those node types: nothing else in a
rule file can run.
"""

from __future__ import annotations

import ast
import math
import operator
import re

BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
          ast.Div: operator.truediv, ast.Mod: operator.mod, ast.Pow: operator.pow}
COMPARE = {ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Lt: operator.lt,
           ast.LtE: operator.le, ast.Eq: operator.eq, ast.NotEq: operator.ne}
MATH = {name: getattr(math, name) for name in (
    "sqrt", "pow", "log", "log10", "log2", "exp", "floor", "ceil", "fabs", "trunc",
    "sin", "cos", "tan", "atan", "hypot", "cbrt",
) if hasattr(math, name)}
MATH.update({"abs": abs, "min": min, "max": max, "round": round})


class FormulaError(ValueError):
    """A formula that does not parse or cannot be evaluated."""


def _to_python(expression: str) -> str:
    text = expression.replace("&&", " and ").replace("||", " or ")
    text = re.sub(r"!(?!=)", " not ", text)
    return re.sub(r"heading\.(h[1-6])", r"heading_\1", text)


class Formula:
    """A parsed expression; ``names`` are the variables it reads."""

    def __init__(self, expression: str):
        self.expression = str(expression)
        try:
            self.tree = ast.parse(_to_python(self.expression).strip(), mode="eval")
        except SyntaxError as exc:
            raise FormulaError(f"{self.expression!r} does not parse: {exc.msg}") from None
        self.names: set[str] = set()
        self._validate(self.tree.body)

    def _validate(self, node) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            return
        if isinstance(node, ast.Name):
            self.names.add(node.id)
            return
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
            self._validate(node.left)
            self._validate(node.right)
            return
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            self._validate(node.operand)
            return
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self._validate(value)
            return
        if isinstance(node, ast.Compare) and all(type(op) in COMPARE for op in node.ops):
            self._validate(node.left)
            for value in node.comparators:
                self._validate(value)
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "math" \
                and node.func.attr in MATH and not node.keywords:
            for arg in node.args:
                self._validate(arg)
            return
        raise FormulaError(f"{self.expression!r}: '{ast.unparse(node)}' is not allowed in a formula")

    def evaluate(self, variables: dict[str, float]):
        try:
            return self._eval(self.tree.body, variables)
        except (ZeroDivisionError, OverflowError, ValueError) as exc:
            raise FormulaError(f"{self.expression!r}: {exc}") from None

    def _eval(self, node, env):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in env:
                raise FormulaError(f"{self.expression!r}: unknown variable '{node.id}'")
            return env[node.id]
        if isinstance(node, ast.BinOp):
            return BINARY[type(node.op)](self._eval(node.left, env), self._eval(node.right, env))
        if isinstance(node, ast.UnaryOp):
            value = self._eval(node.operand, env)
            if isinstance(node.op, ast.Not):
                return not value
            return -value if isinstance(node.op, ast.USub) else +value
        if isinstance(node, ast.BoolOp):
            values = [self._eval(v, env) for v in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, env)
            for op, comparator in zip(node.ops, node.comparators, strict=True):
                right = self._eval(comparator, env)
                if not COMPARE[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.Call):
            return MATH[node.func.attr](*(self._eval(a, env) for a in node.args))
        raise FormulaError(f"{self.expression!r}: cannot evaluate")
