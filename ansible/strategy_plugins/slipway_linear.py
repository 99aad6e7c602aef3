"""Ansible's linear strategy run over Mitogen (ansible.cfg: strategy).

Mitogen keeps one Python interpreter per host for the whole run instead of starting one,
with the module zipped and copied, for every task: a run that changes nothing takes a
third of the time (docs/deploy.md). The package comes pinned with the deploy tools
(lab/requirements-tools.txt); this file only names its strategy where ansible.cfg can find
it, since the package's own plugin directory lies inside whichever virtualenv holds it.
"""

from __future__ import annotations

from ansible.errors import AnsibleError

try:
    from ansible_mitogen.plugins.strategy.mitogen_linear import StrategyModule
except ImportError as error:
    raise AnsibleError(
        "Slipway's playbooks run over Mitogen, which this Ansible cannot import. Run them with"
        " the deploy tools (`make deploy-tools`, then `make deploy`), or install the mitogen"
        " version pinned in lab/requirements-tools.txt next to ansible-core."
    ) from error

__all__ = ["StrategyModule"]
