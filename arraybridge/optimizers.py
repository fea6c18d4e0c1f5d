"""Keras-style optimizers over :class:`arraybridge.Variable`: ``SGD``, ``Adam``, ``AdamW``,
``RMSprop``.

Each optimizer follows Keras 3's update formulas (``keras.optimizers``) and constructor
arguments, and updates the variables in place with arraybridge ops only, so it runs on every
backend. Slot variables (momentums, velocities, ...) are created per variable the first time
the variable is updated, so one optimizer can serve any set of variables, and several
optimizers can serve disjoint groups of variables of one model::

    import arraybridge as ab

    w = ab.Variable([1.0, 2.0])
    b = ab.Variable([0.5])
    opt_w = ab.optimizers.Adam(learning_rate=0.01)
    opt_b = ab.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    with ab.GradientTape() as tape:
        loss = ab.sum((w * 3.0 + b) ** 2)
    gw, gb = tape.gradient(loss, [w, b])
    opt_w.apply_gradients([(gw, w)])
    opt_b.apply_gradients([(gb, b)])

Per step, as in Keras: the gradients are clipped (``clipnorm``, ``clipvalue`` or
``global_clipnorm``), weight decay is applied (``v -= v * weight_decay * lr``, decoupled from
the gradient), the optimizer's update runs, and ``iterations`` grows by one. A learning
rate may be a float or a callable schedule (called with the current step, an ``int``
counting from 0, or with no argument). Updates are not recorded by gradient tapes:
``Variable.assign`` is not differentiable.
"""

from __future__ import annotations

import inspect
import math
import re
import warnings
from collections.abc import Callable, Iterable
from typing import Any

from . import _dtypes
from ._dispatch import check_same_device, tensor_arg
from ._errors import DTypeError, an
from ._tensor import Tensor
from ._variable import Variable, VariableRef
from .graph._recorder import recorder
from .ops.clipping import clip_by_global_norm, clip_by_norm
from .ops.creation import asarray, zeros_like
from .ops.data_type import astype
from .ops.elementwise import clip, maximum, sqrt, square

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop"]


def _paused() -> Any:
    from .autodiff._graph import paused

    return paused()


def _hyper(value: Any, name: str, where: str, *, lo: float | None = None) -> float:
    """A float hyperparameter (an int is accepted), checked against ``lo``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{where}: {name} must be a float, got {type(value).__name__}")
    v = float(value)
    if lo is not None and not v >= lo:
        raise ValueError(f"{where}: {name} must be >= {lo}, got {value!r}")
    return v


def _optional_hyper(value: Any, name: str, where: str) -> float | None:
    if value is None:
        return None
    return _hyper(value, name, where, lo=0.0)


def _arity(fn: Callable[..., Any]) -> int:
    """How many positional arguments a learning-rate callable wants (0 or 1)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return 1
    for p in sig.parameters.values():
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL):
            return 1
    return 0


def _rate(lr: Any, v: Variable) -> Any:
    """The learning rate for ``v``: a float, or (while tracing) a tensor of ``v``'s dtype."""
    if isinstance(lr, Tensor) and lr._dtype is not v._dtype:
        return astype(lr, v._dtype)
    return lr


