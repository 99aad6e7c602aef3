"""Say which vault file does not decrypt, and how to pass its password.

Ansible reads an inventory's group_vars/ and host_vars/ files (the host_group_vars plugin) as
a play starts, and a vault it cannot decrypt stops the run with "Decryption failed" and no
file name. This plugin runs just before it (ansible.cfg: vars_plugins_enabled) on the same
files, tries each encrypted one once, and stops with a message of our own. It adds no
variables.
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleError
from ansible.inventory.group import InventoryObjectType
from ansible.parsing.vault import AnsibleVaultError, is_encrypted_file
from ansible.plugins.vars import BaseVarsPlugin

DOCUMENTATION = """
    name: slipway_vault_check
    short_description: Stops with a message of Slipway's when an inventory's vault does not decrypt
    description:
      - Tries each vault-encrypted file host_group_vars would load and names the one that fails.
    extends_documentation_fragment:
      - vars_plugin_staging
"""

HOW = (
    "Give Ansible the vault password: set ANSIBLE_VAULT_PASSWORD_FILE to a file outside the"
    " repository that holds it, or pass --vault-password-file <file> or --ask-vault-pass"
    " (make deploy ANSIBLE_ARGS=--ask-vault-pass). Nothing was changed."
)

# Files already tried (or found plain) in this run: each is decrypted once here.
CHECKED: set[str] = set()


def _encrypted(path: str) -> bool:
    with open(path, "rb") as file:
        return is_encrypted_file(file)


class VarsModule(BaseVarsPlugin):
    REQUIRES_ENABLED = True

    def get_vars(self, loader, path, entities, cache=True):
        super().get_vars(loader, path, entities)
        base = path if os.path.isdir(path) else os.path.dirname(path)
        for entity in entities if isinstance(entities, list) else [entities]:
            host = entity.base_type is InventoryObjectType.HOST
            directory = os.path.join(base, "host_vars" if host else "group_vars")
            if os.path.isdir(directory):
                for found in loader.find_vars_files(directory, entity.name):
                    self._try(loader, str(found))
        return {}

    def _try(self, loader, found: str) -> None:
        if found in CHECKED:
            return
        CHECKED.add(found)
        if not _encrypted(found):
            return
        try:
            # No caching: host_group_vars loads the file with its own options right after.
            loader.load_from_file(found, cache="none")
        except AnsibleVaultError as error:
            none_given = "no vault secrets found" in str(error)
            why = (
                "no vault password was given"
                if none_given
                else "the vault password given does not open it"
            )
            raise AnsibleError(f"Cannot decrypt the vault {found}: {why}. {HOW}") from None
