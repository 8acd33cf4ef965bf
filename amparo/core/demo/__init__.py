"""The demo fund: synthetic data for ``amparo demo``, and the credentials to sign in to it.

Seeding is a list of steps run in order inside one transaction. The core steps create the fund,
its programs, provider organizations with offices, staff of every role and attorneys. Later apps
add their own data (requests, cases, donations, grants) by registering a step, either in a
module ``amparo/<app>/demo.py`` (found automatically) or from ``AppConfig.ready()``::

    from amparo.core.demo import DemoContext, demo_step

    @demo_step("cases", order=60)
    def seed_cases(ctx: DemoContext) -> None:
        for attorney in ctx.attorneys: ...

A step reads what earlier steps made from the context (``ctx.fund``, ``ctx.programs``,
``ctx.organizations``, ``ctx.users``, ``ctx.attorneys``) and uses ``ctx.fake`` / ``ctx.rng``,
which are seeded, so that the demo is the same on every machine. Everything is synthetic.

The package holds the registry of steps (``registry``), the core app's steps (``core_steps``)
and the credentials file (``credentials``).
"""

# Importing the core steps registers them: autodiscovery imports this package as core's ``demo``.
from . import core_steps  # noqa: F401
from .credentials import (
    CREDENTIAL_KEYS,
    DEMO_TOKEN_NAME,
    demo_credentials_ensure,
    demo_credentials_read,
    demo_credentials_rotate,
    demo_credentials_valid,
    demo_credentials_write,
    demo_password,
    demo_users,
)
from .registry import (
    DEMO_SEED,
    DemoContext,
    DemoStep,
    DemoStepFunc,
    demo_seed,
    demo_step,
    demo_steps,
    demo_user_create,
    register_demo_step,
    unregister_demo_step,
)

__all__ = [
    "CREDENTIAL_KEYS",
    "DEMO_SEED",
    "DEMO_TOKEN_NAME",
    "DemoContext",
    "DemoStep",
    "DemoStepFunc",
    "demo_credentials_ensure",
    "demo_credentials_read",
    "demo_credentials_rotate",
    "demo_credentials_valid",
    "demo_credentials_write",
    "demo_password",
    "demo_seed",
    "demo_step",
    "demo_steps",
    "demo_user_create",
    "demo_users",
    "register_demo_step",
    "unregister_demo_step",
]