class Optimizer:
    """The base class: Keras's optimizer protocol over arraybridge variables.

    Subclasses define ``_slot_names()`` (the names of their per-variable slot variables)
    and ``_update_step(gradient, variable, lr, step)``.

    Parameters
    ----------
    learning_rate : float or callable
        A float, or a schedule: a callable taking the current step (an ``int``, the number
        of updates applied so far) or no argument, returning a float or a 0-d tensor.
    weight_decay : float, optional
        Decoupled weight decay: before each update, ``v -= v * weight_decay * lr``.
    clipnorm, clipvalue, global_clipnorm : float, optional
        Clip each gradient to this L2 norm (``clip_by_norm``), each element to
        ``[-clipvalue, clipvalue]``, or all gradients of a step to this global norm
        (``clip_by_global_norm``); at most one of them.
    name : str, optional
        A name, used in the slot variables' names.
    """

    def __init__(
        self,
        learning_rate: Any,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        name: str | None = None,
    ) -> None:
        where = type(self).__name__
        self.name = name if name is not None else where.lower()
        self.weight_decay = _optional_hyper(weight_decay, "weight_decay", where)
        self.clipnorm = _optional_hyper(clipnorm, "clipnorm", where)
        self.clipvalue = _optional_hyper(clipvalue, "clipvalue", where)
        self.global_clipnorm = _optional_hyper(global_clipnorm, "global_clipnorm", where)
        if sum(c is not None for c in (self.clipnorm, self.clipvalue, self.global_clipnorm)) > 1:
            raise ValueError(
                f"{where}: only one of clipnorm, clipvalue and global_clipnorm can be set "
                f"(got clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm})"
            )
        self._lr: float | Callable[..., Any] = 0.0
        self._lr_arity = 0
        self.learning_rate = learning_rate
        # Note: Keras makes the counter an int32 (JAX) or int64 variable; here always int64.
        self._iterations = Variable(0, dtype=_dtypes.int64, trainable=False, name="iteration")
        # False until the counter is handed out or used: until then its first update moves it
        # to the variables' device (so a traced step computes with it on one device)
        self._counter_placed = False
        self._slot_vars: dict[VariableRef, dict[str, Variable]] = {}
        self._exclude_refs: set[VariableRef] = set()
        self._exclude_pattern: re.Pattern[str] | None = None

    # -- state -------------------------------------------------------------------------------
    @property
    def iterations(self) -> Variable:
        """The number of updates applied (a 0-d int64 variable, as Keras's)."""
        self._counter_placed = True
        return self._iterations

    def _place_counter(self, var: Variable) -> None:
        """Make the counter on ``var``'s device, unless it was handed out or used already."""
        if not self._counter_placed and self._iterations._dev is not var._dev:
            start = asarray(0, dtype=_dtypes.int64, device=var._dev)
            self._iterations = Variable(start, trainable=False, name="iteration")
        self._counter_placed = True

    @property
    def learning_rate(self) -> float:
        """The current learning rate (a schedule evaluated at the current step)."""
        lr = self._lr
        if not callable(lr):
            return lr
        if self._lr_arity:
            # Note: while ab.function traces, the step is the iterations variable's value (a
            # 0-d int64 tensor, as Keras passes schedules), so the graph follows later steps
            value = lr(self._iterations.value() if recorder() else int(self._iterations))
        else:
            value = lr()
        if isinstance(value, Tensor):
            if value.ndim != 0:
                raise ValueError(
                    f"{type(self).__name__}: the learning-rate schedule returned a tensor of "
                    f"shape {value.shape}; it must return a float or a 0-d tensor"
                )
            if recorder():
                return value  # type: ignore[return-value] # a value of the traced graph
            return float(value)
        return _hyper(value, "learning_rate (schedule value)", type(self).__name__)

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        where = type(self).__name__
        if callable(value) and not isinstance(value, Tensor):
            self._lr = value
            self._lr_arity = _arity(value)
            return
        if isinstance(value, Tensor):
            if value.ndim != 0:
                raise ValueError(f"{where}: learning_rate must be a scalar, got {value.shape}")
            value = float(value)
        # Note: Keras 3 keeps the rate in a float32 variable (and refuses ints); arraybridge
        # keeps the Python float, so float64 variables see the exact rate.
        self._lr = _hyper(value, "learning_rate", where)
        self._lr_arity = 0

    @property
    def variables(self) -> list[Variable]:
        """The optimizer's own variables: ``iterations``, then the slots as created."""
        out = [self.iterations]
        for slots in self._slot_vars.values():
            out.extend(slots.values())
        return out

    def get_slot(self, variable: Variable, slot_name: str) -> Variable:
        """The slot variable ``slot_name`` (e.g. ``"momentum"``) kept for ``variable``."""
        slots = self._slot_vars.get(variable.ref()) if isinstance(variable, Variable) else None
        if slots is None or slot_name not in slots:
            raise KeyError(
                f"{type(self).__name__}.get_slot: no slot {slot_name!r} for this variable "
                f"(slots: {list(self._slot_names())}; created on the variable's first update)"
            )
        return slots[slot_name]

    def get_slot_names(self) -> list[str]:
        """The names of the slots this optimizer keeps per variable."""
        return list(self._slot_names())

    def _slot_names(self) -> tuple[str, ...]:
        return ()

    def build(self, var_list: Iterable[Variable]) -> None:
        """Create the slot variables of ``var_list`` now (else on each one's first update)."""
        for v in var_list:
            self._check_variable(v, "build")
            self._get_slots(v)

    def _get_slots(self, var: Variable) -> dict[str, Variable]:
        key = var.ref()
        slots = self._slot_vars.get(key)
        if slots is None:
            slots = {
                s: Variable(zeros_like(var), trainable=False, name=f"{var.name}_{s}")
                for s in self._slot_names()
            }
            self._slot_vars[key] = slots
        return slots

    def exclude_from_weight_decay(
        self, var_list: Iterable[Variable] | None = None, var_names: Iterable[str] | None = None
    ) -> None:
        """Apply no weight decay to the variables of ``var_list`` nor to those whose name
        contains one of ``var_names`` (Keras's method)."""
        self._exclude_refs = {v.ref() for v in var_list} if var_list else set()
        names = list(var_names) if var_names else []
        self._exclude_pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def _use_weight_decay(self, var: Variable) -> bool:
        if self._exclude_refs and var.ref() in self._exclude_refs:
            return False
        pat = self._exclude_pattern
        return not (pat is not None and pat.search(var.name) is not None)

    # -- applying gradients ------------------------------------------------------------------
    def _check_variable(self, v: Any, what: str) -> None:
        if not isinstance(v, Variable):
            raise TypeError(
                f"{type(self).__name__}.{what}: expected ab.Variable objects to update, "
                f"got {type(v).__name__}"
            )
        if v._dtype not in _dtypes.REAL_FLOATING:
            # Note: Keras leaves this to the backend; complex variables are refused because
            # the tape's gradients follow JAX's convention (descent needs conj(g)) and
            # Adam/RMSprop's second moments would need |g|**2; optimize the real and
            # imaginary parts as two real variables instead.
            raise DTypeError(
                f"{type(self).__name__}.{what}: optimizers update real floating-point "
                f"variables, got {an(v._dtype)} variable {v.name!r}"
            )

    def _gradient(self, g: Any, v: Variable) -> Tensor:
        where = f"{type(self).__name__}.apply_gradients"
        t = tensor_arg(g, where)
        check_same_device(where, v, t)
        if t.shape != v.shape:
            raise ValueError(
                f"{where}: the gradient of variable {v.name!r} has shape {t.shape}, "
                f"the variable {v.shape}"
            )
        if t._dtype is not v._dtype:
            if t._dtype not in _dtypes.REAL_NUMERIC:
                raise DTypeError(
                    f"{where}: the gradient of variable {v.name!r} must be real numeric, "
                    f"got {t._dtype}"
                )
            t = astype(t, v._dtype)  # Keras casts the gradient to the variable's dtype
        return t

    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Variable]]) -> Variable:
        """Apply one update to each variable from its gradient; returns ``iterations``.

        ``grads_and_vars`` is an iterable of ``(gradient, variable)`` pairs, such as
        ``zip(grads, variables)``. Pairs whose gradient is None are skipped with a warning
        (Keras's behaviour); if every gradient is None, ``ValueError`` is raised. An empty
        iterable does nothing. Gradients are cast to their variable's dtype.
        """
        where = f"{type(self).__name__}.apply_gradients"
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        grads: list[Tensor] = []
        variables: list[Variable] = []
        missing: list[str] = []
        for pair in pairs:
            if not isinstance(pair, tuple | list) or len(pair) != 2:
                raise TypeError(f"{where}: expected (gradient, variable) pairs, got {pair!r}")
            g, v = pair
            self._check_variable(v, "apply_gradients")
            if g is None:
                missing.append(v.name)
                continue
            grads.append(self._gradient(g, v))
            variables.append(v)
        if not grads:
            raise ValueError(
                f"{where}: no gradients provided for any variable (variables: {missing})"
            )
        if missing:
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss.",
                UserWarning,
                stacklevel=2,
            )
        self._place_counter(variables[0])
        with _paused():
            grads = self._clip_gradients(grads)
            lr = self.learning_rate
            # while ab.function traces, the step is a tensor: the graph reads the counter
            step: int | Tensor = self._iterations.value() if recorder() else int(self._iterations)
            if self.weight_decay is not None:
                wd = self.weight_decay
                for v in variables:
                    if self._use_weight_decay(v):
                        v.assign(v - v * wd * _rate(lr, v))
            for g, v in zip(grads, variables, strict=True):
                self._update_step(g, v, _rate(lr, v), step)
            self._iterations.assign_add(1)
        return self._iterations

    def _clip_gradients(self, grads: list[Tensor]) -> list[Tensor]:
        if self.clipnorm is not None and self.clipnorm > 0:
            return [clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm is not None and self.global_clipnorm > 0:
            clipped, _ = clip_by_global_norm(grads, self.global_clipnorm)
            return [g for g in clipped if g is not None]
        if self.clipvalue is not None and self.clipvalue > 0:
            c = self.clipvalue
            return [clip(g, min=-c, max=c) for g in grads]
        return grads

    def minimize(self, loss: Any, var_list: Any, tape: Any = None) -> Variable:
        """Compute the gradients of ``loss`` and apply them; returns ``iterations``.

        TensorFlow's ``Optimizer.minimize``: ``loss`` is a callable taking no argument
        (run under ``tape``, a new ``GradientTape`` when None), or an already computed
        tensor together with the ``tape`` that recorded it. ``var_list`` is a list of
        variables or a callable returning one (called after ``loss``).
        """
        from .autodiff import GradientTape
        from .autodiff._tree import flatten

        where = f"{type(self).__name__}.minimize"
        if callable(loss) and not isinstance(loss, Tensor):
            if tape is None:
                tape = GradientTape()
            with tape:
                if not callable(var_list):
                    tape.watch(var_list)
                value = loss()
        else:
            if tape is None:
                raise ValueError(f"{where}: a tape is required when the loss is a tensor")
            value = loss
        if callable(var_list):
            var_list = var_list()
        variables = flatten(var_list)
        grads = tape.gradient(value, variables)
        return self.apply_gradients(zip(grads, variables, strict=True))

    def _update_step(
        self, gradient: Tensor, variable: Variable, lr: float, step: int | Tensor
    ) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} iterations={int(self._iterations)}>"


