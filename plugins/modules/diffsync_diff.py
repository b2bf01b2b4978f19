#!/usr/bin/python
# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: diffsync_diff
short_description: Compare two stored adapters and plan the sync that would make the target match the source
version_added: 0.1.0
author:
  - datasync maintainers (@datasync)
description:
  - Compares the objects of the O(source) adapter with those of the O(target) adapter, both loaded
    earlier with M(datasync.diffsync.diffsync_load), and returns the diff, a summary and a C(plan),
    the ordered operations M(datasync.diffsync.diffsync_sync) would perform, with fingerprints of
    both adapters' content.
  - Pass the plan to M(datasync.diffsync.diffsync_sync)'s O(datasync.diffsync.diffsync_sync#module:plan)
    to apply exactly what was reviewed; the sync refuses a plan when either adapter changed since.
  - Read-only; C(changed) is always false. Because Ansible shows C(--diff) output only for changed
    tasks, the readable preview is C(datasync.diffsync.diffsync_sync) run with C(--check --diff).
  - Runs on the controller.
options:
  source:
    description: The adapter holding the wanted state.
    type: str
    required: true
  target:
    description: The adapter a sync would change.
    type: str
    required: true
  skip_unmatched_src:
    description: Leave out objects that exist only in the source (a sync would not create them).
    type: bool
    default: false
  skip_unmatched_dst:
    description: Leave out objects that exist only in the target (a sync would not delete them).
    type: bool
    default: false
  natural_deletion_order:
    description:
      - Delete an object's children before the object itself (deletes child-first, creates
        parent-first). This is the collection's default because it suits real systems, where a
        parent often cannot be removed while it has children.
      - V(false) keeps diffsync's order, where a deleted parent comes before its children.
    type: bool
    default: true
  dest:
    description:
      - Also write the full plan, summary and diff as JSON to this file on the controller (relative
        paths are relative to the playbook's folder). Useful for review, as a job artifact, or when
        the plan is large and O(operations_limit) shortens the result.
    type: path
  operations_limit:
    description:
      - At most this many operations are returned in C(plan.operations); the plan still covers all
        of them (C(plan.operations_count), C(plan.operations_digest)) and
        M(datasync.diffsync.diffsync_sync) still checks it in full. When the limit cuts the list,
        C(truncated) is true and C(diff) is left empty (see O(dest)).
      - Registering tens of thousands of operations costs seconds; V(0) means no limit.
    type: int
    default: 0
extends_documentation_fragment:
  - datasync.diffsync.store
  - datasync.diffsync.attributes
attributes:
  check_mode:
    support: full
    details:
      - The module only reads the store, so it runs the same in check mode.
  diff_mode:
    support: full
    details:
      - Adds C(before), C(after), C(before_header) and C(after_header) to C(diff); Ansible's default
        callback does not print them because the task never reports a change.
seealso:
  - module: datasync.diffsync.diffsync_load
  - module: datasync.diffsync.diffsync_sync
"""

EXAMPLES = r"""
- name: Plan what would make the network match the source of truth
  datasync.diffsync.diffsync_diff:
    source: sot
    target: network
    dest: "{{ playbook_dir }}/artifacts/plan.json"
  register: preview

- name: Show the summary
  ansible.builtin.debug:
    msg: "{{ preview.summary }}"

- name: Stop when there is nothing to do
  ansible.builtin.meta: end_play
  when: not preview.has_diffs

- name: Plan only additions and changes, never deletions, without listing 100k operations
  datasync.diffsync.diffsync_diff:
    source: sot
    target: network
    skip_unmatched_dst: true
    operations_limit: 100
  register: additive
"""

RETURN = r"""
summary:
  description: Counts of objects to create, update and delete, unchanged, and left out by the skip flags.
  returned: success
  type: dict
  sample: {create: 4, update: 1, delete: 2, no-change: 3, skip: 0}
has_diffs:
  description: Whether a sync would change anything.
  returned: success
  type: bool
  sample: true
diff:
  description:
    - The diff as the engine renders it (diffsync's C(Diff.dict())), model by model, each object with
      C(-) (the target's values) and C(+) (the source's values) and its children's diffs. Empty
      when C(truncated).
    - In diff mode it also holds the text view (C(before), C(after), C(before_header), C(after_header)).
  returned: success
  type: dict
  sample:
    device:
      sw1:
        "-": {role: spine}
        "+": {role: leaf}
        interface:
          sw1__eth0:
            "+": {description: null, enabled: null, mtu: 1500}
plan:
  description: The operations a sync would perform, in order, with what they were computed from.
  returned: success
  type: dict
  contains:
    source:
      description: The source adapter.
      type: str
      sample: sot
    target:
      description: The target adapter.
      type: str
      sample: network
    source_fingerprint:
      description: sha256 of the source adapter's content.
      type: str
      sample: sha256:7bcaef6efc5eaf07b1344b14bffbcb39e085865506c890a3668df1cbecdc1ce1
    target_fingerprint:
      description: sha256 of the target adapter's content.
      type: str
      sample: sha256:6ed066a24a3044e3ca0bb6f40d8c1d1b06a96b2df5fbe9b3b6bdf3a8105b3675
    flags:
      description: The options the plan was made with.
      type: dict
      sample: {skip_unmatched_src: false, skip_unmatched_dst: false, natural_deletion_order: true}
    operations:
      description:
        - Each operation, in the order a sync applies them (creates parent-first, deletes
          child-first), with C(action) (create, update or delete), C(model), C(unique_id), C(keys)
          (the identifiers) and C(attrs) (C(-) the target's values, C(+) the source's).
        - At most O(operations_limit) of them.
      type: list
      elements: dict
      sample:
        - action: update
          model: device
          unique_id: sw1
          keys: {name: sw1}
          attrs: {"-": {role: spine}, "+": {role: leaf}}
        - action: create
          model: interface
          unique_id: sw1__eth0
          keys: {device_name: sw1, name: eth0}
          attrs: {"+": {description: null, enabled: null, mtu: 1500}}
    operations_count:
      description: Number of operations in the whole plan.
      type: int
      sample: 7
    operations_digest:
      description: sha256 of the whole operation list; the sync recomputes and compares it.
      type: str
      sample: sha256:985b0eed7639d9c3db2996b7bcd130560dc6172f27897a09bbe49d265c74d079
    truncated:
      description: Whether C(operations) was cut to O(operations_limit).
      type: bool
      sample: false
truncated:
  description: Whether the result was shortened by O(operations_limit).
  returned: success
  type: bool
  sample: false
dest:
  description: The file the full plan was written to.
  returned: when O(dest) is set
  type: str
  sample: /home/ops/sync/artifacts/plan.json
"""
