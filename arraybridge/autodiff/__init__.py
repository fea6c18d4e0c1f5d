"""Reverse-mode automatic differentiation over the frontend, on every backend.

``GradientTape`` (TensorFlow's semantics) and a functional API (``grad``,
``value_and_grad``, ``vjp``, ``jvp``, ``jacobian``, ``hessian``); ``stop_gradient``,
``custom_gradient`` and ``custom_vjp``. Each op's VJP rule is registered next to the op
(``defvjp``) and written with arraybridge functions, so it runs on every backend and can
be differentiated again.
"""

from __future__ import annotations

from .. import _recording
from . import _graph
from ._custom import custom_gradient, custom_vjp
from ._functional import grad, hessian, jacobian, jvp, stop_gradient, value_and_grad, vjp
from ._rules import composite, defvjp, defvjp_all, nondifferentiable
from ._tape import GradientTape, UnconnectedGradients

_recording.record = _graph.record  # the ops' recording route, now that the tape exists

__all__ = [
    "GradientTape",
    "UnconnectedGradients",
    "composite",
    "custom_gradient",
    "custom_vjp",
    "defvjp",
    "defvjp_all",
    "grad",
    "hessian",
    "jacobian",
    "jvp",
    "nondifferentiable",
    "stop_gradient",
    "value_and_grad",
    "vjp",
]