class SGD(Optimizer):
    """Gradient descent, with optional (Nesterov) momentum (Keras's ``SGD``).

    Without momentum, ``w -= lr * g``. With momentum, ``velocity = momentum * velocity -
    lr * g`` and ``w += velocity``; with ``nesterov=True``, ``w += momentum * velocity -
    lr * g``. See :class:`Optimizer` for the common arguments.
    """

    def __init__(
        self,
        learning_rate: Any = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        name: str | None = "SGD",
    ) -> None:
        super().__init__(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, name)
        m = _hyper(momentum, "momentum", "SGD")
        if not 0.0 <= m <= 1.0:
            raise ValueError(f"SGD: momentum must be a float between [0, 1], got {momentum!r}")
        self.momentum = m
        self.nesterov = bool(nesterov)

    def _slot_names(self) -> tuple[str, ...]:
        return ("momentum",) if self.momentum != 0 else ()

    def _update_step(
        self, gradient: Tensor, variable: Variable, lr: float, step: int | Tensor
    ) -> None:
        if self.momentum == 0:
            variable.assign_sub(gradient * lr)
            return
        m = self._get_slots(variable)["momentum"]
        mom = self.momentum
        m.assign(m * mom - gradient * lr)
        if self.nesterov:
            variable.assign_add(m * mom - gradient * lr)
        else:
            variable.assign_add(m)


