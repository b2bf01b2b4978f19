#!/usr/bin/python
# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: diffsync_sync
short_description: Make a stored target adapter match a source adapter
version_added: 0.1.0
author:
  - datasync maintainers (@datasync)
description:
  - Computes the diff of O(source) into O(target) (both loaded earlier with
    M(datasync.diffsync.diffsync_load)) and applies it to the target, creating, updating and
    deleting objects, parents before children (deletes child-first with
    O(natural_deletion_order)).
  - With a schema given as data, the target adapter's stored objects are converged. With a
    O(datasync.diffsync.diffsync_load#module:schema_class), the target's Python models' own
    C(create), C(update) and C(delete) run, so an existing diffsync adapter changes its real
    system; the store records the result.
  - With O(plan) (from M(datasync.diffsync.diffsync_diff)) the sync applies exactly what was
    reviewed, and refuses with a "stale plan" error when either adapter changed since.
  - Idempotent, a second run with the same inputs reports C(changed=false).
  - Runs on the controller. Store writes of one sync are one transaction (SQLite, Redis), so a
    failing sync leaves the stored target as it was; effects of Python models on real systems
    cannot be rolled back.
options:
  source:
    description: The adapter holding the wanted state.
    type: str
    required: true
  target:
    description: The adapter to change.
    type: str
    required: true
  skip_unmatched_src:
    description:
      - Do not create objects that exist only in the source.
      - Default V(false), or the plan's value when O(plan) is given (a different value is an error).
    type: bool
  skip_unmatched_dst:
    description:
      - Do not delete objects that exist only in the target.
      - Default V(false), or the plan's value when O(plan) is given (a different value is an error).
    type: bool
  natural_deletion_order:
    description:
      - Delete an object's children before the object (sets the engine's
        C(DiffSyncModelFlags.NATURAL_DELETION_ORDER) on the target objects being deleted).
      - Default V(true), or the plan's value when O(plan) is given (a different value is an error).
    type: bool
  continue_on_failure:
    description:
      - Keep going when an operation fails (the engine's C(CONTINUE_ON_FAILURE)); the failures are
        listed in C(failed_operations) and the task fails after the sync.
      - Without it the sync stops at the first error and the store is left as it was.
    type: bool
    default: false
  plan:
    description:
      - The C(plan) returned by M(datasync.diffsync.diffsync_diff), to apply exactly as reviewed.
      - The sync fails with a "stale plan" error, naming the adapter, when the source's or the
        target's content changed since the plan was made, or when the operations computed now
        differ from the plan's (the whole list is compared through its digest, even when the plan's
        C(operations) were shortened by its O(datasync.diffsync.diffsync_diff#module:operations_limit)).
    type: dict
  dest:
    description:
      - Also write the summary and every operation with its status as JSON to this file on the
        controller (relative paths are relative to the playbook's folder); written in check mode
        too, as the preview of what would be applied.
    type: path
  operations_limit:
    description:
      - At most this many entries are returned in C(operations) and C(failed_operations); V(0)
        means no limit. C(truncated) tells when the lists were cut; O(dest) gets them all.
    type: int
    default: 0
extends_documentation_fragment:
  - datasync.diffsync.store
  - datasync.diffsync.attributes
attributes:
  check_mode:
    support: full
    details:
      - Computes the diff and the operations and reports the C(changed) a real run would report,
        without running any model code or writing to the store. Operations have status C(planned).
  diff_mode:
    support: full
    details:
      - Shows each object to create, update or delete, as before (target) and after (source)
        text. C(--check --diff) is the readable preview of a sync.
seealso:
  - module: datasync.diffsync.diffsync_load
  - module: datasync.diffsync.diffsync_diff
"""

EXAMPLES = r"""
- name: Preview the sync (run the play with --check --diff), then apply it
  datasync.diffsync.diffsync_sync:
    source: sot
    target: network

- name: Review a plan, then apply exactly that plan
  datasync.diffsync.diffsync_diff:
    source: sot
    target: network
  register: preview

- name: Apply the reviewed plan (fails as stale if sot or network changed in between)
  datasync.diffsync.diffsync_sync:
    source: sot
    target: network
    plan: "{{ preview.plan }}"
    dest: "{{ playbook_dir }}/artifacts/sync-report.json"

- name: Sync additions and changes only, through the Python models of an existing adapter
  datasync.diffsync.diffsync_sync:
    source: sot
    target: netbox
    skip_unmatched_dst: true
    continue_on_failure: true
    store: "{{ lookup('ansible.builtin.env', 'DIFFSYNC_STORE') }}"
  register: synced

- name: Report the failures
  ansible.builtin.debug:
    msg: "{{ synced.failed_operations }}"
  when: synced.failed_operations | default([]) | length > 0
"""

RETURN = r"""
summary:
  description: Counts of objects created, updated and deleted (in check mode, to be), unchanged and skipped.
  returned: success
  type: dict
  sample: {create: 4, update: 1, delete: 2, no-change: 3, skip: 0}
operations:
  description:
    - The operations applied, in order, each as in the plan (C(action), C(model), C(unique_id),
      C(keys), C(attrs) with C(-) and C(+)) plus C(status) (C(success), C(failure), C(error), or
      C(planned) in check mode), C(message) and, for errors, C(error).
    - Also returned, as far as the sync got, when it fails.
  returned: always
  type: list
  elements: dict
  sample:
    - action: update
      model: device
      unique_id: sw1
      keys: {name: sw1}
      attrs: {"-": {role: spine}, "+": {role: leaf}}
      status: success
      message: Updated successfully
failed_operations:
  description: The operations of C(operations) whose status is not C(success) (nor C(planned)).
  returned: always
  type: list
  elements: dict
  sample: []
truncated:
  description: Whether C(operations) or C(failed_operations) were shortened by O(operations_limit).
  returned: success
  type: bool
  sample: false
diff:
  description: Each object to create, update or delete, as text before (target) and after (source).
  returned: success, in diff mode
  type: dict
  sample:
    before: "device sw1:\n  site: \"ams\"\n  role: \"spine\"\n"
    after: "device sw1:\n  site: \"ams\"\n  role: \"leaf\"\n"
    before_header: network (target)
    after_header: sot (source)
dest:
  description: The file the report was written to.
  returned: when O(dest) is set
  type: str
  sample: /home/ops/sync/artifacts/sync-report.json
"""
