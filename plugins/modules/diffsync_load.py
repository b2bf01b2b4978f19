#!/usr/bin/python
# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: diffsync_load
short_description: Load records into a named adapter in a store
version_added: 0.1.0
author:
  - datasync maintainers (@datasync)
description:
  - Validates records against the adapter's models and stores them as the adapter's objects, so
    that M(datasync.diffsync.diffsync_diff), M(datasync.diffsync.diffsync_sync) and the
    P(datasync.diffsync.diffsync#lookup) lookup can use them in later tasks and later runs.
  - Every record is checked before anything is written; an invalid record fails the task with a
    message naming the model, the record's position and keys, the field and the bad value, and the
    store is left as it was. The write itself is one store transaction.
  - The models come from O(schema) (models described as data) or O(schema_class) (a Python
    Adapter class). Either is stored with the adapter, so later loads, diffs, syncs and lookups
    need only the adapter's name.
  - Reports C(changed) only when the stored content (or the adapter's schema) changed.
  - Runs on the controller.
options:
  adapter:
    description:
      - Name of the adapter to load into; it is the C(store_id) of the adapter's objects in O(store).
    type: str
    required: true
  schema:
    description:
      - The adapter's models, as data. See C(docs/schema.md) in the collection for the full format.
      - C(models) maps each model name to C(identifiers) (a list of field names, or a mapping of
        field name to type), C(attributes) (a list of field names holding any JSON value, or a
        mapping of field name to one of C(str), C(int), C(float), C(bool), C(list), C(dict),
        C(any)), and optionally C(required) (attributes that must be given; the others default
        to null), C(shortname), C(children) (a mapping of child model to the field listing its
        children) and C(parent_identifiers).
      - C(top_level) lists the models to start comparing from; by default, the models that are
        nobody's child.
      - When neither O(schema) nor O(schema_class) is given, the schema stored by an earlier load
        is used.
    type: dict
  schema_class:
    description:
      - Dotted path of a Python Adapter class (derived from the collection's engine
        C(ansible_collections.datasync.diffsync.plugins.module_utils.engine.Adapter)), for example
        C(my_models.adapters.NetworkAdapter), imported on the controller.
      - Its models' own C(create), C(update) and C(delete) run when this adapter is the target of
        M(datasync.diffsync.diffsync_sync).
    type: str
  module_path:
    description:
      - Folders on the controller searched for O(schema_class)'s module before Python's own path.
        Relative paths are relative to the playbook's folder.
    type: list
    elements: path
    default: []
  data:
    description:
      - The records, as a mapping of model name to a list of records (mappings of field to value).
      - A child model's records come either as their own list, each carrying its parent's
        identifiers (for example C(device_name) for a C(device) parent identified by C(name)), or
        nested in the parent record under the parent's children field, where the parent's
        identifiers are filled in.
      - For more than a few thousand records prefer O(src); Ansible's variable handling is slow for
        large values.
      - V({}) loads nothing (so O(mode=replace) empties the adapter); a null value with no O(src) is
        an error, so that an unset variable cannot empty an adapter.
    type: dict
  src:
    description:
      - A file on the controller holding the records, read by the plugin itself (fast for large
        data). Searched like M(ansible.builtin.copy)'s C(src) (the role's or playbook's C(files/)
        folder, then relative to the playbook).
      - C(.json), C(.yml)/C(.yaml) hold the same mapping as O(data) (or, with O(model), a list of
        records of that model).
      - C(.csv) holds the records of the one model named by O(model), a header row naming the
        fields; values are converted to the field types of the schema (C(true)/C(false), numbers;
        C(list) and C(dict) cells hold JSON); empty cells are left out (null).
    type: path
  model:
    description:
      - The model of the records in a CSV O(src) file (or in a JSON/YAML file holding a list).
    type: str
  mode:
    description:
      - V(replace) makes the adapter hold exactly the records given.
      - V(merge) adds the records to what the adapter holds; a record whose object already exists
        replaces that object's attributes; nothing is removed.
    type: str
    choices: [replace, merge]
    default: replace
extends_documentation_fragment:
  - datasync.diffsync.store
  - datasync.diffsync.attributes
attributes:
  check_mode:
    support: full
    details:
      - Validates every record and reports C(changed), C(counts) and the fingerprint without
        writing to the store.
  diff_mode:
    support: full
    details:
      - Shows each object that the load adds, changes or removes.
seealso:
  - module: datasync.diffsync.diffsync_diff
  - module: datasync.diffsync.diffsync_sync
  - plugin: datasync.diffsync.diffsync
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Load the source of truth from a file (fast, also for 100k records)
  datasync.diffsync.diffsync_load:
    adapter: sot
    schema:
      models:
        device:
          identifiers: [name]
          attributes: {site: str, role: str, serial: str}
          children: {interface: interfaces}
        interface:
          identifiers: [device_name, name]
          attributes: {description: str, enabled: bool, mtu: int}
    src: inventory/devices.json

- name: Load what the network has, interfaces nested under their device
  datasync.diffsync.diffsync_load:
    adapter: network
    schema: "{{ lookup('ansible.builtin.file', 'schema.yml') | from_yaml }}"
    data:
      device:
        - name: sw1
          site: ams
          role: leaf
          interfaces:
            - {name: eth0, enabled: true, mtu: 9000}
            - {name: eth1, enabled: false}

- name: Add interfaces from a CSV export to the stored adapter (its schema is reused)
  datasync.diffsync.diffsync_load:
    adapter: network
    src: exports/interfaces.csv
    model: interface
    mode: merge

- name: Use the models of an existing Python adapter, in a Redis store
  datasync.diffsync.diffsync_load:
    adapter: netbox
    schema_class: my_models.adapters.NetboxAdapter
    module_path: [python]
    src: netbox_export.json
    store: "redis://:{{ redis_password }}@redis.example.com:6379/0"
"""

RETURN = r"""
counts:
  description: Number of records loaded, per model.
  returned: success
  type: dict
  sample: {device: 2, interface: 5}
stored:
  description: Number of objects the adapter holds after the load (in check mode, would hold), per model.
  returned: success
  type: dict
  sample: {device: 2, interface: 5}
fingerprint:
  description:
    - sha256 of the adapter's content after the load (in check mode, as it would be); the same
      content always gives the same fingerprint, whatever the order of records.
  returned: success
  type: str
  sample: sha256:7bcaef6efc5eaf07b1344b14bffbcb39e085865506c890a3668df1cbecdc1ce1
previous_fingerprint:
  description: The fingerprint of the adapter's content before the load; null when it held nothing.
  returned: success
  type: str
  sample: sha256:6ed066a24a3044e3ca0bb6f40d8c1d1b06a96b2df5fbe9b3b6bdf3a8105b3675
diff:
  description: The objects added, changed or removed, as text before and after (with C(--diff)).
  returned: success, in diff mode
  type: dict
  sample:
    before: "device sw1:\n  site: \"ams\"\n  role: \"spine\"\n"
    after: "device sw1:\n  site: \"ams\"\n  role: \"leaf\"\n"
    before_header: network (stored)
    after_header: network (loaded)
"""