class Adam(Optimizer):
    """Adam (Keras's ``Adam``), with optional AMSGrad.

    With ``t = step + 1``: ``m += (g - m) * (1 - beta_1)``, ``v += (g**2 - v) * (1 -
    beta_2)`` (AMSGrad: ``v_hat = maximum(v_hat, v)`` used for ``v``), and
    ``w -= m * alpha / (sqrt(v) + epsilon)`` with ``alpha = lr * sqrt(1 - beta_2**t) /
    (1 - beta_1**t)``. See :class:`Optimizer` for the common arguments.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        name: str | None = "adam",
    ) -> None:
        super().__init__(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, name)
        where = type(self).__name__
        self.beta_1 = _hyper(beta_1, "beta_1", where)
        self.beta_2 = _hyper(beta_2, "beta_2", where)
        self.epsilon = _hyper(epsilon, "epsilon", where)
        self.amsgrad = bool(amsgrad)

    def _slot_names(self) -> tuple[str, ...]:
        return (
            ("momentum", "velocity", "velocity_hat") if self.amsgrad else ("momentum", "velocity")
        )

    def _update_step(
        self, gradient: Tensor, variable: Variable, lr: float, step: int | Tensor
    ) -> None:
        slots = self._get_slots(variable)
        m, v = slots["momentum"], slots["velocity"]
        # Note: Keras computes these scalars in the variable's dtype; here in Python floats
        # (the same values for float64 variables, within rounding for float32 ones), or in
        # a float64 tensor when the step is one (while ab.function traces).
        alpha: float | Tensor
        if isinstance(step, Tensor):
            wide = _dtypes.float64
            if wide not in variable._dev.backend.to_native:
                wide = variable._dtype  # a backend without float64
            tt = astype(step, wide) + 1.0
            rate = astype(lr, wide) if isinstance(lr, Tensor) else lr
            alpha = astype(
                rate * sqrt(1.0 - self.beta_2**tt) / (1.0 - self.beta_1**tt), variable._dtype
            )
        else:
            t = step + 1
            alpha = lr * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        m.assign_add((gradient - m) * (1 - self.beta_1))
        v.assign_add((square(gradient) - v) * (1 - self.beta_2))
        denom_src: Tensor = v
        if self.amsgrad:
            v_hat = slots["velocity_hat"]
            v_hat.assign(maximum(v_hat, v))
            denom_src = v_hat
        variable.assign_sub((m * alpha) / (sqrt(denom_src) + self.epsilon))


class AdamW(Adam):
    """Adam with decoupled weight decay (Keras's ``AdamW``; ``weight_decay`` defaults to
    0.004 and may not be None)."""

    def __init__(
        self,
        learning_rate: Any = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        name: str | None = "adamw",
    ) -> None:
        if weight_decay is None:
            raise ValueError("AdamW: weight_decay must be a float, got None")
        super().__init__(
            learning_rate,
            beta_1,
            beta_2,
            epsilon,
            amsgrad,
            weight_decay,
            clipnorm,
            clipvalue,
            global_clipnorm,
            name,
        )


class RMSprop(Optimizer):
    """RMSprop (Keras's ``RMSprop``), optionally centered and with momentum.

    ``velocity = rho * velocity + (1 - rho) * g**2``; centered:
    ``average = rho * average + (1 - rho) * g`` and ``denominator = velocity - average**2 +
    epsilon``, else ``denominator = velocity + epsilon``; ``increment = lr * g /
    sqrt(denominator)``; with momentum, ``m = momentum * m + increment`` and ``w -= m``,
    else ``w -= increment``. See :class:`Optimizer` for the common arguments.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        name: str | None = "rmsprop",
    ) -> None:
        super().__init__(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, name)
        self.rho = _hyper(rho, "rho", "RMSprop")
        self.momentum = _hyper(momentum, "momentum", "RMSprop")
        self.epsilon = _hyper(epsilon, "epsilon", "RMSprop")
        self.centered = bool(centered)

    def _slot_names(self) -> tuple[str, ...]:
        names = ["velocity"]
        if self.momentum > 0:
            names.append("momentum")
        if self.centered:
            names.append("average_gradient")
        return tuple(names)

    def _update_step(
        self, gradient: Tensor, variable: Variable, lr: float, step: int | Tensor
    ) -> None:
        slots = self._get_slots(variable)
        velocity = slots["velocity"]
        rho = self.rho
        velocity.assign(rho * velocity + (1 - rho) * square(gradient))
        if self.centered:
            avg = slots["average_gradient"]
            avg.assign(rho * avg + (1 - rho) * gradient)
            denominator = velocity - square(avg) + self.epsilon
        else:
            denominator = velocity + self.epsilon
        increment = (lr * gradient) / sqrt(denominator)
        if self.momentum > 0:
            m = slots["momentum"]
            m.assign(self.momentum * m + increment)
            variable.assign_sub(m)
        else:
            variable.assign_sub(increment)
