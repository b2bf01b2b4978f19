# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: diffsync
short_description: Read the stored objects of an adapter
version_added: 0.1.0
author:
  - datasync maintainers (@datasync)
description:
  - Returns the objects of the given models that an adapter holds in the store (loaded with
    M(datasync.diffsync.diffsync_load), or converged by M(datasync.diffsync.diffsync_sync)), each
    as a mapping of its fields (identifiers, attributes and children fields holding the children's
    unique ids).
  - Select one object with O(unique_id) or O(identifiers).
options:
  _terms:
    description: Model names, for example C(device); the objects of each are returned in turn.
    required: true
    type: list
    elements: str
  adapter:
    description: The adapter to read.
    type: str
    required: true
  unique_id:
    description:
      - Return only the object with this unique id (its identifier values joined by C(__), for
        example C(sw1__eth0)).
    type: str
  identifiers:
    description:
      - "Return only the object with these identifier values, for example
        C({device_name: sw1, name: eth0})."
    type: dict
extends_documentation_fragment:
  - datasync.diffsync.store
seealso:
  - module: datasync.diffsync.diffsync_load
"""

EXAMPLES = r"""
- name: Every device of the network adapter
  ansible.builtin.debug:
    msg: "{{ lookup('datasync.diffsync.diffsync', 'device', adapter='network') }}"

- name: One interface, by its identifiers
  ansible.builtin.debug:
    msg: "{{ lookup('datasync.diffsync.diffsync', 'interface', adapter='network',
             identifiers={'device_name': 'sw1', 'name': 'eth0'}) }}"

- name: Render a configuration per device from the converged store
  ansible.builtin.template:
    src: device.conf.j2
    dest: "configs/{{ item.name }}.conf"
  loop: "{{ query('datasync.diffsync.diffsync', 'device', adapter='network') }}"
"""

RETURN = r"""
_raw:
  description: The objects, as mappings of field name to value.
  type: list
  elements: dict
  sample:
    - {name: sw1, site: ams, role: leaf, serial: null, interfaces: [sw1__eth0, sw1__eth1]}
"""

# ansible-test wants the documentation before the imports.
from typing import Any  # noqa: E402

from ansible.errors import AnsibleLookupError  # noqa: E402
from ansible.plugins.lookup import LookupBase  # noqa: E402

from ansible_collections.datasync.diffsync.plugins.plugin_utils.errors import DiffsyncTaskError, scrub_secrets  # noqa: E402
from ansible_collections.datasync.diffsync.plugins.plugin_utils.operations import lookup_objects  # noqa: E402
from ansible_collections.datasync.diffsync.plugins.plugin_utils.options import resolve_store_url  # noqa: E402


class LookupModule(LookupBase):
    """Stored objects of an adapter, by model."""

    def run(self, terms: list[Any], variables: dict[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        self.set_options(var_options=variables, direct=kwargs)
        url = resolve_store_url(self.get_option("store"))
        try:
            return lookup_objects(
                store=url, adapter=self.get_option("adapter"), models=[str(term) for term in terms],
                unique_id=self.get_option("unique_id"), identifiers=self.get_option("identifiers"),
            )
        except DiffsyncTaskError as exc:
            raise AnsibleLookupError(f"datasync.diffsync.diffsync: {exc.message}") from None
        except Exception as exc:  # a bug or a user's model code: a clear message, never the store's password
            message = scrub_secrets(f"unexpected error: {type(exc).__name__}: {exc}", url)
            raise AnsibleLookupError(f"datasync.diffsync.diffsync: {message}") from None
