"""The enzyme measure: the most abnormal enzyme at baseline and its change, column-wise.

6. *The most abnormal enzyme* compares ``b1/u1`` with ``b2/u2`` as cross products of the decimal
   integers, each checked below ``2**53``; ties keep the earlier enzyme (CK, aldolase, AST, ALT,
   LDH), as the scalar path does.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from myoresponse.criteria import MeasureRule
from myoresponse.enzymes import Enzyme
from myoresponse.options import EnzymeRule
from myoresponse.tables._decimal import EXACT, POW10, outside
from myoresponse.tables._engine import ENZYMES, Workspace
from myoresponse.tables._problems import negative_code, rule_code

__all__ = ["enzyme_change"]

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]


def enzyme_change(ws: Workspace, rule: MeasureRule, q_limit: float, rule_index: int) -> Floats:
    """The change of the followed enzyme per row (NaN where missing), its index in ``ws.enzyme``."""
    options = ws.options
    present = [
        e
        for e in ENZYMES
        if any(f"{v}_{_low(e)}" in ws.block.columns for v in ("baseline", "followup", "uln"))
    ]
    if ws.pin is not None and ws.pin not in present:
        present.append(ws.pin)
    if not present:
        ws.any_enzyme = np.zeros(ws.size, dtype=bool)
        return ws.nan()
    any_b: Bools | None = np.zeros(ws.size, dtype=bool)  # None: every row has one
    best_num: Floats | None = None
    best_den: Floats | None = None
    best_tops = (0.0, 0.0)
    chosen = ws.enzyme
    change: Floats | None = None
    last = len(present) - 1
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for position, enzyme in enumerate(present):
            index = ENZYMES.index(enzyme)
            low = _low(enzyme)
            b = ws.column(f"baseline_{low}")
            f = ws.column(f"followup_{low}")
            u = ws.column(f"uln_{low}")
            values = ws.group(f"baseline_{low}", f"followup_{low}", work=f"e{position}v")
            ulns = ws.group(f"uln_{low}", work=f"e{position}u")
            ws.problems.add(values.bad)
            ws.problems.add(ulns.bad)
            for i, (x, side) in enumerate(((b, "baseline"), (f, "followup"))):
                code = negative_code(side, "enzymes", index)
                ws.values_outside(x, values, i, 0.0, None, (code, code))
            ws.problems.add(outside(u, ulns, 0, 0.0, None, strict_lo=True))
            ws.followup_without_baseline(b, f, values, rule_code(rule_index, index))
            # rows with a baseline value (all of them when the column has no NaN)
            has_b: Bools | None = ~np.isnan(b) if values.has_nan[0] else None
            any_b = None if has_b is None or any_b is None else any_b | has_b
            if ws.pin is None:
                if ulns.has_nan[0]:
                    missing_u = np.isnan(u)
                    ws.problems.add(missing_u if has_b is None else has_b & missing_u)
            elif ws.pin is enzyme and ulns.has_nan[0]:
                ws.problems.add(np.isnan(u))
            nb, nf = values.ints
            nu = ulns.ints[0]
            b_top = values.top(0)
            u_top = ulns.top(0)
            # the change of this enzyme, should it be chosen (NaN where b is missing)
            if options.enzyme_rule is EnzymeRule.RANGE:
                k = options.enzyme_range_multiples[enzyme]
                factor = 100.0 * k.denominator * POW10[ulns.d]
                p = np.subtract(nb, nf, out=ws.work(f"e{position}p"))
                p *= factor
                q_factor = k.numerator * POW10[values.d]
                q = nu if q_factor == 1 else np.multiply(nu, q_factor, out=ws.work("q"))
                p_bound = max(values.top(1), b_top) * factor
                q_top = u_top * k.numerator * POW10[values.d]
            else:
                p = np.subtract(nb, nf, out=ws.work(f"e{position}p"))
                p *= 100.0
                q = nb
                p_bound = max(values.top(1), b_top) * 100.0
                q_top = b_top
            if not p_bound < EXACT:
                ws.problems.add(np.abs(p) >= EXACT)
            if not q_top < q_limit:
                ws.problems.add(q >= q_limit)
            c = np.divide(p, q, out=p)
            # the most abnormal at baseline: b/u against the best so far, as cross products
            if ws.pin is not None:
                if enzyme is ws.pin:
                    _set(chosen, index, has_b)
                    change = c
                continue
            num = nb if ulns.d == 0 else nb * POW10[ulns.d]
            den = nu if values.d == 0 else nu * POW10[values.d]
            num_top, den_top = b_top * POW10[ulns.d], u_top * POW10[values.d]
            if best_num is None or best_den is None or change is None:
                best_num = num if has_b is None else np.where(has_b, num, -1.0)
                best_den = den if has_b is None else np.where(has_b, den, 1.0)
                _set(chosen, index, has_b)
                best_tops = (num_top, den_top)
                change = c
                continue
            left = np.multiply(num, best_den, out=ws.work("left"))
            right = np.multiply(best_num, den, out=ws.work("right"))
            if not (num_top * best_tops[1] < EXACT and best_tops[0] * den_top < EXACT):
                ws.problems.add((left >= EXACT) | (right >= EXACT))
            best_tops = (max(best_tops[0], num_top), max(best_tops[1], den_top))
            better = np.greater(left, right, out=ws.work("better", np.bool_))
            if position < last:
                best_num = np.where(better, num, best_num)
                best_den = np.where(better, den, best_den)
            # chosen = index where better: chosen += better * (index - chosen), in int8
            step = np.subtract(np.int8(index), chosen, out=ws.work("step", np.int8))
            step *= better.view(np.int8)
            chosen += step
            change = np.where(better, c, change)
        if options.enzyme_rule is EnzymeRule.RELATIVE:
            for enzyme in present:
                low = _low(enzyme)
                b = ws.column(f"baseline_{low}")
                ws.problems.add((chosen == ENZYMES.index(enzyme)) & (b == 0))
    ws.any_enzyme = any_b
    return ws.nan() if change is None else change


def _set(target: NDArray[np.int8], value: int, where: Bools | None) -> None:
    """``target[where] = value``, everywhere when ``where`` is None."""
    if where is None:
        target.fill(value)
    else:
        np.copyto(target, np.int8(value), where=where)


_ENZYME_KEYS = frozenset(e.value.lower() for e in Enzyme)


def _low(enzyme: Enzyme) -> str:
    return enzyme.value.lower()
