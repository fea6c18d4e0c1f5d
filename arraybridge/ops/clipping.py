"""Gradient clipping (TensorFlow's ``clip_by_norm`` and ``clip_by_global_norm``).

Not part of the Array API standard: TensorFlow's functions, with its semantics, written
with arraybridge ops so they run on every backend and are themselves differentiable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .. import _config, _dtypes
from .._dispatch import check_category, tensor_arg
from .._tensor import Tensor
from ..autodiff._rules import composite
from .creation import asarray, ones_like
from .data_type import astype
from .elementwise import conj, divide, greater, maximum, minimum, multiply, real, sqrt
from .manipulation import _axes
from .searching import where
from .statistical import sum as _sum

__all__ = ["clip_by_global_norm", "clip_by_norm"]


def _norm_operand(clip_norm: Any, where_: str) -> Any:
    """``clip_norm`` as a Python float or a 0-d real floating-point tensor."""
    if isinstance(clip_norm, Tensor):
        if clip_norm.ndim != 0:
            raise ValueError(
                f"{where_}: clip_norm must be a scalar (0-d), got shape {clip_norm.shape}"
            )
        check_category(clip_norm, "real floating-point", f"{where_} (clip_norm)")
        return clip_norm
    if isinstance(clip_norm, bool) or not isinstance(clip_norm, int | float):
        raise TypeError(
            f"{where_}: clip_norm must be a Python float or a 0-d tensor, "
            f"got {type(clip_norm).__name__}"
        )
    return float(clip_norm)


def _squared_norm(t: Tensor, axes: tuple[int, ...] | None, keepdims: bool) -> Tensor:
    """sum(|t|**2) over ``axes``, in ``t``'s real dtype."""
    sq = real(multiply(t, conj(t))) if t._dtype in _dtypes.COMPLEX_FLOATING else multiply(t, t)
    return _sum(sq, axis=axes, keepdims=keepdims)


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None) -> Tensor:
    """``t`` scaled so that its L2 norm over ``axes`` is at most ``clip_norm``.

    TensorFlow's ``tf.clip_by_norm``: ``t * clip_norm / maximum(l2norm(t), clip_norm)``,
    the norm taken over ``axes`` (all axes when None) with the reduced axes kept, so each
    slice along the other axes is clipped on its own. ``t`` is returned unchanged in value
    where its norm is already at most ``clip_norm``; a zero ``t`` stays zero, with finite
    gradients. Floating-point tensors only; the result has ``t``'s dtype and shape.

    Parameters
    ----------
    t : tensor
        The values to clip.
    clip_norm : float or 0-d real floating-point tensor
        The largest norm allowed (> 0).
    axes : int or tuple of ints, optional
        The axes the norm is taken over (all axes when None).
    """
    where_ = "clip_by_norm"
    t = tensor_arg(t, where_)
    check_category(t, "floating-point", where_)
    cn = _norm_operand(clip_norm, where_)
    ax = _axes(axes, t.ndim, where_)
    l2sum = _squared_norm(t, ax, keepdims=True)
    pred = greater(l2sum, 0)
    # the two-`where` trick: the gradient of sqrt at 0 never enters (TensorFlow's)
    l2sum_safe = where(pred, l2sum, ones_like(l2sum))
    l2norm = where(pred, sqrt(l2sum_safe), l2sum)
    if t._dtype in _dtypes.COMPLEX_FLOATING:
        # Note: TensorFlow squares complex values (t * t) for the norm; arraybridge uses
        # |t|**2 (the L2 norm of a complex tensor) and scales by a real factor.
        scale = divide(cn, maximum(l2norm, cn))
        return multiply(t, astype(scale, t._dtype))
    return divide(multiply(t, cn), maximum(l2norm, cn))


def _global_norm(values: list[Tensor]) -> Tensor:
    """sqrt(sum of the squared L2 norms of ``values``), in their (promoted) real dtype."""
    total: Tensor | None = None
    with _config.semantics("standard"):  # float32 and float64 tensors may be mixed
        for v in values:
            s = _squared_norm(v, None, keepdims=False)
            total = s if total is None else total + s
    assert total is not None
    return sqrt(total)


def clip_by_global_norm(
    t_list: Sequence[Any], clip_norm: Any, use_norm: Any = None
) -> tuple[list[Tensor | None], Tensor]:
    """Scale every tensor of ``t_list`` by one factor so that their global norm is at
    most ``clip_norm``; returns ``(list_clipped, global_norm)``.

    TensorFlow's ``tf.clip_by_global_norm``: ``global_norm = sqrt(sum(l2norm(t)**2))``
    over the tensors (``use_norm`` if given), and each tensor becomes
    ``t * clip_norm / maximum(global_norm, clip_norm)``. ``None`` entries pass through as
    ``None``. A non-finite global norm makes every clipped value NaN (TensorFlow's
    behaviour, so a diverged step is visible). ``global_norm`` is returned unclipped.

    Parameters
    ----------
    t_list : list or tuple of tensors (or None)
        The tensors to clip, for instance the gradients of a training step.
    clip_norm : float or 0-d real floating-point tensor
        The largest global norm allowed (> 0).
    use_norm : float or 0-d tensor, optional
        The global norm to use instead of computing it.
    """
    where_ = "clip_by_global_norm"
    if isinstance(t_list, Tensor | str | bytes) or not isinstance(t_list, Sequence):
        raise TypeError(
            f"{where_}: t_list must be a list or tuple of tensors, got {type(t_list).__name__}"
        )
    values: list[Tensor | None] = []
    for i, t in enumerate(t_list):
        if t is None:
            values.append(None)
            continue
        v = tensor_arg(t, where_)
        check_category(v, "floating-point", f"{where_} (t_list[{i}])")
        values.append(v)
    present = [v for v in values if v is not None]
    cn = _norm_operand(clip_norm, where_)
    if use_norm is None:
        if not present:
            raise ValueError(f"{where_}: t_list has no tensors (all {len(values)} are None)")
        norm = _global_norm(present)
    elif isinstance(use_norm, Tensor):
        norm = use_norm
        if norm.ndim != 0:
            raise ValueError(f"{where_}: use_norm must be a scalar (0-d), got shape {norm.shape}")
        check_category(norm, "real floating-point", f"{where_} (use_norm)")
    else:
        if isinstance(use_norm, bool) or not isinstance(use_norm, int | float):
            raise TypeError(
                f"{where_}: use_norm must be a Python float or a 0-d tensor, "
                f"got {type(use_norm).__name__}"
            )
        dtype = present[0]._dtype if present else _dtypes.DEFAULT_FLOAT
        dtype = _dtypes.COMPLEX_TO_REAL.get(dtype, dtype)
        norm = asarray(float(use_norm), dtype=dtype, device=present[0].device if present else None)
    # TensorFlow's formula: clip_norm * min(1 / norm, 1 / clip_norm), plus (norm - norm)
    # so that a non-finite norm gives NaN rather than a silent zero or no-op.
    if isinstance(cn, Tensor):
        inv_cn: Any = divide(1.0, cn)
    else:
        inv_cn = 1.0 / cn if cn != 0 else math.copysign(math.inf, cn)
    with _config.semantics("standard"):  # a float64 clip_norm tensor with a float32 norm
        scale = cn * minimum(divide(1.0, norm), inv_cn) + (norm - norm)
    out: list[Tensor | None] = []
    for x in values:
        if x is None:
            out.append(None)
            continue
        s = scale if scale._dtype is x._dtype else astype(scale, x._dtype)
        out.append(multiply(x, s))
    return out, norm


composite(clip_by_norm, clip_by_global_norm)
